using Motiv.Core.Common;
using Motiv.Core.Customers;
using Motiv.Core.Sales;
using static Motiv.Web.Tests.Api;

namespace Motiv.Web.Tests;

/// <summary>Customer analytics over the orders the caller may read; both databases.</summary>
public sealed class InsightsApiTests(ApiWorld worlds) : IClassFixture<ApiWorld>
{
    /// <summary>Forty organisations of team A with orders over a year (some buy often, some stopped); two products always bought together.</summary>
    private static async Task<string> SeedAsync(World w)
    {
        var tag = "insight-" + Guid.CreateVersion7().ToString("N")[^8..];
        var random = new Random(42);
        await using var sys = w.Factory.SystemDb();
        var a = new Product { Sku = tag + "-A", NameDe = "Wartung " + tag, NameEn = "Maintenance " + tag, Unit = "Jahr", OwnerId = w.SalesA, Visibility = Visibility.Everyone };
        var b = new Product { Sku = tag + "-B", NameDe = "Support " + tag, NameEn = "Support " + tag, Unit = "Stunde", OwnerId = w.SalesA, Visibility = Visibility.Everyone };
        sys.Products.AddRange(a, b);
        var start = new DateOnly(2025, 11, 1);
        var n = 0;
        for (var i = 0; i < 40; i++)
        {
            var org = new Organization { Name = $"Kunde {i:D2} {tag}", Tags = TagList.ToStored([tag]), OwnerId = w.SalesA, TeamId = w.TeamA, Visibility = Visibility.Team };
            sys.Organizations.Add(org);
            var day = start.AddDays(random.Next(60));
            var stopped = i % 4 == 0;
            var gap = 10 + random.Next(50);
            while (day <= new DateOnly(2026, 11, 20) && !(stopped && day > new DateOnly(2026, 3, 1)))
            {
                var order = new Order
                {
                    Number = $"{tag}-{n++}", Year = day.Year, OrganizationId = org.Id, OrderDate = day, RateDate = day, BaseNet = 100m + random.Next(400),
                    Status = OrderStatus.Confirmed, OwnerId = w.SalesA, TeamId = w.TeamA, Visibility = Visibility.Team,
                };
                order.Lines.Add(new LineItem { RecordId = order.Id, Position = 1, ProductId = a.Id, Name = a.NameDe, Unit = a.Unit, Quantity = 1 });
                if (i % 3 != 0) order.Lines.Add(new LineItem { RecordId = order.Id, Position = 2, ProductId = b.Id, Name = b.NameDe, Unit = b.Unit, Quantity = 1 });
                sys.Orders.Add(order);
                day = day.AddDays(gap + random.Next(20));
            }
        }
        await sys.SaveChangesAsync();
        return tag;
    }

    [Theory, MemberData(nameof(ApiWorld.Databases), MemberType = typeof(ApiWorld))]
    public async Task Lifetime_value_churn_rfm_and_rules_come_from_the_orders_the_caller_may_read(string db)
    {
        var w = await worlds.GetAsync(db);
        var tag = await SeedAsync(w);
        var client = w.Client(w.SalesA);
        var query = $"tag={tag}&asOf=2026-11-26";

        var model = await OkJsonAsync(await client.GetAsync($"/api/v1/insights/clv/model?{query}&unit=week"));
        Assert.Equal(40, model.GetProperty("customers").GetInt32());
        foreach (var p in new[] { "r", "alpha", "a", "b" }) Assert.True(model.GetProperty("bgnbd").GetProperty(p).GetDouble() > 0, p);
        Assert.True(model.GetProperty("gammaGamma").GetProperty("p").GetDouble() > 0);

        var customers = (await OkJsonAsync(await client.GetAsync($"/api/v1/insights/clv/customers?{query}&horizon=52&limit=40"))).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(40, customers.Count);
        var values = customers.Select(c => c.GetProperty("value").GetDouble()).ToList();
        Assert.Equal(values.OrderDescending(), values);
        var churn = (await OkJsonAsync(await client.GetAsync($"/api/v1/insights/churn?{query}&limit=10"))).GetProperty("items").EnumerateArray().ToList();
        // Those who stopped in March are the likeliest gone.
        Assert.All(churn.Take(5), c => Assert.Matches(@"Kunde (00|04|08|12|16|20|24|28|32|36) ", c.GetProperty("name").GetString()!));
        Assert.All(churn, c => Assert.InRange(c.GetProperty("probabilityAlive").GetDouble(), 0, 1));

        var rfm = await OkJsonAsync(await client.GetAsync($"/api/v1/insights/rfm?{query}"));
        Assert.Equal(40, rfm.GetProperty("segments").EnumerateObject().Sum(s => s.Value.GetInt32()));
        var rules = (await OkJsonAsync(await client.GetAsync($"/api/v1/insights/association-rules?{query}&minSupport=0.3&minConfidence=0.9"))).GetProperty("items").EnumerateArray().ToList();
        var rule = Assert.Single(rules);
        Assert.Equal($"Support {tag}", rule.GetProperty("antecedent")[0].GetString());
        Assert.Equal(1.0, rule.GetProperty("confidence").GetDouble());

        var cohorts = (await OkJsonAsync(await client.GetAsync($"/api/v1/insights/cohorts?{query}"))).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(40, cohorts.Sum(c => c.GetProperty("size").GetInt32()));
        Assert.All(cohorts, c => Assert.Equal(1.0, c.GetProperty("retention")[0].GetDouble()));

        // A contact of a customer who only buys maintenance is offered support, with the rule behind it.
        var org = await (await client.GetAsync($"/api/v1/organizations?q=Kunde%2000%20{tag}")).ReadJsonAsync();
        var orgId = org.GetProperty("items")[0].GetProperty("id").GetGuid();
        var person = await OkJsonAsync(await client.PostAsync("/api/v1/people", Json(new
        {
            firstName = "Paula", lastName = "Produkt", employments = new[] { new { organizationId = orgId, isPrimary = true } }, visibility = "team", teamId = w.TeamA,
        })), HttpStatusCode.Created);
        var suggestions = (await OkJsonAsync(await client.GetAsync($"/api/v1/people/{person.GetProperty("id").GetGuid()}/product-suggestions"))).GetProperty("items");
        var support = Assert.Single(suggestions.EnumerateArray(), x => x.GetProperty("name").GetString() == $"Support {tag}");
        Assert.Contains($"Maintenance {tag}", support.GetProperty("reason").GetString());

        // Another team sees none of these customers; bad parameters are named.
        var other = await w.Client(w.SalesB).GetAsync($"/api/v1/insights/clv/model?{query}");
        Assert.Equal(HttpStatusCode.BadRequest, other.StatusCode);
        Assert.Contains("0", (await other.ReadJsonAsync()).GetProperty("errors").GetProperty("customers")[0].GetString());
        Assert.True((await (await client.GetAsync($"/api/v1/insights/clv/model?{query}&unit=month")).ReadJsonAsync()).GetProperty("errors").TryGetProperty("unit", out _));
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync($"/api/v1/insights/association-rules?{query}&level=brand")).StatusCode);

        // A product moved to the recycle bin still names the rules of the orders that have it.
        await using (var sys = w.Factory.SystemDb())
            await sys.Products.Where(p => p.Sku == tag + "-B").ExecuteUpdateAsync(u => u.SetProperty(p => p.DeletedAt, w.Factory.Clock.GetUtcNow()));
        var kept = (await OkJsonAsync(await client.GetAsync($"/api/v1/insights/association-rules?{query}&minSupport=0.3&minConfidence=0.9"))).GetProperty("items");
        Assert.Equal($"Support {tag}", Assert.Single(kept.EnumerateArray()).GetProperty("antecedent")[0].GetString());
    }
    [Theory, MemberData(nameof(ApiWorld.Databases), MemberType = typeof(ApiWorld))]
    public async Task Product_suggestions_follow_the_orders_as_they_are_added_and_deleted(string db)
    {
        var w = await worlds.GetAsync(db);
        var tag = "pair-" + Guid.CreateVersion7().ToString("N")[^8..];
        var camera = new Product { Sku = tag + "-K", NameDe = "Kamera " + tag, NameEn = "Camera " + tag, Unit = "Stück", OwnerId = w.SalesA, Visibility = Visibility.Everyone };
        var lens = new Product { Sku = tag + "-O", NameDe = "Objektiv " + tag, NameEn = "Lens " + tag, Unit = "Stück", OwnerId = w.SalesA, Visibility = Visibility.Everyone };
        var buyer = new Organization { Name = "Käufer " + tag, OwnerId = w.SalesA, Visibility = Visibility.Everyone };
        var others = new Organization { Name = "Andere " + tag, OwnerId = w.SalesA, Visibility = Visibility.Everyone };
        await using (var sys = w.Factory.SystemDb())
        {
            sys.AddRange(camera, lens, buyer, others);
            await sys.SaveChangesAsync();
        }
        var client = w.Client(w.SalesA);
        async Task<Guid> OrderAsync(Organization org, params Product[] products) => (await OkJsonAsync(await client.PostAsync("/api/v1/orders", Json(new
        {
            organizationId = org.Id, orderDate = "2026-11-20", status = "delivered",
            lines = products.Select(p => new { productId = p.Id, quantity = 1, unitPrice = 100 }).ToArray(),
        })), HttpStatusCode.Created)).GetProperty("id").GetGuid();
        // The lens offered to the buyer because of a rule names the camera (a merely popular product names none).
        async Task<bool> LensByRuleAsync() => (await OkJsonAsync(await client.GetAsync($"/api/v1/organizations/{buyer.Id}/product-suggestions"))).GetProperty("items")
            .EnumerateArray().Any(x => x.GetProperty("productId").GetGuid() == lens.Id && x.GetProperty("reason").GetString()!.Contains(tag));

        await OrderAsync(buyer, camera);
        Assert.False(await LensByRuleAsync());
        // Three orders with both: the rule counts them at once.
        List<Guid> pairs = [await OrderAsync(others, camera, lens), await OrderAsync(others, camera, lens), await OrderAsync(others, camera, lens)];
        Assert.True(await LensByRuleAsync());
        // Deleted (the number of orders stays: they are in the recycle bin), they no longer count.
        foreach (var id in pairs) Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/v1/orders/{id}", (string?)null)).StatusCode);
        Assert.False(await LensByRuleAsync());
    }
}
