using System.Diagnostics;
using System.Net.Sockets;
using Npgsql;

namespace Motiv.Web.Tests;

/// <summary>
/// Two web nodes as separate processes on 127.0.0.1 against one PostgreSQL, with their background jobs on: what one writes the other reads,
/// a sign-in on one is a sign-in on the other, and each firing of a scheduled job runs on one node only.
/// </summary>
public sealed class ClusterTests
{
    [Fact]
    public async Task Two_nodes_on_one_PostgreSQL_share_records_sign_ins_and_the_job_schedule()
    {
        await using var factory = await MotivWebFactory.StartAsync(TestDatabase.Postgres, realTime: true);
        var userId = await factory.CreateUserAsync("node@test.example", Core.Access.Roles.Sales);
        var token = await factory.WithScopeAsync(sp => sp.GetRequiredService<Core.Identity.TokenService>().IssueSessionTokenAsync(userId));
        var (a, b) = (FreePort(), FreePort());
        using var nodeA = StartNode(factory, a);
        using var nodeB = StartNode(factory, b);
        try
        {
            var started = DateTimeOffset.UtcNow;
            await WaitUntilHealthyAsync(nodeA, a);
            await WaitUntilHealthyAsync(nodeB, b);

            // A record written through A is read through B.
            using var apiA = ApiClient(a, token.AccessToken);
            using var apiB = ApiClient(b, token.AccessToken);
            var created = await apiA.PostAsync("/api/v1/organizations", Api.Json(new { name = "Zweiknoten GmbH" }));
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            var id = (await created.ReadJsonAsync()).GetProperty("id").GetGuid();
            var read = await (await apiB.GetAsync($"/api/v1/organizations/{id}")).ReadJsonAsync();
            Assert.Equal("Zweiknoten GmbH", read.GetProperty("name").GetString());

            // The sign-in form comes from B, is posted to A (antiforgery token of B checked by A), and A's cookie opens pages on B.
            var cookies = new CookieContainer();
            using var browserA = Browser(a, cookies);
            using var browserB = Browser(b, cookies);
            var form = await browserB.GetStringAsync("/login");
            var login = await browserA.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["email"] = "node@test.example", ["password"] = MotivWebFactory.Password, ["returnUrl"] = "/organizations",
                ["__RequestVerificationToken"] = Api.AntiforgeryToken(form),
            }));
            Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
            Assert.Equal("/organizations", login.Headers.Location?.OriginalString);
            var page = await browserB.GetAsync($"/organizations/{id}");
            Assert.Equal(HttpStatusCode.OK, page.StatusCode); // the page itself renders in the circuit (no prerendering)
            using var stranger = Browser(b, new CookieContainer());
            var signedOut = await stranger.GetAsync($"/organizations/{id}");
            Assert.Equal(HttpStatusCode.Redirect, signedOut.StatusCode);

            // Both schedulers joined the cluster, and every firing of the 20-second job ran once, on either node.
            await using var db = new NpgsqlConnection(factory.Database.ConnectionString);
            await db.OpenAsync();
            Assert.Equal(2, await ScalarAsync(db, "SELECT count(*) FROM qrtz_scheduler_state"));
            var startTicks = started.UtcTicks;
            List<(long Slot, string Instance)> firings = [];
            for (var i = 0; i < 90 && firings.Select(f => f.Slot).Distinct().Count() < 3; i++)
            {
                await Task.Delay(1000);
                firings = await FiringsAsync(db, "WebhookJob", startTicks);
            }
            Assert.True(firings.Select(f => f.Slot).Distinct().Count() >= 3, "the webhook job fired fewer than three times in 90 seconds");
            Assert.All(firings.GroupBy(f => f.Slot), slot => Assert.Single(slot));
            Assert.True(nodeA.HasExited is false && nodeB.HasExited is false);
        }
        finally
        {
            foreach (var node in new[] { nodeA, nodeB })
                if (!node.HasExited) node.Kill(entireProcessTree: true);
        }
    }

    private static Process StartNode(MotivWebFactory factory, int port) => factory.StartProcess(new Dictionary<string, string>
    {
        ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}", ["Motiv__Jobs__Enabled"] = "true",
    });

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task WaitUntilHealthyAsync(Process node, int port)
    {
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        for (var i = 0; i < 120; i++)
        {
            if (node.HasExited) Assert.Fail($"the node on port {port} stopped: {await node.StandardError.ReadToEndAsync()}");
            try
            {
                if ((await client.GetAsync("/health")).IsSuccessStatusCode) return;
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            await Task.Delay(500);
        }
        Assert.Fail($"the node on port {port} did not start within a minute");
    }

    private static HttpClient ApiClient(int port, string token)
    {
        var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static HttpClient Browser(int port, CookieContainer cookies) =>
        new(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };

    private static async Task<long> ScalarAsync(NpgsqlConnection db, string sql)
    {
        await using var command = new NpgsqlCommand(sql, db);
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }

    /// <summary>Each execution Quartz recorded for the job since the nodes started, by the 20-second slot it was scheduled for.</summary>
    private static async Task<List<(long Slot, string Instance)>> FiringsAsync(NpgsqlConnection db, string job, long sinceTicks)
    {
        await using var command = new NpgsqlCommand("SELECT fired_time, instance_name FROM qrtz_execution_history WHERE job_name = @job AND fired_time >= @since", db);
        command.Parameters.AddWithValue("job", job);
        command.Parameters.AddWithValue("since", sinceTicks);
        var firings = new List<(long, string)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) firings.Add((reader.GetInt64(0) / TimeSpan.FromSeconds(20).Ticks, reader.GetString(1)));
        return firings;
    }
}
