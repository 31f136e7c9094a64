using System.Text.Json;
using System.Net.Http.Headers;
using System.Text;
using static Motiv.Web.Tests.Api;

namespace Motiv.Web.Tests;

/// <summary>Interactions, the timelines of people, organisations and deals, and attachments, on both databases.</summary>
public sealed class InteractionApiTests(ApiWorld worlds) : IClassFixture<ApiWorld>
{
    [Theory, MemberData(nameof(ApiWorld.Databases), MemberType = typeof(ApiWorld))]
    public async Task A_persons_timeline_pages_newest_first_and_follows_an_interaction_moved_in_time(string db)
    {
        var w = await worlds.GetAsync(db);
        var client = w.Client(w.SalesA);
        var person = await OkJsonAsync(await client.PostAsync("/api/v1/people", Api.Json(new { firstName = "Tim", lastName = Api.Unique("Leiste"), visibility = "everyone" })), HttpStatusCode.Created);
        var personId = person.GetProperty("id").GetGuid();
        var created = new List<HttpResponseMessage>();
        foreach (var (subject, at) in new[] { ("Erstgespräch", "2026-10-01T09:00:00Z"), ("Angebot", "2026-10-02T09:00:00Z"), ("Nachfassen", "2026-10-03T09:00:00Z") })
        {
            var response = await client.PostAsync("/api/v1/interactions", Api.Json(new { channel = "phone", subject, personIds = new[] { personId }, occurredAt = at }));
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            created.Add(response);
        }
        // An interaction of someone else's that SalesA may not read is neither shown nor counted.
        var hidden = await w.Client(w.SalesB).PostAsync("/api/v1/interactions", Api.Json(new { channel = "note", subject = "Vertraulich", visibility = "private", personIds = new[] { personId }, occurredAt = "2026-10-04T09:00:00Z" }));
        Assert.Equal(HttpStatusCode.Created, hidden.StatusCode);

        var first = await OkJsonAsync(await client.GetAsync($"/api/v1/people/{personId}/timeline?limit=2"));
        Assert.Equal(["Nachfassen", "Angebot"], first.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("subject").GetString()));
        Assert.Equal(3, first.GetProperty("total").GetInt32());
        Assert.True(first.GetProperty("totalExact").GetBoolean());
        var second = await OkJsonAsync(await client.GetAsync($"/api/v1/people/{personId}/timeline?limit=2&cursor={Uri.EscapeDataString(first.GetProperty("nextCursor").GetString()!)}"));
        Assert.Equal("Erstgespräch", Assert.Single(second.GetProperty("items").EnumerateArray()).GetProperty("subject").GetString());
        Assert.Equal(3, second.GetProperty("total").GetInt32());
        Assert.Equal(JsonValueKind.Null, second.GetProperty("nextCursor").ValueKind);

        // The first call is moved to after the others: the timeline shows it first.
        var oldest = created[0];
        var moved = await client.PatchAsync(oldest.Headers.Location!.ToString(), new { occurredAt = "2026-10-05T09:00:00Z" }, oldest.Headers.ETag!.Tag);
        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        var after = await OkJsonAsync(await client.GetAsync($"/api/v1/people/{personId}/timeline"));
        Assert.Equal(["Erstgespräch", "Nachfassen", "Angebot"], after.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("subject").GetString()));
    }

    [Theory, MemberData(nameof(ApiWorld.Databases), MemberType = typeof(ApiWorld))]
    public async Task A_logged_call_is_sanitised_and_shows_on_the_timelines_of_the_person_and_their_organisation(string db)
    {
        var w = await worlds.GetAsync(db);
        var client = w.Client(w.SalesA);
        var word = "Kaeltemittel" + Guid.CreateVersion7().ToString("N")[^6..];
        var (orgId, _) = await client.CreateOrganizationAsync(new { name = Api.Unique("Zeitleiste GmbH") });
        var person = await OkJsonAsync(await client.PostAsync("/api/v1/people", Api.Json(new
        {
            firstName = "Rita", lastName = Api.Unique("Ruf"), employments = new[] { new { organizationId = orgId, isPrimary = true } },
        })), HttpStatusCode.Created);
        var personId = person.GetProperty("id").GetGuid();

        var call = await OkJsonAsync(await client.PostAsync("/api/v1/interactions", Api.Json(new
        {
            channel = "phone", direction = "outbound", subject = "Rückruf wegen Angebot", durationMinutes = 12, outcome = "Termin vereinbart",
            body = $"<p>Fragt nach {word}.</p><script>alert(1)</script><img src=x onerror=alert(2)><a href=\"javascript:alert(3)\">x</a>",
            personIds = new[] { personId }, occurredAt = "2026-11-20T10:00:00Z",
        })), HttpStatusCode.Created);
        var body = call.GetProperty("body").GetString()!;
        Assert.DoesNotContain("<script", body);
        Assert.DoesNotContain("onerror", body);
        Assert.DoesNotContain("javascript:", body);
        Assert.Contains(word, call.GetProperty("bodyText").GetString());
        var note = await OkJsonAsync(await client.PostAsync("/api/v1/interactions", Api.Json(new
        {
            channel = "note", subject = "Firma zieht um", body = "Neue Adresse ab Januar.\nBitte Stammdaten pflegen.", organizationId = orgId, occurredAt = "2026-11-21T09:00:00Z",
        })), HttpStatusCode.Created);
        Assert.Equal("<p>Neue Adresse ab Januar.</p><p>Bitte Stammdaten pflegen.</p>", note.GetProperty("body").GetString());

        var personTimeline = (await OkJsonAsync(await client.GetAsync($"/api/v1/people/{personId}/timeline"))).GetProperty("items");
        Assert.Equal(call.GetProperty("id").GetGuid(), Assert.Single(personTimeline.EnumerateArray()).GetProperty("id").GetGuid());
        var withOrg = await OkJsonAsync(await client.GetAsync($"/api/v1/people/{personId}/timeline?includeOrganization=true&limit=1"));
        Assert.Equal("Firma zieht um", withOrg.GetProperty("items")[0].GetProperty("subject").GetString()); // newest first
        var next = await OkJsonAsync(await client.GetAsync($"/api/v1/people/{personId}/timeline?includeOrganization=true&limit=1&cursor={Uri.EscapeDataString(withOrg.GetProperty("nextCursor").GetString()!)}"));
        Assert.Equal("Rückruf wegen Angebot", next.GetProperty("items")[0].GetProperty("subject").GetString());
        var orgCalls = (await OkJsonAsync(await client.GetAsync($"/api/v1/organizations/{orgId}/timeline?channel=phone"))).GetProperty("items");
        Assert.Equal(12, Assert.Single(orgCalls.EnumerateArray()).GetProperty("durationMinutes").GetInt32());
        var search = (await OkJsonAsync(await client.GetAsync($"/api/v1/search?q={word}"))).GetProperty("items");
        Assert.Equal("interaction", Assert.Single(search.EnumerateArray()).GetProperty("type").GetString());

        // Someone who may not see the person gets 404 for the timeline and does not find the call.
        Assert.Equal(HttpStatusCode.NotFound, (await w.Client(w.SalesB).GetAsync($"/api/v1/people/{personId}/timeline")).StatusCode);
        Assert.Empty((await OkJsonAsync(await w.Client(w.SalesB).GetAsync($"/api/v1/search?q={word}"))).GetProperty("items").EnumerateArray());

        var before = await w.Factory.FingerprintAsync();
        var bad = await client.PostAsync("/api/v1/interactions", Api.Json(new { channel = "fax", subject = "" }));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.StatusCode);
        var unknown = await client.PostAsync("/api/v1/interactions", Api.Json(new { subject = "X", dealId = Guid.CreateVersion7(), durationMinutes = -5 }));
        var errors = (await unknown.ReadJsonAsync()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("dealId", out _) && errors.TryGetProperty("durationMinutes", out _));
        Assert.Equal(before, await w.Factory.FingerprintAsync());
    }

    [Theory, MemberData(nameof(ApiWorld.Databases), MemberType = typeof(ApiWorld))]
    public async Task Attachments_are_checked_by_content_and_served_only_as_downloads(string db)
    {
        var w = await worlds.GetAsync(db);
        var client = w.Client(w.SalesA);
        var meeting = await OkJsonAsync(await client.PostAsync("/api/v1/interactions", Api.Json(new { channel = "meeting", subject = "Besprechung", visibility = "private" })), HttpStatusCode.Created);
        var id = meeting.GetProperty("id").GetGuid();

        static MultipartFormDataContent File(byte[] bytes, string name, string claimedType)
        {
            var content = new ByteArrayContent(bytes);
            content.Headers.ContentType = MediaTypeHeaderValue.Parse(claimedType);
            return new MultipartFormDataContent { { content, "file", name } };
        }
        var pdf = "%PDF-1.4\n%Protokoll\n"u8.ToArray();
        var saved = await OkJsonAsync(await client.PostAsync($"/api/v1/interactions/{id}/attachments", File(pdf, "Protokoll.pdf", "image/png")), HttpStatusCode.Created);
        Assert.Equal("application/pdf", saved.GetProperty("contentType").GetString());

        var before = await w.Factory.FingerprintAsync();
        foreach (var (bytes, name) in new[]
                 {
                     (Encoding.UTF8.GetBytes("<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>"), "bild.png"),
                     (Encoding.UTF8.GetBytes("<html><script>alert(1)</script></html>"), "notiz.txt"),
                     (new byte[] { 0x4D, 0x5A, 0x90, 0x00, 0x03 }, "tool.pdf"),
                 })
        {
            var refused = await client.PostAsync($"/api/v1/interactions/{id}/attachments", File(bytes, name, "application/pdf"));
            Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
            Assert.True((await refused.ReadJsonAsync()).GetProperty("errors").TryGetProperty("file", out _), name);
        }
        Assert.Equal(before, await w.Factory.FingerprintAsync());

        var download = await client.GetAsync($"/api/v1/interactions/{id}/attachments/{saved.GetProperty("id").GetGuid()}");
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition!.DispositionType);
        Assert.Equal("nosniff", download.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal(pdf, await download.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await w.Client(w.SalesB).GetAsync($"/api/v1/interactions/{id}/attachments/{saved.GetProperty("id").GetGuid()}")).StatusCode);
        var history = (await OkJsonAsync(await client.GetAsync($"/api/v1/interactions/{id}/history"))).GetProperty("items")[0];
        Assert.Contains(history.GetProperty("changes").EnumerateArray(), c => c.GetProperty("field").GetString() == "attachments");
    }
}
