using Motiv.Core.Identity;

namespace Motiv.Web.Tests;

public sealed class PeopleAndAdminApiTests(ApiWorld worlds) : IClassFixture<ApiWorld>
{
    [Theory, MemberData(nameof(ApiWorld.Databases), MemberType = typeof(ApiWorld))]
    public async Task People_have_employments_and_relationships_audited_with_the_person(string db)
    {
        var w = await worlds.GetAsync(db);
        var client = w.Client(w.SalesA);
        var (org, _) = await client.CreateOrganizationAsync(new { name = Api.Unique("Arbeitgeber GmbH"), roles = new[] { "customer" } });
        var (org2, _) = await client.CreateOrganizationAsync(new { name = Api.Unique("Zweitfirma KG") });

        var created = await client.PostAsync("/api/v1/people", Api.Json(new
        {
            salutation = "mr", academicTitle = "Dr.", firstName = "Jürgen", lastName = Api.Unique("Weiß"),
            emails = new[] { new { address = "j.weiss@example.de" } }, phones = new[] { new { number = "+49 151 12345678", type = "mobile" } },
            birthday = "1970-05-17", preferredLanguage = "de", preferredChannel = "phone",
            employments = new[] { new { organizationId = org, position = "Geschäftsführer", department = "Leitung", isPrimary = true, from = "2020-01-01" } },
        }));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var person = await created.ReadJsonAsync();
        var id = person.GetProperty("id").GetGuid();
        Assert.StartsWith("Dr. Jürgen Weiß", person.GetProperty("displayName").GetString());
        Assert.Equal("+4915112345678", person.GetProperty("phones")[0].GetProperty("number").GetString());
        Assert.Equal("1970-05-17", person.GetProperty("birthday").GetString());
        Assert.Equal(org, person.GetProperty("employments")[0].GetProperty("organizationId").GetGuid());

        var patched = await client.PatchAsync($"/api/v1/people/{id}", new
        {
            employments = new object[]
            {
                new { organizationId = org, position = "Beirat", isPrimary = false },
                new { organizationId = org2, position = "Geschäftsführer", isPrimary = true },
            },
        }, "\"1\"");
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        Assert.Equal("\"2\"", patched.Headers.ETag!.Tag);

        var history = (await (await client.GetAsync($"/api/v1/people/{id}/history")).ReadJsonAsync()).GetProperty("items")[0];
        var fields = history.GetProperty("changes").EnumerateArray().Select(c => c.GetProperty("field").GetString()).ToList();
        Assert.Contains("employments", fields);

        var employees = await (await client.GetAsync($"/api/v1/people?organizationId={org2}")).ReadJsonAsync();
        Assert.Equal(id, employees.GetProperty("items")[0].GetProperty("id").GetGuid());

        // Relationships: person ↔ person only between people, with a note; unknown or mismatched ends are field errors.
        var other = await (await client.PostAsync("/api/v1/people", Api.Json(new { firstName = "Eva", lastName = Api.Unique("Klein") }))).ReadJsonAsync();
        var rel = await client.PostAsync("/api/v1/relationships", Api.Json(new { kind = "reportsTo", fromId = other.GetProperty("id").GetGuid(), toId = id, note = "seit 2024" }));
        Assert.Equal(HttpStatusCode.Created, rel.StatusCode);
        var rels = await (await client.GetAsync($"/api/v1/relationships?recordId={id}")).ReadJsonAsync();
        Assert.Equal("reportsTo", rels.GetProperty("items")[0].GetProperty("kind").GetString());
        Assert.StartsWith("Eva", rels.GetProperty("items")[0].GetProperty("fromName").GetString());

        var before = await w.Factory.FingerprintAsync();
        var mismatched = await client.PostAsync("/api/v1/relationships", Api.Json(new { kind = "supplierOf", fromId = id, toId = org }));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, mismatched.StatusCode);
        var errors = (await mismatched.ReadJsonAsync()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("fromId", out _));
        var self = await client.PostAsync("/api/v1/relationships", Api.Json(new { kind = "knows", fromId = id, toId = id }));
        Assert.True((await self.ReadJsonAsync()).GetProperty("errors").TryGetProperty("toId", out _));
        var badEmployment = await client.PatchAsync($"/api/v1/people/{id}", new { employments = new[] { new { organizationId = Guid.CreateVersion7() } }, birthday = "1800-01-01" }, "\"2\"");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, badEmployment.StatusCode);
        var badErrors = (await badEmployment.ReadJsonAsync()).GetProperty("errors");
        Assert.True(badErrors.TryGetProperty("employments[0].organizationId", out _));
        Assert.True(badErrors.TryGetProperty("birthday", out _));
        Assert.Equal(before, await w.Factory.FingerprintAsync());
    }

    [Theory, MemberData(nameof(ApiWorld.Databases), MemberType = typeof(ApiWorld))]
    public async Task Employments_at_organisations_a_user_cannot_see_survive_their_edits(string db)
    {
        var w = await worlds.GetAsync(db);
        var (hidden, _) = await w.Client(w.SalesB).CreateOrganizationAsync(new { name = Api.Unique("Versteckt GmbH"), visibility = "private" });
        var (visible, _) = await w.Client(w.SalesA).CreateOrganizationAsync(new { name = Api.Unique("Sichtbar GmbH"), visibility = "everyone" });
        var person = await (await w.Client(w.Admin).PostAsync("/api/v1/people", Api.Json(new
        {
            firstName = "Geteilt", lastName = Api.Unique("Person"), visibility = "everyone", teamId = w.TeamA,
            employments = new object[] { new { organizationId = hidden }, new { organizationId = visible, isPrimary = true } },
        }))).ReadJsonAsync();
        var id = person.GetProperty("id").GetGuid();

        var seenBySalesA = await (await w.Client(w.SalesA).GetAsync($"/api/v1/people/{id}")).ReadJsonAsync();
        Assert.Single(seenBySalesA.GetProperty("employments").EnumerateArray());
        var edit = await w.Client(w.SalesA).PatchAsync($"/api/v1/people/{id}", new { notes = "Notiz" }, "\"1\"");
        Assert.Equal(HttpStatusCode.OK, edit.StatusCode);
        var seenByAdmin = await (await w.Client(w.Admin).GetAsync($"/api/v1/people/{id}")).ReadJsonAsync();
        Assert.Equal(2, seenByAdmin.GetProperty("employments").GetArrayLength());
    }

    [Theory, MemberData(nameof(ApiWorld.Databases), MemberType = typeof(ApiWorld))]
    public async Task Team_changes_apply_to_the_next_request_of_a_signed_in_user(string db)
    {
        var w = await worlds.GetAsync(db);
        var admin = w.Client(w.Admin);
        var team = (await (await admin.PostAsync("/api/v1/teams", Api.Json(new { name = Api.Unique("Team") }))).ReadJsonAsync()).GetProperty("id").GetGuid();
        var userId = await w.Factory.CreateUserAsync($"{Api.Unique("mover").Replace(' ', '.')}@test.example", Core.Access.Roles.Sales);
        var user = await w.Factory.ClientForAsync(userId);
        // A record visible to the team only, owned by an administrator.
        var (orgId, _) = await admin.CreateOrganizationAsync(new { name = Api.Unique("Teamkunde"), teamId = team, visibility = "team" });
        Assert.Equal(HttpStatusCode.NotFound, (await user.GetAsync($"/api/v1/organizations/{orgId}")).StatusCode);

        // Added to the team through the team: the same token sees the record on its next request.
        Assert.Equal(HttpStatusCode.OK, (await admin.PatchAsync($"/api/v1/teams/{team}", new { memberIds = new[] { userId } }, null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await user.GetAsync($"/api/v1/organizations/{orgId}")).StatusCode);
        // Taken out of all teams through the user: at once no longer.
        Assert.Equal(HttpStatusCode.OK, (await admin.PatchAsync($"/api/v1/users/{userId}", new { teamIds = Array.Empty<Guid>() }, null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await user.GetAsync($"/api/v1/organizations/{orgId}")).StatusCode);
        // Put back through the user, then the team is deleted: the record is out of reach again.
        Assert.Equal(HttpStatusCode.OK, (await admin.PatchAsync($"/api/v1/users/{userId}", new { teamIds = new[] { team } }, null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await user.GetAsync($"/api/v1/organizations/{orgId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/v1/teams/{team}", (string?)null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await user.GetAsync($"/api/v1/organizations/{orgId}")).StatusCode);
        // A role change applies at once as well: made read-only, the user may no longer create records.
        Assert.Equal(HttpStatusCode.OK, (await admin.PatchAsync($"/api/v1/users/{userId}", new { roles = new[] { Core.Access.Roles.ReadOnly } }, null)).StatusCode);
        var before = await w.Factory.FingerprintAsync();
        Assert.Equal(HttpStatusCode.Forbidden, (await user.PostAsync("/api/v1/organizations", Api.Json(new { name = Api.Unique("Nein") }))).StatusCode);
        Assert.Equal(before, await w.Factory.FingerprintAsync());
    }

    [Theory, MemberData(nameof(ApiWorld.Databases), MemberType = typeof(ApiWorld))]
    public async Task Administrators_manage_users_and_teams_and_deactivation_ends_tokens_at_once(string db)
    {
        var w = await worlds.GetAsync(db);
        var admin = w.Client(w.Admin);
        var team = await (await admin.PostAsync("/api/v1/teams", Api.Json(new { name = Api.Unique("Team") }))).ReadJsonAsync();
        var teamId = team.GetProperty("id").GetGuid();

        var before = await w.Factory.FingerprintAsync();
        var weak = await admin.PostAsync("/api/v1/users", Api.Json(new { email = "weak@test.example", displayName = "Weak", password = "short", roles = new[] { "Sales" } }));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, weak.StatusCode);
        var weakJson = await weak.ReadJsonAsync();
        Assert.True(weakJson.GetProperty("errors").TryGetProperty("password", out _), weakJson.ToString());
        var badRole = await admin.PostAsync("/api/v1/users", Api.Json(new { email = "role@test.example", displayName = "R", password = "Abcdefgh12", roles = new[] { "Superuser" } }));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, badRole.StatusCode);
        Assert.Equal(before, await w.Factory.FingerprintAsync());

        var email = $"new{Guid.CreateVersion7().ToString("N")[^6..]}@test.example";
        var created = await admin.PostAsync("/api/v1/users", Api.Json(new { email, displayName = "Neu", password = "Abcdefgh12", roles = new[] { "Sales" }, teamIds = new[] { teamId } }));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var userId = (await created.ReadJsonAsync()).GetProperty("id").GetGuid();

        var token = await w.Factory.CreateClient().PostAsync("/api/v1/auth/token", Api.Json(new { email, password = "Abcdefgh12" }));
        Assert.Equal(HttpStatusCode.OK, token.StatusCode);
        var tokenJson = await token.ReadJsonAsync();
        Assert.True(tokenJson.GetProperty("expiresAt").GetDateTimeOffset() > w.Factory.Clock.GetUtcNow());
        var client = w.Factory.ClientWithToken(tokenJson.GetProperty("accessToken").GetString()!);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/organizations")).StatusCode);

        var duplicate = await admin.PostAsync("/api/v1/users", Api.Json(new { email, displayName = "Zwei", password = "Abcdefgh12" }));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, duplicate.StatusCode);
        Assert.True((await duplicate.ReadJsonAsync()).GetProperty("errors").TryGetProperty("email", out _));

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/v1/users/{userId}", (string?)null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/organizations")).StatusCode);
        var again = await w.Factory.CreateClient().PostAsync("/api/v1/auth/token", Api.Json(new { email, password = "Abcdefgh12" }));
        Assert.Equal(HttpStatusCode.Unauthorized, again.StatusCode);

        var selfDeactivate = await admin.PatchAsync($"/api/v1/users/{w.Admin}", new { isActive = false }, null);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, selfDeactivate.StatusCode);
    }

    [Theory, MemberData(nameof(ApiWorld.Databases), MemberType = typeof(ApiWorld))]
    public async Task Personal_tokens_are_hashed_revocable_and_may_be_read_only(string db)
    {
        var w = await worlds.GetAsync(db);
        var me = w.Client(w.SalesA2);
        var created = await (await me.PostAsync("/api/v1/tokens", Api.Json(new { name = "Skript", readOnly = true }))).ReadJsonAsync();
        var secret = created.GetProperty("accessToken").GetString()!;
        await using (var sys = w.Factory.SystemDb())
        {
            Assert.False(sys.ApiTokens.Any(t => t.Hash == secret));
            Assert.True(sys.ApiTokens.Any(t => t.Hash == TokenService.Hash(secret)));
        }
        var readOnly = w.Factory.ClientWithToken(secret);
        Assert.Equal(HttpStatusCode.OK, (await readOnly.GetAsync("/api/v1/organizations")).StatusCode);
        var before = await w.Factory.FingerprintAsync();
        Assert.Equal(HttpStatusCode.Forbidden, (await readOnly.PostAsync("/api/v1/organizations", Api.Json(new { name = "Nein GmbH" }))).StatusCode);
        Assert.Equal(before, await w.Factory.FingerprintAsync());

        var list = await (await me.GetAsync("/api/v1/tokens")).ReadJsonAsync();
        Assert.Contains(list.GetProperty("items").EnumerateArray(), t => t.GetProperty("name").GetString() == "Skript");
        Assert.Equal(HttpStatusCode.NoContent, (await me.DeleteAsync($"/api/v1/tokens/{created.GetProperty("id").GetGuid()}", (string?)null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await readOnly.GetAsync("/api/v1/organizations")).StatusCode);
    }

    [Theory, MemberData(nameof(ApiWorld.Databases), MemberType = typeof(ApiWorld))]
    public async Task Repeated_wrong_passwords_lock_the_account(string db)
    {
        var w = await worlds.GetAsync(db);
        var email = $"lock{Guid.CreateVersion7().ToString("N")[^6..]}@test.example";
        await w.Factory.CreateUserAsync(email, Core.Access.Roles.Sales, w.TeamA);
        var anonymous = w.Factory.CreateClient();
        for (var i = 0; i < 4; i++)
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync("/api/v1/auth/token", Api.Json(new { email, password = "wrong" }))).StatusCode);
        // The fifth failure locks the account; from then on even the right password is refused for a while.
        Assert.Equal(HttpStatusCode.TooManyRequests, (await anonymous.PostAsync("/api/v1/auth/token", Api.Json(new { email, password = "wrong" }))).StatusCode);
        var locked = await anonymous.PostAsync("/api/v1/auth/token", Api.Json(new { email, password = MotivWebFactory.Password }));
        Assert.Equal(HttpStatusCode.TooManyRequests, locked.StatusCode);
        // ASP.NET Core Identity reads the system clock for lockouts, so the test checks the stored end instead of waiting.
        await using var sys = w.Factory.SystemDb();
        var lockoutEnd = sys.Users.Single(u => u.Email == email).LockoutEnd!.Value;
        var minutes = (lockoutEnd - TimeProvider.System.GetUtcNow()).TotalMinutes;
        Assert.InRange(minutes, 4, 5.1);
    }

    [Theory, MemberData(nameof(ApiWorld.Databases), MemberType = typeof(ApiWorld))]
    public async Task Health_openapi_and_the_reference_are_served(string db)
    {
        var w = await worlds.GetAsync(db);
        var anonymous = w.Factory.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/health")).StatusCode);
        var openapi = await (await anonymous.GetAsync("/openapi/v1.json")).ReadJsonAsync();
        Assert.True(openapi.GetProperty("paths").TryGetProperty("/api/v1/organizations", out _));
        Assert.True(openapi.GetProperty("paths").TryGetProperty("/api/v1/search", out _));
        var docs = await anonymous.GetAsync("/api/docs/");
        Assert.Equal(HttpStatusCode.OK, docs.StatusCode);
    }
}
