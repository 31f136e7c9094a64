namespace Motiv.Web.Tests;

public sealed class OrganizationApiTests(ApiWorld worlds) : IClassFixture<ApiWorld>
{
    [Theory, MemberData(nameof(ApiWorld.Databases), MemberType = typeof(ApiWorld))]
    public async Task Create_read_update_delete_restore_with_etags_and_history(string db)
    {
        var w = await worlds.GetAsync(db);
        var client = w.Client(w.SalesA);
        var name = Api.Unique("Kaufmann Logistik GmbH");

        var created = await client.PostAsync("/api/v1/organizations", Api.Json(new
        {
            name, roles = new[] { "partner", "customer" }, vatId = "DE 136 695 976", website = "kaufmann-logistik.de",
            phones = new[] { new { number = "030 1234567", type = "work" } },
            emails = new[] { new { address = "Info@Kaufmann-Logistik.de" } },
            addresses = new[] { new { street = "Hafenweg 1", postalCode = "20457", city = "Hamburg", country = "de", type = "billing" } },
            tags = new[] { "VIP", "Messe 2026" },
        }));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var org = await created.ReadJsonAsync();
        var id = org.GetProperty("id").GetGuid();
        Assert.Equal($"/api/v1/organizations/{id}", created.Headers.Location!.OriginalString);
        Assert.Equal("\"1\"", created.Headers.ETag!.Tag);
        Assert.Equal(["partner", "customer"], org.GetProperty("roles").EnumerateArray().Select(r => r.GetString()).Order().Reverse().ToArray());
        Assert.Equal("DE136695976", org.GetProperty("vatId").GetString());
        Assert.Equal("https://kaufmann-logistik.de", org.GetProperty("website").GetString());
        Assert.Equal("+49301234567", org.GetProperty("phones")[0].GetProperty("number").GetString());
        Assert.Equal("info@kaufmann-logistik.de", org.GetProperty("emails")[0].GetProperty("address").GetString());
        Assert.Equal("DE", org.GetProperty("addresses")[0].GetProperty("country").GetString());
        Assert.Equal(["messe 2026", "vip"], org.GetProperty("tags").EnumerateArray().Select(t => t.GetString()).ToArray());
        Assert.Equal(w.SalesA, org.GetProperty("ownerId").GetGuid());
        Assert.Equal(w.TeamA, org.GetProperty("teamId").GetGuid());

        var get = await client.GetAsync($"/api/v1/organizations/{id}");
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Equal("\"1\"", get.Headers.ETag!.Tag);

        var patched = await client.PatchAsync($"/api/v1/organizations/{id}", new { industry = "Logistik", roles = new[] { "customer" } }, "\"1\"");
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        Assert.Equal("\"2\"", patched.Headers.ETag!.Tag);
        var after = await patched.ReadJsonAsync();
        Assert.Equal("Logistik", after.GetProperty("industry").GetString());
        Assert.Equal(name, after.GetProperty("name").GetString()); // untouched fields stay
        Assert.Single(after.GetProperty("roles").EnumerateArray());

        var history = await (await client.GetAsync($"/api/v1/organizations/{id}/history")).ReadJsonAsync();
        var entries = history.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(2, entries.Count);
        Assert.Equal("updated", entries[0].GetProperty("action").GetString());
        Assert.Equal("sales.a", entries[0].GetProperty("userName").GetString());
        var changes = entries[0].GetProperty("changes").EnumerateArray().ToDictionary(c => c.GetProperty("field").GetString()!);
        Assert.Equal(JsonValueKind.Null, changes["industry"].GetProperty("old").ValueKind);
        Assert.Equal("Logistik", changes["industry"].GetProperty("new").GetString());
        Assert.Equal("Customer, Partner", changes["roles"].GetProperty("old").GetString());
        Assert.Equal("created", entries[1].GetProperty("action").GetString());

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/v1/organizations/{id}", "\"2\"")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/v1/organizations/{id}")).StatusCode);
        var bin = await (await client.GetAsync("/api/v1/recycle-bin")).ReadJsonAsync();
        var item = bin.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("id").GetGuid() == id);
        Assert.Equal(name, item.GetProperty("title").GetString());
        Assert.Equal(item.GetProperty("deletedAt").GetDateTimeOffset().AddDays(30), item.GetProperty("purgeAt").GetDateTimeOffset());
        Assert.Empty((await (await client.GetAsync($"/api/v1/search?q={Uri.EscapeDataString(name)}")).ReadJsonAsync()).GetProperty("items").EnumerateArray());

        Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsync($"/api/v1/recycle-bin/organizations/{id}/restore", null)).StatusCode);
        var restored = await client.GetAsync($"/api/v1/organizations/{id}");
        Assert.Equal(HttpStatusCode.OK, restored.StatusCode);
        Assert.Equal("\"4\"", restored.Headers.ETag!.Tag);
        Assert.Single((await (await client.GetAsync($"/api/v1/search?q={Uri.EscapeDataString(name)}")).ReadJsonAsync()).GetProperty("items").EnumerateArray());
    }

    [Theory, MemberData(nameof(ApiWorld.Databases), MemberType = typeof(ApiWorld))]
    public async Task A_stale_write_is_refused_with_412_showing_what_changed_and_nothing_is_overwritten(string db)
    {
        var w = await worlds.GetAsync(db);
        var (id, etag) = await w.Client(w.SalesA).CreateOrganizationAsync(new { name = Api.Unique("Stale GmbH") });
        var first = await w.Client(w.SalesA2).PatchAsync($"/api/v1/organizations/{id}", new { industry = "Bau" }, etag);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);

        var before = await w.Factory.FingerprintAsync();
        var second = await w.Client(w.SalesA).PatchAsync($"/api/v1/organizations/{id}", new { industry = "Handel" }, etag);
        Assert.Equal(HttpStatusCode.PreconditionFailed, second.StatusCode);
        var problem = await second.ReadJsonAsync();
        Assert.Equal(2, problem.GetProperty("currentVersion").GetInt64());
        var change = problem.GetProperty("changes")[0];
        Assert.Equal("sales.a2", change.GetProperty("userName").GetString());
        Assert.Equal("industry", change.GetProperty("changes")[0].GetProperty("field").GetString());
        Assert.Equal("Bau", change.GetProperty("changes")[0].GetProperty("new").GetString());
        Assert.Equal(before, await w.Factory.FingerprintAsync());
        var stored = await (await w.Client(w.SalesA).GetAsync($"/api/v1/organizations/{id}")).ReadJsonAsync();
        Assert.Equal("Bau", stored.GetProperty("industry").GetString());

        var noIfMatch = await w.Client(w.SalesA).PatchAsync($"/api/v1/organizations/{id}", new { industry = "Handel" }, null);
        Assert.Equal((HttpStatusCode)428, noIfMatch.StatusCode);
        var staleDelete = await w.Client(w.SalesA).DeleteAsync($"/api/v1/organizations/{id}", etag);
        Assert.Equal(HttpStatusCode.PreconditionFailed, staleDelete.StatusCode);
        Assert.Equal(before, await w.Factory.FingerprintAsync());
    }

    [Theory, MemberData(nameof(ApiWorld.Databases), MemberType = typeof(ApiWorld))]
    public async Task Bad_input_is_refused_field_by_field_in_the_callers_language_and_nothing_is_stored(string db)
    {
        var w = await worlds.GetAsync(db);
        using var german = w.Factory.ClientWithToken((await w.Factory.WithScopeAsync(sp => sp.GetRequiredService<Motiv.Core.Identity.TokenService>().IssueSessionTokenAsync(w.SalesA))).AccessToken, "de-DE");
        var before = await w.Factory.FingerprintAsync();
        var bad = new
        {
            name = "", vatId = "DE136695977", website = "not a url",
            emails = new[] { new { address = "no-at-sign" } },
            phones = new[] { new { number = "12" } },
            addresses = new[] { new { street = "x", postalCode = "1", city = "", country = "XX" } },
        };
        var english = await w.Client(w.SalesA).PostAsync("/api/v1/organizations", Api.Json(bad));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, english.StatusCode);
        var errors = (await english.ReadJsonAsync()).GetProperty("errors");
        foreach (var field in new[] { "name", "vatId", "website", "emails[0].address", "phones[0].number", "addresses[0].city", "addresses[0].country" })
            Assert.True(errors.TryGetProperty(field, out _), field);
        Assert.Equal("This field is required.", errors.GetProperty("name")[0].GetString());

        var response = await german.PostAsync("/api/v1/organizations", Api.Json(bad));
        var germanErrors = (await response.ReadJsonAsync()).GetProperty("errors");
        Assert.Equal("Dieses Feld ist erforderlich.", germanErrors.GetProperty("name")[0].GetString());
        Assert.StartsWith("Das ist keine gültige USt-IdNr.", germanErrors.GetProperty("vatId")[0].GetString());

        var unknown = await w.Client(w.SalesA).PostAsync("/api/v1/organizations", Api.Json(new { name = "X", colour = "red" }));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, unknown.StatusCode);
        Assert.True((await unknown.ReadJsonAsync()).GetProperty("errors").TryGetProperty("colour", out _));

        var wrongType = await w.Client(w.SalesA).PostAsync("/api/v1/organizations", Api.Json(new { name = "X", roles = "customer" }));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, wrongType.StatusCode);
        Assert.True((await wrongType.ReadJsonAsync()).GetProperty("errors").TryGetProperty("roles", out _));

        var notJson = await w.Client(w.SalesA).PostAsync("/api/v1/organizations", new StringContent("{ name: ", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);
        Assert.Equal(before, await w.Factory.FingerprintAsync());
    }

    [Theory, MemberData(nameof(ApiWorld.Databases), MemberType = typeof(ApiWorld))]
    public async Task Paging_through_a_thousand_records_has_no_duplicates_or_gaps_in_either_direction(string db)
    {
        var w = await worlds.GetAsync(db);
        var tag = "page" + Guid.CreateVersion7().ToString("N")[^8..];
        await using (var sys = w.Factory.SystemDb())
        {
            var random = new Random(7);
            for (var i = 0; i < 1000; i++)
            {
                sys.Organizations.Add(new Core.Customers.Organization
                {
                    Name = $"Firma {random.Next(0, 300):D3}", // many equal names: the id breaks ties
                    OwnerId = w.SalesA, TeamId = w.TeamA, Visibility = Core.Common.Visibility.Team,
                    Tags = Core.Common.TagList.ToStored([tag]), City = random.Next(3) == 0 ? null : $"Stadt {random.Next(20)}",
                });
            }
            await sys.SaveChangesAsync();
        }
        foreach (var sort in new[] { "name", "-name", "city", "-createdAt" })
        {
            var seen = new List<Guid>();
            string? cursor = null;
            var pages = 0;
            do
            {
                var url = $"/api/v1/organizations?tag={tag}&limit=37&sort={sort}" + (cursor is null ? "" : $"&cursor={cursor}");
                var page = await (await w.Client(w.SalesA).GetAsync(url)).ReadJsonAsync();
                Assert.Equal(1000, page.GetProperty("total").GetInt32());
                seen.AddRange(page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid()));
                cursor = page.GetProperty("nextCursor").GetString();
                pages++;
            } while (cursor is not null);
            Assert.Equal(28, pages);
            Assert.Equal(1000, seen.Count);
            Assert.Equal(1000, seen.Distinct().Count());
        }
    }

    [Theory, MemberData(nameof(ApiWorld.Databases), MemberType = typeof(ApiWorld))]
    public async Task Sort_filter_and_query_are_allow_listed_and_harmless(string db)
    {
        var w = await worlds.GetAsync(db);
        var client = w.Client(w.SalesA);
        var name = Api.Unique("O'Brien; DROP TABLE organizations; --");
        var (id, _) = await client.CreateOrganizationAsync(new { name, addresses = new[] { new { street = "", postalCode = "", city = "Köln", country = "DE" } } });

        var unknownSort = await client.GetAsync("/api/v1/organizations?sort=passwordHash");
        Assert.Equal(HttpStatusCode.BadRequest, unknownSort.StatusCode);
        Assert.True((await unknownSort.ReadJsonAsync()).GetProperty("errors").TryGetProperty("sort", out _));
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/api/v1/organizations?sort=name;DROP%20TABLE%20organizations")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/api/v1/organizations?cursor=garbage")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/api/v1/organizations?limit=100000")).StatusCode);

        foreach (var hostile in new[] { "' OR 1=1 --", "%", "_", "\"", "\\", "*", "(", "a\" OR \"b", "NEAR(", "::" })
        {
            var q = Uri.EscapeDataString(hostile);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/v1/organizations?q={q}")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/v1/organizations?tag={q}&city={q}")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/v1/search?q={q}")).StatusCode);
        }
        var found = await (await client.GetAsync($"/api/v1/organizations?q={Uri.EscapeDataString("O'Brien; DROP")}")).ReadJsonAsync();
        Assert.Contains(found.GetProperty("items").EnumerateArray(), i => i.GetProperty("id").GetGuid() == id);
        var byCity = await (await client.GetAsync($"/api/v1/organizations?city=K%C3%B6ln")).ReadJsonAsync();
        Assert.Contains(byCity.GetProperty("items").EnumerateArray(), i => i.GetProperty("id").GetGuid() == id);
    }

    [Theory, MemberData(nameof(ApiWorld.Databases), MemberType = typeof(ApiWorld))]
    public async Task Search_finds_names_by_prefix_and_with_typos_and_emails_phones_and_vat_ids(string db)
    {
        var w = await worlds.GetAsync(db);
        var client = w.Client(w.SalesA);
        var unique = Guid.CreateVersion7().ToString("N")[^6..];
        var (id, _) = await client.CreateOrganizationAsync(new
        {
            name = $"Müllerwerke Zq{unique} GmbH", vatId = "ATU13585627",
            emails = new[] { new { address = $"einkauf.{unique}@muellerwerke.example" } },
            phones = new[] { new { number = "+49 89 7654321" } },
        });
        foreach (var q in new[] { $"Müllerwe Zq{unique}", $"mullerwerke zq{unique}", $"Zq{unique[..3]}", $"Müllerwerk Zq{unique}x", $"einkauf.{unique}@muellerwerke.example", "ATU13585627", "089 7654321", "+49 89 765432" })
        {
            var hits = await (await client.GetAsync($"/api/v1/search?q={Uri.EscapeDataString(q)}")).ReadJsonAsync();
            var hit = hits.GetProperty("items").EnumerateArray().FirstOrDefault(h => h.GetProperty("id").GetGuid() == id);
            Assert.True(hit.ValueKind == JsonValueKind.Object, q);
            Assert.Equal("organization", hit.GetProperty("type").GetString());
        }
    }

    [Theory, MemberData(nameof(ApiWorld.Databases), MemberType = typeof(ApiWorld))]
    public async Task Search_shows_names_with_the_whole_word_first_then_longer_names_then_mentions_in_text(string db)
    {
        var w = await worlds.GetAsync(db);
        var client = w.Client(w.SalesA);
        var word = "Qv" + Guid.CreateVersion7().ToString("N")[^6..];
        // Created in the opposite order of the expected result, so "newest first" alone would get it wrong.
        var note = await client.PostAsync("/api/v1/interactions", Api.Json(new { channel = "note", subject = "Notiz", body = $"Gespräch mit {word} über Preise" }));
        Assert.Equal(HttpStatusCode.Created, note.StatusCode);
        var (longer, _) = await client.CreateOrganizationAsync(new { name = $"{word}werke GmbH" });
        var (exact, _) = await client.CreateOrganizationAsync(new { name = $"{word} AG" });
        var (newer, _) = await client.CreateOrganizationAsync(new { name = $"{word}bau KG" });

        var items = (await Api.OkJsonAsync(await client.GetAsync($"/api/v1/search?q={word.ToLowerInvariant()}"))).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(4, items.Count);
        Assert.Equal(exact, items[0].GetProperty("id").GetGuid());
        Assert.Equal([newer, longer], items.Skip(1).Take(2).Select(i => i.GetProperty("id").GetGuid()));
        Assert.Equal("interaction", items[3].GetProperty("type").GetString());
    }

    [Theory, MemberData(nameof(ApiWorld.Databases), MemberType = typeof(ApiWorld))]
    public async Task Hostile_markup_is_stored_as_text(string db)
    {
        var w = await worlds.GetAsync(db);
        var name = "<script>alert(1)</script><img src=x onerror=alert(2)>{{constructor.constructor('alert(3)')()}}";
        var (id, _) = await w.Client(w.SalesA).CreateOrganizationAsync(new { name, notes = name });
        var json = await (await w.Client(w.SalesA).GetAsync($"/api/v1/organizations/{id}")).ReadJsonAsync();
        Assert.Equal(name, json.GetProperty("name").GetString());
        Assert.Equal(name, json.GetProperty("notes").GetString());
    }

    [Theory, MemberData(nameof(ApiWorld.Databases), MemberType = typeof(ApiWorld))]
    public async Task Parents_subsidiaries_and_employees_are_shown_on_the_family_endpoint(string db)
    {
        var w = await worlds.GetAsync(db);
        var client = w.Client(w.SalesA);
        var (parent, _) = await client.CreateOrganizationAsync(new { name = Api.Unique("Holding AG"), visibility = "everyone" });
        var (child, childTag) = await client.CreateOrganizationAsync(new { name = Api.Unique("Tochter GmbH"), parentId = parent, visibility = "everyone" });
        var person = await client.PostAsync("/api/v1/people", Api.Json(new
        {
            firstName = "Jana", lastName = Api.Unique("Becker"), salutation = "ms",
            employments = new[] { new { organizationId = child, position = "Einkauf", isPrimary = true } },
        }));
        Assert.Equal(HttpStatusCode.Created, person.StatusCode);

        var family = await (await client.GetAsync($"/api/v1/organizations/{child}/family")).ReadJsonAsync();
        Assert.Equal(parent, family.GetProperty("parent").GetProperty("id").GetGuid());
        Assert.Equal("Einkauf", family.GetProperty("people")[0].GetProperty("position").GetString());
        var parentFamily = await (await client.GetAsync($"/api/v1/organizations/{parent}/family")).ReadJsonAsync();
        Assert.Equal(child, parentFamily.GetProperty("subsidiaries")[0].GetProperty("id").GetGuid());

        // A cycle is refused: the parent cannot become its own subsidiary's child.
        var parentEtag = (await client.GetAsync($"/api/v1/organizations/{parent}")).Headers.ETag!.Tag;
        var before = await w.Factory.FingerprintAsync();
        var cycle = await client.PatchAsync($"/api/v1/organizations/{parent}", new { parentId = child }, parentEtag);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, cycle.StatusCode);
        Assert.True((await cycle.ReadJsonAsync()).GetProperty("errors").TryGetProperty("parentId", out _));
        Assert.Equal(before, await w.Factory.FingerprintAsync());
        _ = childTag;
    }
}
