namespace Motiv.Web.Tests;

/// <summary>Rules that an internal review found unguarded, each now pinned by a test on both databases.</summary>
public sealed class ReviewFixTests(ApiWorld worlds) : IClassFixture<ApiWorld>
{
    [Theory, MemberData(nameof(ApiWorld.Databases), MemberType = typeof(ApiWorld))]
    public async Task A_colleague_may_edit_a_team_record_but_not_take_it_over(string db)
    {
        var w = await worlds.GetAsync(db);
        var (id, etag) = await w.Client(w.SalesA).CreateOrganizationAsync(new { name = Api.Unique("Teamkunde GmbH"), visibility = "team" });
        var before = await w.Factory.FingerprintAsync();
        var takeOver = await w.Client(w.SalesA2).PatchAsync($"/api/v1/organizations/{id}", new { ownerId = w.SalesA2 }, etag);
        Assert.Equal(HttpStatusCode.Forbidden, takeOver.StatusCode);
        Assert.Equal(before, await w.Factory.FingerprintAsync());
        Assert.Equal(HttpStatusCode.OK, (await w.Client(w.SalesA2).PatchAsync($"/api/v1/organizations/{id}", new { industry = "Bau" }, etag)).StatusCode);
    }

    [Theory, MemberData(nameof(ApiWorld.Databases), MemberType = typeof(ApiWorld))]
    public async Task A_read_only_token_of_an_administrator_changes_nothing(string db)
    {
        var w = await worlds.GetAsync(db);
        var created = await (await w.Client(w.Admin).PostAsync("/api/v1/tokens", Api.Json(new { name = "Admin read", readOnly = true }))).ReadJsonAsync();
        using var client = w.Factory.ClientWithToken(created.GetProperty("accessToken").GetString()!);
        var before = await w.Factory.FingerprintAsync();
        Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsync("/api/v1/custom-fields", Api.Json(new { recordType = "organization", key = "ro", labelEn = "R", labelDe = "R", type = "text" }))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsync("/api/v1/teams", Api.Json(new { name = "RO" }))).StatusCode);
        Assert.Equal(before, await w.Factory.FingerprintAsync());
        // The core refuses too, whatever the endpoint: a read-only administrator scope may not create.
        var scope = new Core.Access.AccessScope(w.Admin, true, true, true, [], []);
        Assert.False(Core.Access.AccessRules.CanAssign(scope, w.Admin, null, []));
        Assert.False(scope.CanAdminister);
    }

    [Theory, MemberData(nameof(ApiWorld.Databases), MemberType = typeof(ApiWorld))]
    public async Task Reactivating_a_user_does_not_revive_their_old_tokens_and_a_weak_new_password_changes_nothing(string db)
    {
        var w = await worlds.GetAsync(db);
        var email = $"leaver{Guid.CreateVersion7().ToString("N")[^6..]}@test.example";
        var user = await w.Factory.CreateUserAsync(email, Core.Access.Roles.Sales, w.TeamA);
        using var client = await w.Factory.ClientForAsync(user);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/organizations")).StatusCode);
        var admin = w.Client(w.Admin);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/v1/users/{user}", (string?)null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.PatchAsync($"/api/v1/users/{user}", new { isActive = true }, null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/organizations")).StatusCode);

        var before = await w.Factory.FingerprintAsync();
        var weak = await admin.PatchAsync($"/api/v1/users/{user}", new { password = "kurz", displayName = "Umbenannt" }, null);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, weak.StatusCode);
        Assert.True((await weak.ReadJsonAsync()).GetProperty("errors").TryGetProperty("password", out _));
        Assert.Equal(before, await w.Factory.FingerprintAsync());
        var login = await w.Factory.CreateClient().PostAsync("/api/v1/auth/token", Api.Json(new { email, password = MotivWebFactory.Password }));
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        await using var sys = w.Factory.SystemDb();
        Assert.Equal(email.Split('@')[0], sys.Users.Single(u => u.Id == user).DisplayName);
    }

    [Theory, MemberData(nameof(ApiWorld.Databases), MemberType = typeof(ApiWorld))]
    public async Task A_parent_cycle_through_a_hidden_organisation_is_refused(string db)
    {
        var w = await worlds.GetAsync(db);
        var (b, bTag) = await w.Client(w.SalesA).CreateOrganizationAsync(new { name = Api.Unique("B GmbH"), visibility = "everyone" });
        var (h, _) = await w.Client(w.SalesB).CreateOrganizationAsync(new { name = Api.Unique("H GmbH"), visibility = "private", parentId = b });
        var (a, _) = await w.Client(w.Admin).CreateOrganizationAsync(new { name = Api.Unique("A GmbH"), visibility = "everyone", teamId = w.TeamA, parentId = h });
        var before = await w.Factory.FingerprintAsync();
        var cycle = await w.Client(w.SalesA).PatchAsync($"/api/v1/organizations/{b}", new { parentId = a }, bTag);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, cycle.StatusCode);
        Assert.Equal(before, await w.Factory.FingerprintAsync());
    }

    [Theory, MemberData(nameof(ApiWorld.Databases), MemberType = typeof(ApiWorld))]
    public async Task The_list_filter_matches_names_with_capital_umlauts_in_any_case(string db)
    {
        var w = await worlds.GetAsync(db);
        var unique = Guid.CreateVersion7().ToString("N")[^5..];
        var (id, _) = await w.Client(w.SalesA).CreateOrganizationAsync(new { name = $"ÖKO-Bau Ärztehaus {unique} GmbH" });
        foreach (var q in new[] { $"ÖKO-BAU ÄRZTEHAUS {unique}", $"öko-bau ärztehaus {unique}", $"oko bau arztehaus {unique}" })
        {
            var list = await (await w.Client(w.SalesA).GetAsync($"/api/v1/organizations?q={Uri.EscapeDataString(q)}")).ReadJsonAsync();
            Assert.True(list.GetProperty("items").EnumerateArray().Any(i => i.GetProperty("id").GetGuid() == id), q);
        }
    }

    [Theory, MemberData(nameof(ApiWorld.Databases), MemberType = typeof(ApiWorld))]
    public async Task History_does_not_name_employers_the_reader_may_not_see(string db)
    {
        var w = await worlds.GetAsync(db);
        var (hidden, _) = await w.Client(w.SalesB).CreateOrganizationAsync(new { name = Api.Unique("Geheimarbeitgeber GmbH"), visibility = "private" });
        var (visible, _) = await w.Client(w.SalesA).CreateOrganizationAsync(new { name = Api.Unique("Offener Arbeitgeber GmbH"), visibility = "everyone" });
        var person = await (await w.Client(w.Admin).PostAsync("/api/v1/people", Api.Json(new
        {
            firstName = "Doppel", lastName = Api.Unique("Job"), visibility = "everyone", teamId = w.TeamA,
            employments = new object[] { new { organizationId = hidden, position = "Berater" }, new { organizationId = visible, position = "Einkauf" } },
        }))).ReadJsonAsync();
        var id = person.GetProperty("id").GetGuid();
        var asSalesA = (await (await w.Client(w.SalesA).GetAsync($"/api/v1/people/{id}/history")).ReadJsonAsync()).ToString();
        Assert.DoesNotContain(hidden.ToString(), asSalesA);
        Assert.DoesNotContain("Geheimarbeitgeber", asSalesA);
        Assert.DoesNotContain("Berater", asSalesA);
        Assert.Contains("Offener Arbeitgeber", asSalesA);
        var asAdmin = (await (await w.Client(w.Admin).GetAsync($"/api/v1/people/{id}/history")).ReadJsonAsync()).ToString();
        Assert.Contains("Geheimarbeitgeber", asAdmin);
    }
}
