using System.Text.Json;
using static Motiv.Web.Tests.Api;

namespace Motiv.Web.Tests;

/// <summary>Sales and activity reports and the per-user dashboard, on both databases, for a user of their own team so the figures are exact.</summary>
public sealed class ReportApiTests(ApiWorld worlds) : IClassFixture<ApiWorld>
{
    private static Guid StageId(JsonElement pipeline, string kindOrName) =>
        pipeline.GetProperty("stages").EnumerateArray().First(s => s.GetProperty("kind").GetString() == kindOrName || s.GetProperty("nameDe").GetString() == kindOrName).GetProperty("id").GetGuid();

    private static object?[] Row(JsonElement report, int i) => [.. report.GetProperty("rows")[i].EnumerateArray().Select(v => v.ValueKind switch
    {
        JsonValueKind.Number => (object?)v.GetDecimal(),
        JsonValueKind.Null => null,
        _ => v.GetString(),
    })];

    [Theory, MemberData(nameof(ApiWorld.Databases), MemberType = typeof(ApiWorld))]
    public async Task Funnel_win_rate_cycle_velocity_revenue_and_activity_count_what_happened_and_export(string db)
    {
        var w = await worlds.GetAsync(db);
        var team = await w.Factory.CreateTeamAsync(Unique("Berichte"));
        var user = await w.Factory.CreateUserAsync($"report.{Guid.CreateVersion7():N}@test.example", Core.Access.Roles.Sales, team);
        var client = await w.Factory.ClientForAsync(user);
        var pipeline = (await OkJsonAsync(await client.GetAsync("/api/v1/pipelines"))).GetProperty("items")[0];
        var pipelineId = pipeline.GetProperty("id").GetGuid();
        var (orgId, _) = await client.CreateOrganizationAsync(new { name = Unique("Bericht GmbH") });

        // Four deals: all qualified, three get a proposal, two are won, one lost, one stays open.
        var stages = pipeline.GetProperty("stages").EnumerateArray().Where(s => s.GetProperty("kind").GetString() == "open").Select(s => s.GetProperty("id").GetGuid()).ToList();
        var deals = new List<Guid>();
        for (var i = 0; i < 4; i++)
            deals.Add((await OkJsonAsync(await client.PostAsync("/api/v1/deals", Json(new { title = $"Deal {i}", organizationId = orgId, amount = 1000 * (i + 1), pipelineId })), HttpStatusCode.Created))
                .GetProperty("id").GetGuid());
        async Task MoveAsync(Guid id, Guid stage)
        {
            var version = (await OkJsonAsync(await client.GetAsync($"/api/v1/deals/{id}"))).GetProperty("version").GetInt64();
            await OkJsonAsync(await client.PatchAsync($"/api/v1/deals/{id}", new { stageId = stage }, $"\"{version}\""));
        }
        for (var i = 0; i < 3; i++) await MoveAsync(deals[i], stages[1]);
        // 0.3 days later (sessions last eight hours).
        w.Factory.Clock.Advance(TimeSpan.FromHours(7.2));
        await MoveAsync(deals[0], StageId(pipeline, "won"));
        await MoveAsync(deals[1], StageId(pipeline, "won"));
        await MoveAsync(deals[2], StageId(pipeline, "lost"));
        var today = DateOnly.FromDateTime(w.Factory.Clock.GetUtcNow().UtcDateTime);
        var range = $"from={today.AddDays(-30):yyyy-MM-dd}&to={today:yyyy-MM-dd}&ownerId={user}&pipelineId={pipelineId}";

        var funnel = await OkJsonAsync(await client.GetAsync($"/api/v1/reports/pipeline-funnel?{range}"));
        Assert.Equal("funnel", funnel.GetProperty("chart").GetString());
        Assert.Equal(4m, Row(funnel, 0)[1]);
        Assert.Equal(0.75m, Row(funnel, 0)[2]);
        Assert.Equal(3m, Row(funnel, 1)[1]);
        var wonRow = Row(funnel, funnel.GetProperty("rows").GetArrayLength() - 1);
        Assert.Equal(2m, wonRow[1]);

        var winRate = await OkJsonAsync(await client.GetAsync($"/api/v1/reports/win-rate?{range}"));
        Assert.Equal([today.ToString("yyyy-MM"), 2m, 1m, 0.6667m, 3000m], Row(winRate, 0));
        var cycle = await OkJsonAsync(await client.GetAsync($"/api/v1/reports/sales-cycle?{range}"));
        Assert.Equal(0.3m, Row(cycle, 0)[2]);
        var velocity = await OkJsonAsync(await client.GetAsync($"/api/v1/reports/sales-velocity?{range}"));
        // 1 open deal × 2/3 won × 1,500 average ÷ 0.3 days = 3,333.33 a day.
        Assert.Equal([1m, 0.6667m, 1500m, 0.3m, 3333.33m, 99999.90m], Row(velocity, 0));

        await OkJsonAsync(await client.PostAsync("/api/v1/orders", Json(new
        {
            organizationId = orgId, orderDate = today.ToString("yyyy-MM-dd"),
            lines = new[] { new { name = "Beratung", unit = "h", quantity = 2, unitPrice = 150, vatRate = 19 }, new { name = "Reise", unit = "Pausch.", quantity = 1, unitPrice = 100, vatRate = 19 } },
        })), HttpStatusCode.Created);
        var revenue = await OkJsonAsync(await client.GetAsync($"/api/v1/reports/revenue?{range}&groupBy=customer"));
        Assert.Equal(400m, Row(revenue, 0)[2]);
        var byProduct = await OkJsonAsync(await client.GetAsync($"/api/v1/reports/revenue?{range}&groupBy=product"));
        Assert.Equal(["Beratung", 1m, 300m], Row(byProduct, 0));

        await OkJsonAsync(await client.PostAsync("/api/v1/interactions", Json(new { channel = "phone", subject = "Anruf", organizationId = orgId })), HttpStatusCode.Created);
        await OkJsonAsync(await client.PostAsync("/api/v1/interactions", Json(new { channel = "phone", subject = "Anruf 2", organizationId = orgId })), HttpStatusCode.Created);
        await OkJsonAsync(await client.PostAsync("/api/v1/interactions", Json(new { channel = "meeting", subject = "Termin", organizationId = orgId })), HttpStatusCode.Created);
        var activity = await OkJsonAsync(await client.GetAsync($"/api/v1/reports/activity?{range}"));
        var columns = activity.GetProperty("columns").EnumerateArray().Select(c => c.GetProperty("key").GetString()).ToList();
        var row = Row(activity, 0);
        Assert.Equal((2m, 1m, 3m), (row[columns.IndexOf("phone")], row[columns.IndexOf("meeting")], row[columns.IndexOf("total")]));

        // Every report's data downloads; bad parameters are named.
        var csv = await (await client.GetAsync($"/api/v1/reports/win-rate?{range}&format=csv")).Content.ReadAsStringAsync();
        Assert.Equal("Period,Won,Lost,Win rate,Won amount", csv.TrimStart('\uFEFF').Split("\r\n")[0]);
        var xlsx = await client.GetAsync($"/api/v1/reports/revenue?{range}&format=xlsx");
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", xlsx.Content.Headers.ContentType!.MediaType);
        Assert.True((await (await client.GetAsync($"/api/v1/reports/revenue?{range}&groupBy=salary")).ReadJsonAsync()).GetProperty("errors").TryGetProperty("groupBy", out _));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/v1/reports/salaries")).StatusCode);
        // Someone who cannot see these deals sees none of them.
        Assert.Equal(0, (await OkJsonAsync(await w.Client(w.SalesB).GetAsync($"/api/v1/reports/win-rate?{range}"))).GetProperty("rows").GetArrayLength());
    }

    [Theory, MemberData(nameof(ApiWorld.Databases), MemberType = typeof(ApiWorld))]
    public async Task Each_user_arranges_their_own_dashboard(string db)
    {
        var w = await worlds.GetAsync(db);
        var client = w.Client(w.SalesA2);
        var standard = await OkJsonAsync(await client.GetAsync("/api/v1/dashboards"));
        Assert.Equal("forecast", standard.GetProperty("widgets")[0].GetProperty("report").GetString());
        await OkJsonAsync(await client.PutAsync("/api/v1/dashboards", Json(new { widgets = new object[] { new { report = "revenue", groupBy = "category", width = 12 }, new { report = "win-rate", width = 6 } } })));
        var mine = await OkJsonAsync(await client.GetAsync("/api/v1/dashboards"));
        Assert.Equal(["revenue", "win-rate"], mine.GetProperty("widgets").EnumerateArray().Select(x => x.GetProperty("report").GetString()).ToArray());
        Assert.Equal("forecast", (await OkJsonAsync(await w.Client(w.SalesA).GetAsync("/api/v1/dashboards"))).GetProperty("widgets")[0].GetProperty("report").GetString());
        var before = await w.Factory.FingerprintAsync();
        var bad = await client.PutAsync("/api/v1/dashboards", Json(new { widgets = new object[] { new { report = "salaries", width = 5 } } }));
        var errors = (await bad.ReadJsonAsync()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("widgets[0].report", out _) && errors.TryGetProperty("widgets[0].width", out _));
        Assert.Equal(before, await w.Factory.FingerprintAsync());
    }
}
