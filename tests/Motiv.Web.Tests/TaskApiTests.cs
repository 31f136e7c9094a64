using static Motiv.Web.Tests.Api;

namespace Motiv.Web.Tests;

/// <summary>Tasks, reminders and keep-in-touch cadences, on both databases.</summary>
public sealed class TaskApiTests(ApiWorld worlds) : IClassFixture<ApiWorld>
{
    [Theory, MemberData(nameof(ApiWorld.Databases), MemberType = typeof(ApiWorld))]
    public async Task Tasks_show_as_mine_and_overdue_and_a_due_reminder_notifies_the_assignee_once(string db)
    {
        var w = await worlds.GetAsync(db);
        var client = w.Client(w.SalesA2);
        var now = w.Factory.Clock.GetUtcNow();
        var (orgId, _) = await client.CreateOrganizationAsync(new { name = Api.Unique("Aufgaben GmbH") });
        var late = await OkJsonAsync(await client.PostAsync("/api/v1/tasks", Api.Json(new
        {
            title = Api.Unique("Angebot nachfassen"), dueAt = now.AddHours(-2), remindAt = now.AddMinutes(-1), priority = "high", relatedType = "organization", relatedId = orgId,
        })), HttpStatusCode.Created);
        var later = await OkJsonAsync(await client.PostAsync("/api/v1/tasks", Api.Json(new { title = Api.Unique("Später"), dueAt = now.AddDays(3) })), HttpStatusCode.Created);
        Assert.True(late.GetProperty("isOverdue").GetBoolean());
        Assert.Equal(orgId, late.GetProperty("relatedId").GetGuid());

        var overdue = (await OkJsonAsync(await client.GetAsync("/api/v1/tasks?view=overdue"))).GetProperty("items");
        Assert.Contains(overdue.EnumerateArray(), t => t.GetProperty("id").GetGuid() == late.GetProperty("id").GetGuid());
        Assert.DoesNotContain(overdue.EnumerateArray(), t => t.GetProperty("id").GetGuid() == later.GetProperty("id").GetGuid());
        var related = (await OkJsonAsync(await client.GetAsync($"/api/v1/tasks?relatedId={orgId}"))).GetProperty("items");
        Assert.Single(related.EnumerateArray());
        Assert.DoesNotContain((await OkJsonAsync(await w.Client(w.SalesB).GetAsync("/api/v1/tasks?view=mine"))).GetProperty("items").EnumerateArray(),
            t => t.GetProperty("id").GetGuid() == late.GetProperty("id").GetGuid());

        // The reminder job (run here on the test's clock) notifies once, however often it runs.
        await using (var sys = w.Factory.SystemDb())
        {
            Assert.True((await Core.Activities.Reminders.SendDueAsync(sys)).Count >= 1);
            await Core.Activities.Reminders.SendDueAsync(sys);
        }
        var notifications = (await OkJsonAsync(await client.GetAsync("/api/v1/notifications?unread=true"))).GetProperty("items");
        var mine = Assert.Single(notifications.EnumerateArray(), n => n.GetProperty("title").GetString() == late.GetProperty("title").GetString());
        Assert.DoesNotContain((await OkJsonAsync(await w.Client(w.SalesA).GetAsync("/api/v1/notifications"))).GetProperty("items").EnumerateArray(),
            n => n.GetProperty("id").GetGuid() == mine.GetProperty("id").GetGuid());
        Assert.Equal(HttpStatusCode.NotFound, (await w.Client(w.SalesA).PostAsync($"/api/v1/notifications/{mine.GetProperty("id").GetGuid()}/read", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsync($"/api/v1/notifications/{mine.GetProperty("id").GetGuid()}/read", null)).StatusCode);

        var done = await OkJsonAsync(await client.PatchAsync($"/api/v1/tasks/{late.GetProperty("id").GetGuid()}", new { state = "done" }, "\"1\""));
        Assert.Equal(now, done.GetProperty("completedAt").GetDateTimeOffset());
        Assert.False(done.GetProperty("isOverdue").GetBoolean());

        var before = await w.Factory.FingerprintAsync();
        var bad = await client.PostAsync("/api/v1/tasks", Api.Json(new { title = "", relatedType = "invoice", relatedId = Guid.CreateVersion7() }));
        var errors = (await bad.ReadJsonAsync()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("title", out _) && errors.TryGetProperty("relatedType", out _));
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/api/v1/tasks?view=everything")).StatusCode);
        Assert.Equal(before, await w.Factory.FingerprintAsync());
    }

    [Theory, MemberData(nameof(ApiWorld.Databases), MemberType = typeof(ApiWorld))]
    public async Task A_lapsed_keep_in_touch_cadence_creates_one_task_for_the_owner(string db)
    {
        var w = await worlds.GetAsync(db);
        var client = w.Client(w.SalesA);
        var person = await OkJsonAsync(await client.PostAsync("/api/v1/people", Api.Json(new { firstName = "Kai", lastName = Api.Unique("Kontakt"), keepInTouchDays = 30 })), HttpStatusCode.Created);
        var id = person.GetProperty("id").GetGuid();
        Assert.Equal(30, person.GetProperty("keepInTouchDays").GetInt32());
        await OkJsonAsync(await client.PostAsync("/api/v1/interactions", Api.Json(new
        {
            channel = "phone", subject = "Letztes Gespräch", personIds = new[] { id }, occurredAt = w.Factory.Clock.GetUtcNow().AddDays(-31),
        })), HttpStatusCode.Created);
        var recent = await OkJsonAsync(await client.PostAsync("/api/v1/people", Api.Json(new { firstName = "Rea", lastName = Api.Unique("Kontakt"), keepInTouchDays = 30 })), HttpStatusCode.Created);

        await using (var sys = w.Factory.SystemDb())
        {
            await Core.Activities.Reminders.CreateKeepInTouchTasksAsync(sys);
            await Core.Activities.Reminders.CreateKeepInTouchTasksAsync(sys);
        }
        var tasks = (await OkJsonAsync(await client.GetAsync($"/api/v1/tasks?relatedId={id}"))).GetProperty("items");
        var task = Assert.Single(tasks.EnumerateArray());
        Assert.Equal("keepInTouch", task.GetProperty("kind").GetString());
        Assert.Equal(w.SalesA, task.GetProperty("ownerId").GetGuid());
        Assert.Empty((await OkJsonAsync(await client.GetAsync($"/api/v1/tasks?relatedId={recent.GetProperty("id").GetGuid()}"))).GetProperty("items").EnumerateArray());
    }
}
