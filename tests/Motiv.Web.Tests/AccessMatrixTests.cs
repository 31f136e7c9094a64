using Motiv.Core.Common;
using Motiv.Core.Customers;

namespace Motiv.Web.Tests;

/// <summary>
/// Every record endpoint × every role × own/team/other records: the expected status, and for every
/// refusal an unchanged database. Lists, counts, filters, search and history must not reveal what a
/// user may not see.
/// </summary>
public sealed class AccessMatrixTests(ApiWorld worlds) : IClassFixture<ApiWorld>
{
    private enum Kind { PrivateOfSalesA, TeamOfSalesA, EveryoneOfSalesA, TeamOfSalesB }

    // read: may see; write: may change and delete (only meaningful when read is true)
    private static readonly Dictionary<(Kind, string), (bool Read, bool Write)> Expected = new()
    {
        [(Kind.PrivateOfSalesA, "admin")] = (true, true),
        [(Kind.PrivateOfSalesA, "manager")] = (true, true),
        [(Kind.PrivateOfSalesA, "salesA")] = (true, true),
        [(Kind.PrivateOfSalesA, "salesA2")] = (false, false),
        [(Kind.PrivateOfSalesA, "salesB")] = (false, false),
        [(Kind.PrivateOfSalesA, "readOnly")] = (false, false),
        [(Kind.TeamOfSalesA, "admin")] = (true, true),
        [(Kind.TeamOfSalesA, "manager")] = (true, true),
        [(Kind.TeamOfSalesA, "salesA")] = (true, true),
        [(Kind.TeamOfSalesA, "salesA2")] = (true, true),
        [(Kind.TeamOfSalesA, "salesB")] = (false, false),
        [(Kind.TeamOfSalesA, "readOnly")] = (true, false),
        [(Kind.EveryoneOfSalesA, "admin")] = (true, true),
        [(Kind.EveryoneOfSalesA, "manager")] = (true, true),
        [(Kind.EveryoneOfSalesA, "salesA")] = (true, true),
        [(Kind.EveryoneOfSalesA, "salesA2")] = (true, true),
        [(Kind.EveryoneOfSalesA, "salesB")] = (true, false),
        [(Kind.EveryoneOfSalesA, "readOnly")] = (true, false),
        [(Kind.TeamOfSalesB, "admin")] = (true, true),
        [(Kind.TeamOfSalesB, "manager")] = (false, false),
        [(Kind.TeamOfSalesB, "salesA")] = (false, false),
        [(Kind.TeamOfSalesB, "salesA2")] = (false, false),
        [(Kind.TeamOfSalesB, "salesB")] = (true, true),
        [(Kind.TeamOfSalesB, "readOnly")] = (false, false),
    };

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var db in TestDatabase.All)
            foreach (var segment in new[] { "organizations", "people", "relationships", "products", "leads", "deals", "quotes", "orders", "interactions", "tasks" })
                data.Add(db, segment);
        return data;
    }

    [Theory, MemberData(nameof(Cases))]
    public async Task Every_role_gets_exactly_its_rights_on_every_record_endpoint(string db, string segment)
    {
        var w = await worlds.GetAsync(db);
        foreach (var kind in Enum.GetValues<Kind>())
        {
            foreach (var (user, userId) in w.Users)
            {
                var (read, write) = Expected[(kind, user)];
                var label = $"{segment} {kind} as {user}";
                var id = await CreateAsync(w, segment, kind);
                var client = w.Client(userId);

                var get = await client.GetAsync($"/api/v1/{segment}/{id}");
                Assert.True((read ? HttpStatusCode.OK : HttpStatusCode.NotFound) == get.StatusCode, label + " GET " + get.StatusCode);
                var history = await client.GetAsync($"/api/v1/{segment}/{id}/history");
                Assert.True((read ? HttpStatusCode.OK : HttpStatusCode.NotFound) == history.StatusCode, label + " history");

                var before = await w.Factory.FingerprintAsync();
                var patch = await client.PatchAsync($"/api/v1/{segment}/{id}", PatchBody(segment), "\"1\"");
                var expectedPatch = !read ? HttpStatusCode.NotFound : write ? HttpStatusCode.OK : HttpStatusCode.Forbidden;
                Assert.True(expectedPatch == patch.StatusCode, $"{label} PATCH {patch.StatusCode}: {await patch.Content.ReadAsStringAsync()}");
                if (!write) Assert.Equal(before, await w.Factory.FingerprintAsync());

                before = await w.Factory.FingerprintAsync();
                var delete = await client.DeleteAsync($"/api/v1/{segment}/{id}", (string?)null);
                var expectedDelete = !read ? HttpStatusCode.NotFound : write ? HttpStatusCode.NoContent : HttpStatusCode.Forbidden;
                Assert.True(expectedDelete == delete.StatusCode, $"{label} DELETE {delete.StatusCode}");
                if (!write) Assert.Equal(before, await w.Factory.FingerprintAsync());

                // In the recycle bin a record stays as visible as it was: others may see it there only if they could
                // read it before, and restore it only if they could change it.
                if (write && user != "salesA")
                {
                    var strangerName = kind == Kind.TeamOfSalesB ? "salesA" : "salesB";
                    var (strangerReads, strangerWrites) = Expected[(kind, strangerName)];
                    var stranger = w.Client(strangerName == "salesA" ? w.SalesA : w.SalesB);
                    before = await w.Factory.FingerprintAsync();
                    var restore = await stranger.PostAsync($"/api/v1/recycle-bin/{segment}/{id}/restore", null);
                    Assert.Equal(strangerReads ? HttpStatusCode.Forbidden : HttpStatusCode.NotFound, restore.StatusCode);
                    Assert.False(strangerWrites, label);
                    Assert.Equal(before, await w.Factory.FingerprintAsync());
                    var bin = await (await stranger.GetAsync("/api/v1/recycle-bin")).ReadJsonAsync();
                    Assert.Equal(strangerReads, bin.GetProperty("items").EnumerateArray().Any(i => i.GetProperty("id").GetGuid() == id));
                }
            }
        }
    }

    [Theory, MemberData(nameof(ApiWorld.Databases), MemberType = typeof(ApiWorld))]
    public async Task Lists_counts_filters_and_search_do_not_reveal_hidden_records(string db)
    {
        var w = await worlds.GetAsync(db);
        var secret = "Geheim" + Guid.CreateVersion7().ToString("N")[^8..];
        var city = "Stadt" + secret;
        var (id, _) = await w.Client(w.SalesA).CreateOrganizationAsync(new
        {
            name = secret + " GmbH", visibility = "private", vatId = "DE136695976",
            addresses = new[] { new { street = "", postalCode = "", city, country = "DE" } }, tags = new[] { secret },
        });

        foreach (var (user, userId) in w.Users)
        {
            var sees = user is "admin" or "manager" or "salesA";
            var client = w.Client(userId);
            var expected = sees ? 1 : 0;
            foreach (var query in new[] { $"q={secret}", $"city={city}", $"tag={secret}", $"q={secret}&sort=-updatedAt" })
            {
                var list = await (await client.GetAsync($"/api/v1/organizations?{query}")).ReadJsonAsync();
                Assert.True(expected == list.GetProperty("total").GetInt32(), $"{user} {query}");
                Assert.Equal(expected, list.GetProperty("items").GetArrayLength());
            }
            foreach (var q in new[] { secret, secret[..8], secret.ToLowerInvariant() + "x" })
            {
                var search = await (await client.GetAsync($"/api/v1/search?q={q}")).ReadJsonAsync();
                Assert.True(sees == search.GetProperty("items").EnumerateArray().Any(i => i.GetProperty("id").GetGuid() == id), $"{user} search {q}");
            }
        }
    }

    [Theory, MemberData(nameof(ApiWorld.Databases), MemberType = typeof(ApiWorld))]
    public async Task A_client_sent_owner_version_or_stamp_is_not_trusted(string db)
    {
        var w = await worlds.GetAsync(db);
        var before = await w.Factory.FingerprintAsync();
        var foreignOwner = await w.Client(w.SalesA).PostAsync("/api/v1/organizations", Api.Json(new { name = "Fremd GmbH", ownerId = w.SalesB }));
        Assert.Equal(HttpStatusCode.Forbidden, foreignOwner.StatusCode);
        var foreignTeam = await w.Client(w.SalesA).PostAsync("/api/v1/organizations", Api.Json(new { name = "Fremd GmbH", teamId = w.TeamB }));
        Assert.Equal(HttpStatusCode.Forbidden, foreignTeam.StatusCode);
        Assert.Equal(before, await w.Factory.FingerprintAsync());

        var sneaky = await w.Client(w.SalesA).PostAsync("/api/v1/organizations", Api.Json(new
        {
            name = Api.Unique("Eigen GmbH"), version = 99, createdAt = "2000-01-01T00:00:00Z", createdById = w.Admin, id = Guid.CreateVersion7(),
        }));
        Assert.Equal(HttpStatusCode.Created, sneaky.StatusCode);
        var json = await sneaky.ReadJsonAsync();
        Assert.Equal(1, json.GetProperty("version").GetInt64());
        Assert.Equal(w.SalesA, json.GetProperty("createdById").GetGuid());
        Assert.Equal(w.SalesA, json.GetProperty("ownerId").GetGuid());
        Assert.Equal(w.Factory.Clock.GetUtcNow(), json.GetProperty("createdAt").GetDateTimeOffset());

        // A manager may hand a record to a member of a team they manage, but not to someone outside it.
        var id = json.GetProperty("id").GetGuid();
        var toColleague = await w.Client(w.Manager).PatchAsync($"/api/v1/organizations/{id}", new { ownerId = w.SalesA2 }, "\"1\"");
        Assert.Equal(HttpStatusCode.OK, toColleague.StatusCode);
        before = await w.Factory.FingerprintAsync();
        var toStranger = await w.Client(w.Manager).PatchAsync($"/api/v1/organizations/{id}", new { ownerId = w.SalesB }, "\"2\"");
        Assert.Equal(HttpStatusCode.Forbidden, toStranger.StatusCode);
        Assert.Equal(before, await w.Factory.FingerprintAsync());
    }

    [Theory, MemberData(nameof(ApiWorld.Databases), MemberType = typeof(ApiWorld))]
    public async Task Administration_and_tokens_are_guarded(string db)
    {
        var w = await worlds.GetAsync(db);
        foreach (var (user, userId) in w.Users.Where(u => u.Name != "admin"))
        {
            var client = w.Client(userId);
            var before = await w.Factory.FingerprintAsync();
            Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsync("/api/v1/users", Api.Json(new { email = $"x{user}@test.example", displayName = "X", password = "Abcdefgh12", roles = new[] { "Administrator" } }))).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.PatchAsync($"/api/v1/users/{userId}", new { roles = new[] { "Administrator" } }, null)).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsync("/api/v1/teams", Api.Json(new { name = "Mine" }))).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.DeleteAsync($"/api/v1/teams/{w.TeamA}", (string?)null)).StatusCode);
            Assert.Equal(before, await w.Factory.FingerprintAsync());
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/users")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/teams")).StatusCode);
        }

        var anonymous = w.Factory.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/v1/organizations")).StatusCode);
        var forged = w.Factory.ClientWithToken("motiv_" + new string('0', 64));
        Assert.Equal(HttpStatusCode.Unauthorized, (await forged.GetAsync("/api/v1/organizations")).StatusCode);
    }

    private static object PatchBody(string segment) => segment switch
    {
        "organizations" => new { industry = "Geändert" },
        "people" => new { notes = "Geändert" },
        "products" => new { unit = "Monat" },
        "leads" => new { notes = "Geändert" },
        "deals" => new { notes = "Geändert" },
        "quotes" => new { terms = "Geändert" },
        "orders" => new { notes = "Geändert" },
        "interactions" => new { outcome = "Geändert" },
        "tasks" => new { description = "Geändert" },
        _ => new { note = "Geändert" },
    };

    private static async Task<Guid> CreateAsync(World w, string segment, Kind kind)
    {
        var (owner, team, visibility) = kind switch
        {
            Kind.PrivateOfSalesA => (w.SalesA, w.TeamA, Visibility.Private),
            Kind.TeamOfSalesA => (w.SalesA, w.TeamA, Visibility.Team),
            Kind.EveryoneOfSalesA => (w.SalesA, w.TeamA, Visibility.Everyone),
            _ => (w.SalesB, w.TeamB, Visibility.Team),
        };
        await using var sys = w.Factory.SystemDb();
        Core.Common.Record record = segment switch
        {
            "organizations" => new Organization { Name = Api.Unique("Matrix GmbH") },
            "people" => new Person { FirstName = "Matrix", LastName = Api.Unique("Person") },
            "products" => new Core.Sales.Product { Sku = Api.Unique("SKU"), NameDe = "Matrix", NameEn = "Matrix", Unit = "Stück", VatRate = 19 },
            "leads" => new Core.Sales.Lead { LastName = Api.Unique("Matrix") },
            "tasks" => new Core.Activities.TaskItem { Title = Api.Unique("Matrix") },
            "interactions" => new Core.Communication.Interaction { Subject = Api.Unique("Matrix"), OccurredAt = new DateTimeOffset(2026, 11, 26, 9, 0, 0, TimeSpan.Zero) },
            "deals" => await DealAsync(sys),
            "quotes" => await DocumentAsync(sys, new Core.Sales.Quote { QuoteDate = new DateOnly(2026, 11, 26), ValidUntil = new DateOnly(2026, 12, 26) }),
            "orders" => await DocumentAsync(sys, new Core.Sales.Order { OrderDate = new DateOnly(2026, 11, 26), RateDate = new DateOnly(2026, 11, 26) }),
            _ => await RelationshipAsync(sys),
        };
        record.OwnerId = owner;
        record.TeamId = team;
        record.Visibility = visibility;
        sys.Add(record);
        await sys.SaveChangesAsync();
        return record.Id;
    }

    private static async Task<Core.Sales.Deal> DealAsync(Core.Data.MotivDbContext sys)
    {
        var pipeline = await sys.Pipelines.Include(p => p.Stages).OrderBy(p => p.SortOrder).FirstAsync();
        return new Core.Sales.Deal { Title = Api.Unique("Matrix"), PipelineId = pipeline.Id, StageId = pipeline.Stages.First(s => s.Kind == Core.Sales.StageKind.Open).Id };
    }

    /// <summary>A quote or order of a customer everyone may see: only its own visibility decides.</summary>
    private static async Task<T> DocumentAsync<T>(Core.Data.MotivDbContext sys, T doc) where T : Core.Sales.SalesDocument
    {
        var customer = new Organization { Name = Api.Unique("Kunde"), Visibility = Visibility.Everyone };
        sys.Add(customer);
        await sys.SaveChangesAsync();
        doc.OrganizationId = customer.Id;
        doc.Number = Api.Unique("M");
        doc.Year = 2026;
        doc.Lines = [new Core.Sales.LineItem { RecordId = doc.Id, Position = 1, Name = "Matrix", Unit = "Stück", Quantity = 1, UnitPrice = 10, VatRate = 19, Net = 10 }];
        return doc;
    }

    /// <summary>A relationship between two people everyone may see: only its own visibility decides.</summary>
    private static async Task<Relationship> RelationshipAsync(Core.Data.MotivDbContext sys)
    {
        var a = new Person { FirstName = "A", LastName = "Public", Visibility = Visibility.Everyone };
        var b = new Person { FirstName = "B", LastName = "Public", Visibility = Visibility.Everyone };
        sys.AddRange(a, b);
        await sys.SaveChangesAsync();
        return new Relationship { Kind = RelationshipType.Knows, FromId = a.Id, ToId = b.Id };
    }
}
