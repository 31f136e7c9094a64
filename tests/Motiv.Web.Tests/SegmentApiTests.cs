using System.Text.Json;
using static Motiv.Web.Tests.Api;

namespace Motiv.Web.Tests;

/// <summary>The stored customer analytics (run on demand) and segments over them, on both databases.</summary>
public sealed class SegmentApiTests(ApiWorld worlds) : IClassFixture<ApiWorld>
{
    private static async Task<int> CountAsync(HttpClient client, object draft) =>
        (await OkJsonAsync(await client.PostAsync("/api/v1/segments/count", Json(draft)))).GetProperty("count").GetInt32();

    [Theory, MemberData(nameof(ApiWorld.Databases), MemberType = typeof(ApiWorld))]
    public async Task Segments_filter_customers_by_stored_analytics_and_products_bought_and_people_by_consent_and_motives(string db)
    {
        var w = await worlds.GetAsync(db);
        var client = w.Client(w.SalesA);
        var tag = "seg-" + Guid.CreateVersion7().ToString("N")[^8..];
        var sku = tag.ToUpperInvariant();
        var product = await OkJsonAsync(await client.PostAsync("/api/v1/products", Json(new { sku, nameDe = "Segmentierer", nameEn = "Segmenter", unit = "Stk", vatRate = 19 })), HttpStatusCode.Created);
        var orgs = new List<Guid>();
        for (var i = 0; i < 12; i++)
        {
            var (id, _) = await client.CreateOrganizationAsync(new { name = $"Segmentkunde {i} {tag}", tags = new[] { tag } });
            orgs.Add(id);
            for (var k = 0; k <= i; k++)
            {
                var date = new DateOnly(2026, 11, 20).AddDays(-20 * k - (i < 3 ? 600 : 0));
                object line = i >= 5 && k == 0
                    ? new { productId = product.GetProperty("id").GetGuid(), quantity = 1, unitPrice = 100 * (i + 1) }
                    : new { name = "Beratung", unit = "h", quantity = 1, unitPrice = 100 * (i + 1), vatRate = 19 };
                await OkJsonAsync(await client.PostAsync("/api/v1/orders", Json(new { organizationId = id, orderDate = date.ToString("yyyy-MM-dd"), status = "delivered", lines = new[] { line } })), HttpStatusCode.Created);
            }
        }

        // Only administrators and managers start the computation; a refused start changes nothing.
        var before = await w.Factory.FingerprintAsync();
        Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsync("/api/v1/insights/runs", null)).StatusCode);
        Assert.Equal(before, await w.Factory.FingerprintAsync());
        await OkJsonAsync(await w.Client(w.Manager).PostAsync("/api/v1/insights/runs", null), HttpStatusCode.Accepted);
        JsonElement run = default;
        for (var i = 0; i < 300; i++)
        {
            run = await OkJsonAsync(await client.GetAsync("/api/v1/insights/runs/latest"));
            if (run.GetProperty("status").GetString() != "running") break;
            await Task.Delay(100);
        }
        Assert.Equal(("completed", 100), (run.GetProperty("status").GetString(), run.GetProperty("progress").GetInt32()));
        Assert.True(run.GetProperty("customers").GetInt32() >= 12);

        Assert.Equal(3, await CountAsync(client, new { entity = "organizations", conditions = new[] { new { field = "tag", op = "eq", value = tag }, new { field = "orders", op = "gte", value = "10" } } }));
        Assert.Equal(5, await CountAsync(client, new { entity = "organizations", conditions = new[] { new { field = "tag", op = "eq", value = tag }, new { field = "notBought", op = "eq", value = sku } } }));
        Assert.Equal(7, await CountAsync(client, new { entity = "organizations", conditions = new[] { new { field = "tag", op = "eq", value = tag }, new { field = "products", op = "gte", value = "1" } } }));
        // Breadth counts distinct products and categories (lines without a product count for neither).
        Assert.Equal(0, await CountAsync(client, new { entity = "organizations", conditions = new[] { new { field = "tag", op = "eq", value = tag }, new { field = "products", op = "gte", value = "2" } } }));
        Assert.Equal(7, await CountAsync(client, new { entity = "organizations", conditions = new[] { new { field = "tag", op = "eq", value = tag }, new { field = "categories", op = "gte", value = "1" } } }));
        // Those who stopped ordering two years ago are the likeliest gone.
        var lost = await CountAsync(client, new { entity = "organizations", conditions = new[] { new { field = "tag", op = "eq", value = tag }, new { field = "rfmSegment", op = "in", value = "lost,hibernating,atRisk,cannotLoseThem" } } });
        Assert.InRange(lost, 1, 3);

        // Cross-selling per customer: what most customers bought and this one has not; nothing it already has.
        var suggestions = (await OkJsonAsync(await client.GetAsync($"/api/v1/organizations/{orgs[0]}/product-suggestions"))).GetProperty("items");
        Assert.Contains(suggestions.EnumerateArray(), x => x.GetProperty("productId").GetGuid() == product.GetProperty("id").GetGuid());
        Assert.DoesNotContain((await OkJsonAsync(await client.GetAsync($"/api/v1/organizations/{orgs[11]}/product-suggestions"))).GetProperty("items").EnumerateArray(),
            x => x.GetProperty("productId").GetGuid() == product.GetProperty("id").GetGuid());

        var segment = await OkJsonAsync(await client.PostAsync("/api/v1/segments", Json(new
        {
            name = "Gute Kunden ohne Segmentierer", entity = "organizations",
            conditions = new[] { new { field = "tag", op = "eq", value = tag }, new { field = "historicValue", op = "gte", value = "1600" }, new { field = "notBought", op = "eq", value = sku } },
        })), HttpStatusCode.Created);
        var segmentId = segment.GetProperty("id").GetGuid();
        Assert.Equal(2, (await OkJsonAsync(await client.GetAsync($"/api/v1/segments/{segmentId}/count"))).GetProperty("count").GetInt32());
        var first = await OkJsonAsync(await client.GetAsync($"/api/v1/segments/{segmentId}/members?limit=1"));
        var second = await OkJsonAsync(await client.GetAsync($"/api/v1/segments/{segmentId}/members?limit=1&cursor={first.GetProperty("nextCursor").GetString()}"));
        var names = new[] { first, second }.Select(p => p.GetProperty("items")[0].GetProperty("name").GetString()).Order().ToArray();
        Assert.Equal([$"Segmentkunde 3 {tag}", $"Segmentkunde 4 {tag}"], names);
        // The analyses take the segment as their subset.
        var rfm = await OkJsonAsync(await client.GetAsync($"/api/v1/insights/rfm?segmentId={segmentId}"));
        Assert.Equal(2, rfm.GetProperty("customers").GetArrayLength());
        var csv = await (await client.PostAsync("/api/v1/exports", Json(new { segmentId }))).Content.ReadAsStringAsync();
        Assert.Equal(3, csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length);

        // Private to its owner; wrong conditions are named and change nothing.
        Assert.Equal(HttpStatusCode.NotFound, (await w.Client(w.SalesB).GetAsync($"/api/v1/segments/{segmentId}")).StatusCode);
        before = await w.Factory.FingerprintAsync();
        var bad = await client.PutAsync($"/api/v1/segments/{segmentId}", Json(new
        {
            name = "x", entity = "organizations", conditions = new[] { new { field = "orders", op = "gte", value = "viele" }, new { field = "salary", op = "eq", value = "1" } },
        }));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.StatusCode);
        var errors = (await bad.ReadJsonAsync()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("conditions[0].value", out _) && errors.TryGetProperty("conditions[1].field", out _));
        Assert.Equal(before, await w.Factory.FingerprintAsync());

        // People: consent per channel and purpose (a withdrawal ends it) and motives from the profile.
        var yes = await OkJsonAsync(await client.PostAsync("/api/v1/people", Json(new { firstName = "Ja", lastName = "Newsletter", tags = new[] { tag } })), HttpStatusCode.Created);
        var no = await OkJsonAsync(await client.PostAsync("/api/v1/people", Json(new { firstName = "Nein", lastName = "Newsletter", tags = new[] { tag } })), HttpStatusCode.Created);
        foreach (var p in new[] { yes, no })
            await OkJsonAsync(await client.PostAsync($"/api/v1/people/{p.GetProperty("id")}/consents", Json(new
            {
                channel = "email", purpose = "newsletter", action = "grant", legalBasis = "consent", source = "Messe", text = "Ja, Newsletter.",
            })));
        await OkJsonAsync(await client.PostAsync($"/api/v1/people/{no.GetProperty("id")}/consents", Json(new { channel = "email", purpose = "newsletter", action = "withdraw", source = "Anruf" })));
        Assert.Equal(1, await CountAsync(client, new { entity = "people", conditions = new[] { new { field = "tag", op = "eq", value = tag }, new { field = "consent", op = "eq", value = "email/newsletter" } } }));
        await OkJsonAsync(await client.PutAsync($"/api/v1/people/{yes.GetProperty("id")}/motives/ratings", Json(new { ratings = new[] { new { motive = "security", value = 5 } } })));
        Assert.Equal(1, await CountAsync(client, new { entity = "people", conditions = new[] { new { field = "tag", op = "eq", value = tag }, new { field = "motive", op = "gte", value = "security:0.6" } } }));
        Assert.Equal(0, await CountAsync(client, new { entity = "people", conditions = new[] { new { field = "tag", op = "eq", value = tag }, new { field = "motive", op = "gte", value = "economy:0.6" } } }));
    }
}
