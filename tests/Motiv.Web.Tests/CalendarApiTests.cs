using static Motiv.Web.Tests.Api;

namespace Motiv.Web.Tests;

/// <summary>Meetings as iCalendar and the secret calendar feed, parsed with Ical.Net as a calendar program would.</summary>
public sealed class CalendarApiTests(ApiWorld worlds) : IClassFixture<ApiWorld>
{
    [Theory, MemberData(nameof(ApiWorld.Databases), MemberType = typeof(ApiWorld))]
    public async Task The_secret_feed_holds_the_users_meetings_and_open_tasks_and_a_new_address_retires_the_old(string db)
    {
        var w = await worlds.GetAsync(db);
        var client = w.Client(w.SalesA);
        var now = w.Factory.Clock.GetUtcNow();
        var person = await OkJsonAsync(await client.PostAsync("/api/v1/people", Api.Json(new
        {
            firstName = "Tina", lastName = "Termin", emails = new[] { new { address = $"tina.{Guid.CreateVersion7():N}@kunde.example" } },
        })), HttpStatusCode.Created);
        var meeting = await OkJsonAsync(await client.PostAsync("/api/v1/interactions", Api.Json(new
        {
            channel = "meeting", subject = "Workshop Kältetechnik", occurredAt = now.AddDays(2), durationMinutes = 90, personIds = new[] { person.GetProperty("id").GetGuid() }, userIds = new[] { w.SalesA },
        })), HttpStatusCode.Created);
        var task = await OkJsonAsync(await client.PostAsync("/api/v1/tasks", Api.Json(new { title = "Workshop vorbereiten", dueAt = now.AddDays(1) })), HttpStatusCode.Created);
        await OkJsonAsync(await w.Client(w.SalesB).PostAsync("/api/v1/interactions", Api.Json(new { channel = "meeting", subject = "Fremder Termin", occurredAt = now.AddDays(3), visibility = "private" })), HttpStatusCode.Created);

        var ics = await client.GetStringAsync($"/api/v1/interactions/{meeting.GetProperty("id").GetGuid()}/ics");
        var single = Ical.Net.Calendar.Load(ics)!;
        var ev = Assert.Single(single.Events);
        Assert.Equal("Workshop Kältetechnik", ev.Summary);
        Assert.Equal(90, (int)(ev.DtEnd!.AsUtc - ev.DtStart!.AsUtc).TotalMinutes);
        Assert.Contains(ev.Attendees, a => a.Value!.ToString().Contains("tina.", StringComparison.Ordinal));

        var url = (await OkJsonAsync(await client.PostAsync("/api/v1/calendar/feed", null))).GetProperty("url").GetString()!;
        var anonymous = w.Factory.CreateClient();
        var feed = await anonymous.GetAsync(new Uri(url).PathAndQuery);
        Assert.Equal("text/calendar", feed.Content.Headers.ContentType!.MediaType);
        var calendar = Ical.Net.Calendar.Load(await feed.Content.ReadAsStringAsync())!;
        Assert.Contains(calendar.Events, e => e.Uid == meeting.GetProperty("id").GetGuid() + "@motiv");
        Assert.DoesNotContain(calendar.Events, e => e.Summary == "Fremder Termin");
        Assert.Contains(calendar.Todos, t => t.Summary == task.GetProperty("title").GetString());

        var newer = (await OkJsonAsync(await client.PostAsync("/api/v1/calendar/feed", null))).GetProperty("url").GetString()!;
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync(new Uri(url).PathAndQuery)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync(new Uri(newer).PathAndQuery)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/calendar/" + new string('a', 48) + ".ics")).StatusCode);
    }
}
