using System.Text.Json;
using static Motiv.Web.Tests.Api;

namespace Motiv.Web.Tests;

/// <summary>Finding probable duplicates and merging them, on both databases.</summary>
public sealed class DuplicateApiTests(ApiWorld worlds) : IClassFixture<ApiWorld>
{
    private static async Task<JsonElement> PersonAsync(HttpClient client, object body) => await OkJsonAsync(await client.PostAsync("/api/v1/people", Json(body)), HttpStatusCode.Created);

    [Theory, MemberData(nameof(ApiWorld.Databases), MemberType = typeof(ApiWorld))]
    public async Task People_found_by_e_mail_and_by_a_similar_name_at_the_same_organisation_merge_with_their_timeline_tasks_and_relationships(string db)
    {
        var w = await worlds.GetAsync(db);
        var client = w.Client(w.SalesA);
        var tag = Guid.CreateVersion7().ToString("N")[^8..];
        var (orgId, _) = await client.CreateOrganizationAsync(new { name = Unique("Dubletten GmbH") });
        var a = await PersonAsync(client, new { firstName = "Jürgen", lastName = "Müller" + tag, emails = new[] { new { address = $"jm@{tag}.example" } }, employments = new[] { new { organizationId = orgId, isPrimary = true } } });
        var b = await PersonAsync(client, new
        {
            firstName = "Jürgen", lastName = "Mülle" + tag, birthday = "1970-03-04", emails = new[] { new { address = $"privat@{tag}.example", type = "private" } },
            employments = new[] { new { organizationId = orgId, position = "Einkauf" } }, tags = new[] { "messe" },
        });
        var c = await PersonAsync(client, new { firstName = "Karl", lastName = "Anders" + tag, emails = new[] { new { address = $"jm@{tag}.example" } } });
        var (aId, bId, cId) = (a.GetProperty("id").GetGuid(), b.GetProperty("id").GetGuid(), c.GetProperty("id").GetGuid());

        var ofA = (await OkJsonAsync(await client.GetAsync($"/api/v1/people/{aId}/duplicates"))).GetProperty("items").EnumerateArray().ToList();
        var ids = ofA.Select(p => p.GetProperty("secondId").GetGuid()).ToList();
        Assert.Contains(bId, ids);
        Assert.Contains(cId, ids);
        Assert.Equal("Similar name at the same organisation", ofA.Single(p => p.GetProperty("secondId").GetGuid() == bId).GetProperty("reasons")[0].GetString());
        Assert.Equal("Same e-mail address", ofA.Single(p => p.GetProperty("secondId").GetGuid() == cId).GetProperty("reasons")[0].GetString());
        var scan = (await OkJsonAsync(await client.GetAsync("/api/v1/duplicates?entity=people&limit=200"))).GetProperty("items").EnumerateArray().ToList();
        bool Has(IEnumerable<JsonElement> pairs, Guid x, Guid y) => pairs.Any(p => new[] { p.GetProperty("firstId").GetGuid(), p.GetProperty("secondId").GetGuid() }.Order().SequenceEqual(new[] { x, y }.Order()));
        Assert.True(Has(scan, aId, bId) && Has(scan, aId, cId));

        // B's timeline, task and relationship.
        var call = await OkJsonAsync(await client.PostAsync("/api/v1/interactions", Json(new { channel = "phone", subject = "Anruf " + tag, personIds = new[] { bId } })), HttpStatusCode.Created);
        var task = await OkJsonAsync(await client.PostAsync("/api/v1/tasks", Json(new { title = "Rückruf " + tag, relatedType = "person", relatedId = bId })), HttpStatusCode.Created);
        await OkJsonAsync(await client.PostAsync("/api/v1/relationships", Json(new { kind = "reportsTo", fromId = bId, toId = cId })), HttpStatusCode.Created);

        // Refused merges change nothing: a stale version, someone who cannot see them, a read-only user, an unknown field.
        var before = await w.Factory.FingerprintAsync();
        var body = new { entity = "people", survivorId = aId, mergedId = bId, survivorVersion = a.GetProperty("version").GetInt64(), mergedVersion = b.GetProperty("version").GetInt64(), take = new[] { "lastName" } };
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await client.PostAsync("/api/v1/merge", Json(body with { mergedVersion = 99L }))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await w.Client(w.SalesB).PostAsync("/api/v1/merge", Json(body))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await w.Client(w.ReadOnly).PostAsync("/api/v1/merge", Json(body))).StatusCode);
        var unknown = await client.PostAsync("/api/v1/merge", Json(new { entity = "people", survivorId = aId, mergedId = bId, take = new[] { "salary" } }));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, unknown.StatusCode);
        Assert.True((await unknown.ReadJsonAsync()).GetProperty("errors").TryGetProperty("take[0]", out _));
        Assert.Equal(before, await w.Factory.FingerprintAsync());

        var merged = await OkJsonAsync(await client.PostAsync("/api/v1/merge", Json(body)));
        Assert.Equal(1, merged.GetProperty("moved").GetProperty("interactions").GetInt32());
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/v1/people/{bId}")).StatusCode);
        var survivor = await OkJsonAsync(await client.GetAsync($"/api/v1/people/{aId}"));
        Assert.Equal(("Jürgen", "Mülle" + tag, "1970-03-04"), (survivor.GetProperty("firstName").GetString(), survivor.GetProperty("lastName").GetString(), survivor.GetProperty("birthday").GetString()));
        Assert.Equal([$"jm@{tag}.example", $"privat@{tag}.example"], survivor.GetProperty("emails").EnumerateArray().Select(e => e.GetProperty("address").GetString()).ToArray());
        Assert.Contains("messe", survivor.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Single(survivor.GetProperty("employments").EnumerateArray());
        var timeline = (await OkJsonAsync(await client.GetAsync($"/api/v1/people/{aId}/timeline"))).GetProperty("items");
        Assert.Contains(timeline.EnumerateArray(), i => i.GetProperty("id").GetGuid() == call.GetProperty("id").GetGuid());
        Assert.Equal(aId, (await OkJsonAsync(await client.GetAsync($"/api/v1/tasks/{task.GetProperty("id")}"))).GetProperty("relatedId").GetGuid());
        var relationships = (await OkJsonAsync(await client.GetAsync($"/api/v1/relationships?recordId={aId}"))).GetProperty("items");
        Assert.Contains(relationships.EnumerateArray(), r => r.GetProperty("fromId").GetGuid() == aId && r.GetProperty("toId").GetGuid() == cId);
        var history = (await OkJsonAsync(await client.GetAsync($"/api/v1/people/{aId}/history"))).GetProperty("items");
        Assert.Contains(history.EnumerateArray(), h => h.GetProperty("changes").EnumerateArray().Any(x => x.GetProperty("field").GetString() == "mergedFrom"));

        // "Not the same": the pair no longer shows.
        Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsync("/api/v1/duplicates/dismiss", Json(new { entity = "people", firstId = cId, secondId = aId }))).StatusCode);
        Assert.Empty((await OkJsonAsync(await client.GetAsync($"/api/v1/people/{aId}/duplicates"))).GetProperty("items").EnumerateArray());
        Assert.False(Has((await OkJsonAsync(await client.GetAsync("/api/v1/duplicates?entity=people&limit=200"))).GetProperty("items").EnumerateArray(), aId, cId));
    }

    [Theory, MemberData(nameof(ApiWorld.Databases), MemberType = typeof(ApiWorld))]
    public async Task Organisations_with_the_same_VAT_id_merge_with_their_people_and_orders(string db)
    {
        var w = await worlds.GetAsync(db);
        var client = w.Client(w.SalesA);
        var name = Unique("Kunde Müller");
        var (sId, _) = await client.CreateOrganizationAsync(new { name = name + " GmbH", vatId = "DE 811 569 869", roles = new[] { "customer" } });
        var (mId, _) = await client.CreateOrganizationAsync(new { name = name + " AG", vatId = "DE811569869", industry = "Handel", roles = new[] { "supplier" } });
        var person = await PersonAsync(client, new { firstName = "Olga", lastName = "Ort", employments = new[] { new { organizationId = mId } } });
        await OkJsonAsync(await client.PostAsync("/api/v1/orders", Json(new
        {
            organizationId = mId, orderDate = "2026-10-01", lines = new[] { new { name = "Beratung", unit = "h", quantity = 2, unitPrice = 100, vatRate = 19 } },
        })), HttpStatusCode.Created);

        var pair = (await OkJsonAsync(await client.GetAsync($"/api/v1/organizations/{sId}/duplicates"))).GetProperty("items")[0];
        Assert.Equal(mId, pair.GetProperty("secondId").GetGuid());
        Assert.Equal(["Same VAT id", "Similar name"], pair.GetProperty("reasons").EnumerateArray().Select(r => r.GetString()).ToArray());

        await OkJsonAsync(await client.PostAsync("/api/v1/merge", Json(new { entity = "organizations", survivorId = sId, mergedId = mId })));
        var survivor = await OkJsonAsync(await client.GetAsync($"/api/v1/organizations/{sId}"));
        Assert.Equal((name + " GmbH", "Handel"), (survivor.GetProperty("name").GetString(), survivor.GetProperty("industry").GetString()));
        Assert.Equal(["customer", "supplier"], survivor.GetProperty("roles").EnumerateArray().Select(r => r.GetString()).ToArray());
        Assert.Single((await OkJsonAsync(await client.GetAsync($"/api/v1/orders?organizationId={sId}"))).GetProperty("items").EnumerateArray());
        var employment = (await OkJsonAsync(await client.GetAsync($"/api/v1/people/{person.GetProperty("id")}"))).GetProperty("employments")[0];
        Assert.Equal(sId, employment.GetProperty("organizationId").GetGuid());
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/v1/organizations/{mId}")).StatusCode);
    }
}
