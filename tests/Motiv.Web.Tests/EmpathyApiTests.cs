using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Motiv.Core.Empathy;
using static Motiv.Web.Tests.Api;

namespace Motiv.Web.Tests;

/// <summary>Motive profiles with evidence, objection, access by role, relationship health, next best actions and the person's export; both databases.</summary>
public sealed partial class EmpathyApiTests(ApiWorld worlds) : IClassFixture<ApiWorld>
{
    private static async Task<Guid> PersonAsync(HttpClient client, string lastName, object? extra = null)
    {
        var body = new Dictionary<string, object?> { ["firstName"] = "Erika", ["lastName"] = Unique(lastName), ["preferredLanguage"] = "de" };
        if (extra is not null)
            foreach (var p in JsonSerializer.SerializeToElement(extra, JsonSerializerOptions.Web).EnumerateObject()) body[p.Name] = p.Value;
        return (await OkJsonAsync(await client.PostAsync("/api/v1/people", Json(body)), HttpStatusCode.Created)).GetProperty("id").GetGuid();
    }

    private static async Task LogAsync(World w, HttpClient client, Guid personId, string channel, string direction, string text, int daysAgo) =>
        await OkJsonAsync(await client.PostAsync("/api/v1/interactions", Json(new
        {
            channel, direction, subject = "Gespräch", body = text, personIds = new[] { personId }, occurredAt = w.Factory.Clock.GetUtcNow().AddDays(-daysAgo),
        })), HttpStatusCode.Created);

    private static async Task<int> InferAsync(World w)
    {
        await using var db = w.Factory.SystemDb();
        return await MotiveService.CatchUpAsync(db);
    }

    private static JsonElement Motive(JsonElement profile, string code) => profile.GetProperty("motives").EnumerateArray().Single(m => m.GetProperty("code").GetString() == code);

    [Theory, MemberData(nameof(ApiWorld.Databases), MemberType = typeof(ApiWorld))]
    public async Task Inference_quotes_its_evidence_is_idempotent_and_a_rejected_item_stops_counting(string db)
    {
        var w = await worlds.GetAsync(db);
        var client = w.Client(w.SalesA);
        var id = await PersonAsync(client, "Sicher");
        await LogAsync(w, client, id, "phone", "outbound", "Ausfallsicherheit ist uns das Wichtigste. Ein Stillstand der Produktion wäre fatal.", 12);
        await LogAsync(w, client, id, "email", "inbound", "Der Preis spielt keine Rolle. Wir brauchen Referenzen aus der Branche und eine Garantie.", 5);
        await LogAsync(w, client, id, "note", "internal", "Termin am Dienstag um 10 Uhr bestätigt.", 3);
        // What we wrote to them is not evidence of their motives.
        await LogAsync(w, client, id, "email", "outbound", "Unser Angebot ist besonders günstig und spart Ihnen Kosten.", 2);

        Assert.True(await InferAsync(w) > 0);
        var evidence = (await OkJsonAsync(await client.GetAsync($"/api/v1/people/{id}/motives/evidence"))).GetProperty("items").EnumerateArray().ToList();
        var security = evidence.Where(e => e.GetProperty("motive").GetString() == "security").ToList();
        Assert.Contains(security, e => e.GetProperty("sentence").GetString() == "Ausfallsicherheit ist uns das Wichtigste.");
        Assert.All(evidence, e => Assert.Equal(MotiveAnalyzer.Version, e.GetProperty("extractorVersion").GetString()));
        var price = Assert.Single(evidence, e => e.GetProperty("motive").GetString() == "economy");
        Assert.True(price.GetProperty("negated").GetBoolean());
        Assert.Equal("Der Preis spielt keine Rolle.", price.GetProperty("sentence").GetString());
        Assert.DoesNotContain(evidence, e => e.GetProperty("sentence").GetString()!.Contains("günstig", StringComparison.Ordinal));

        // Running it again changes nothing.
        var before = await w.Factory.FingerprintAsync();
        await using (var sys = w.Factory.SystemDb()) Assert.Equal(0, await MotiveService.RefreshPersonAsync(sys, id));
        Assert.Equal(0, await InferAsync(w));
        Assert.Equal(before, await w.Factory.FingerprintAsync());

        var profile = await OkJsonAsync(await client.GetAsync($"/api/v1/people/{id}/motives"));
        var known = Motive(profile, "security");
        Assert.True(known.GetProperty("known").GetBoolean());
        Assert.InRange(known.GetProperty("score").GetDouble(), 3, 5);
        Assert.False(Motive(profile, "curiosity").GetProperty("known").GetBoolean());
        Assert.Equal(JsonValueKind.Null, Motive(profile, "curiosity").GetProperty("score").ValueKind);
        Assert.NotEmpty(known.GetProperty("guidance").GetProperty("arguments").EnumerateArray());

        // Rejecting the strongest quote lowers the confidence; the decision survives a re-run of the inference.
        var strongest = security.OrderByDescending(e => e.GetProperty("weight").GetDouble()).First().GetProperty("id").GetGuid();
        var after = await OkJsonAsync(await client.PostAsync($"/api/v1/people/{id}/motives/evidence/{strongest}", Json(new { status = "rejected" })));
        Assert.True(Motive(after, "security").GetProperty("confidence").GetDouble() < known.GetProperty("confidence").GetDouble());
        Assert.Equal(1, Motive(after, "security").GetProperty("rejected").GetInt32());
        await using (var sys = w.Factory.SystemDb()) await MotiveService.RefreshPersonAsync(sys, id);
        var again = (await OkJsonAsync(await client.GetAsync($"/api/v1/people/{id}/motives/evidence?motive=security"))).GetProperty("items").EnumerateArray();
        Assert.Equal("rejected", again.Single(e => e.GetProperty("id").GetGuid() == strongest).GetProperty("status").GetString(), ignoreCase: true);
        Assert.NotEmpty((await OkJsonAsync(await client.GetAsync($"/api/v1/people/{id}/motives"))).GetProperty("history").EnumerateArray());

        // A bad review status names the field; nothing changes.
        before = await w.Factory.FingerprintAsync();
        var bad = await client.PostAsync($"/api/v1/people/{id}/motives/evidence/{strongest}", Json(new { status = "maybe" }));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.StatusCode);
        Assert.True((await bad.ReadJsonAsync()).GetProperty("errors").TryGetProperty("status", out _));
        Assert.Equal(before, await w.Factory.FingerprintAsync());

        // Analysis without storing, for previews and integrations.
        var analysis = await OkJsonAsync(await client.PostAsync("/api/v1/motives/analyze", Json(new { text = "It's not about price. We need a reliable partner with a proven track record." })));
        Assert.Equal("en", analysis.GetProperty("language").GetString());
        Assert.Contains(analysis.GetProperty("evidence").EnumerateArray(), e => e.GetProperty("motive").GetString() == "economy" && e.GetProperty("negated").GetBoolean());
        Assert.Contains(analysis.GetProperty("evidence").EnumerateArray(), e => e.GetProperty("motive").GetString() == "security" && !e.GetProperty("negated").GetBoolean());
        Assert.Equal(before, await w.Factory.FingerprintAsync());
    }

    [Theory, MemberData(nameof(ApiWorld.Databases), MemberType = typeof(ApiWorld))]
    public async Task Motive_data_is_for_the_roles_the_setting_names_and_for_people_the_user_may_read(string db)
    {
        var w = await worlds.GetAsync(db);
        var client = w.Client(w.SalesA);
        var id = await PersonAsync(client, "Geschützt", new { visibility = "team", teamId = w.TeamA });
        await LogAsync(w, client, id, "phone", "outbound", "Nachhaltigkeit ist für sie entscheidend, sie achten sehr auf die CO2-Bilanz.", 4);
        await InferAsync(w);
        await OkJsonAsync(await client.GetAsync($"/api/v1/people/{id}/motives"));

        var before = await w.Factory.FingerprintAsync();
        // Read-only (same team: may read the person) is not among the default roles; another team does not see the person at all.
        var readOnly = w.Client(w.ReadOnly);
        await OkJsonAsync(await readOnly.GetAsync($"/api/v1/people/{id}"));
        foreach (var path in new[] { "motives", "motives/evidence", "export" })
        {
            var denied = await readOnly.GetAsync($"/api/v1/people/{id}/{path}");
            Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await w.Client(w.SalesB).GetAsync($"/api/v1/people/{id}/{path}")).StatusCode);
        }
        Assert.Equal(HttpStatusCode.Forbidden, (await readOnly.PostAsync("/api/v1/motives/analyze", Json(new { text = "Preis" }))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await w.Client(w.SalesB).PutAsync($"/api/v1/people/{id}/motives/ratings", Json(new { ratings = new[] { new { motive = "economy", value = 5 } } }))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await readOnly.PutAsync($"/api/v1/people/{id}/motives/ratings", Json(new { ratings = new[] { new { motive = "economy", value = 5 } } }))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.PutAsync("/api/v1/motives/taxonomy", Json(MotiveTaxonomyService.Defaults))).StatusCode);
        Assert.Equal(before, await w.Factory.FingerprintAsync());

        // The administrator lets read-only users see motive data: now they may read (still not change).
        var admin = w.Client(w.Admin);
        var settings = await OkJsonAsync(await admin.GetAsync("/api/v1/motives/taxonomy"));
        Assert.Equal(["security", "economy", "convenience", "recognition", "curiosity", "responsibility", "belonging"],
            settings.GetProperty("dimensions").EnumerateArray().Select(d => d.GetProperty("code").GetString()).ToArray());
        var changed = JsonSerializer.Deserialize<MotiveSettings>(settings.GetRawText(), JsonSerializerOptions.Web)!;
        try
        {
            await OkJsonAsync(await admin.PutAsync("/api/v1/motives/taxonomy", Json(changed with { Roles = [.. changed.Roles, "ReadOnly"] })));
            Assert.Equal("responsibility", (await OkJsonAsync(await readOnly.GetAsync($"/api/v1/people/{id}/motives/evidence"))).GetProperty("items")[0].GetProperty("motive").GetString());
            Assert.Equal(HttpStatusCode.Forbidden, (await readOnly.PutAsync($"/api/v1/people/{id}/motives/ratings", Json(new { ratings = new[] { new { motive = "economy", value = 5 } } }))).StatusCode);

            // A dimension with evidence cannot be removed, only retired; a bad code is named.
            before = await w.Factory.FingerprintAsync();
            var removed = await admin.PutAsync("/api/v1/motives/taxonomy", Json(changed with { Dimensions = [.. changed.Dimensions.Where(d => d.Code != "responsibility")] }));
            Assert.Equal(HttpStatusCode.UnprocessableEntity, removed.StatusCode);
            Assert.Contains("responsibility", (await removed.ReadJsonAsync()).GetProperty("errors").GetProperty("dimensions")[0].GetString());
            var badCode = await admin.PutAsync("/api/v1/motives/taxonomy", Json(changed with { Dimensions = [.. changed.Dimensions, new MotiveDimension { Code = "Bad Code", LabelDe = "x", LabelEn = "x" }] }));
            Assert.True((await badCode.ReadJsonAsync()).GetProperty("errors").TryGetProperty("dimensions[7].code", out _));
            Assert.Equal(before, await w.Factory.FingerprintAsync());
        }
        finally
        {
            await OkJsonAsync(await admin.PutAsync("/api/v1/motives/taxonomy", Json(changed)));
        }
        Assert.Equal(HttpStatusCode.Forbidden, (await readOnly.GetAsync($"/api/v1/people/{id}/motives")).StatusCode);
    }

    [Theory, MemberData(nameof(ApiWorld.Databases), MemberType = typeof(ApiWorld))]
    public async Task Objection_deletes_the_evidence_and_keeps_inference_off_until_lifted_and_the_export_holds_everything(string db)
    {
        var w = await worlds.GetAsync(db);
        var client = w.Client(w.SalesA);
        var id = await PersonAsync(client, "Widerspruch", new { interests = new[] { "Segeln", "Jazz" }, howWeMet = "Hausmesse 2025" });
        await LogAsync(w, client, id, "email", "inbound", "Uns ist ein persönlicher Ansprechpartner wichtig, der uns kennt. Wir vertrauen Ihnen seit Jahren.", 6);
        await InferAsync(w);
        await OkJsonAsync(await client.PutAsync($"/api/v1/people/{id}/motives/ratings", Json(new { ratings = new[] { new { motive = "belonging", value = 5, note = "Aus dem Jahresgespräch" } } })));
        var export = await OkJsonAsync(await client.GetAsync($"/api/v1/people/{id}/export"));
        Assert.Equal("Segeln", export.GetProperty("person").GetProperty("facts").GetProperty("interests")[0].GetString());
        Assert.NotEmpty(export.GetProperty("interactions").EnumerateArray());
        Assert.NotEmpty(export.GetProperty("motives").GetProperty("evidence").EnumerateArray());
        Assert.Equal(5, export.GetProperty("motives").GetProperty("ratings")[0].GetProperty("value").GetInt32());
        Assert.True(export.TryGetProperty("consents", out _) && export.TryGetProperty("health", out _));

        var profile = await OkJsonAsync(await client.PostAsync($"/api/v1/people/{id}/motives/objection", Json(new { note = "Per Mail widersprochen" })));
        Assert.True(profile.GetProperty("objected").GetBoolean());
        Assert.All(profile.GetProperty("motives").EnumerateArray(), m => Assert.False(m.GetProperty("known").GetBoolean()));
        Assert.Empty((await OkJsonAsync(await client.GetAsync($"/api/v1/people/{id}/motives/evidence"))).GetProperty("items").EnumerateArray());
        await using (var sys = w.Factory.SystemDb())
        {
            Assert.False(await sys.MotiveRatings.AnyAsync(r => r.PersonId == id));
            Assert.False(await sys.MotiveSnapshots.AnyAsync(r => r.PersonId == id));
        }

        // Inference stays off: new words, a re-run, nothing; ratings and self-assessment are refused with the reason.
        await LogAsync(w, client, id, "email", "inbound", "Wir vertrauen auf die persönliche Beziehung.", 1);
        await InferAsync(w);
        var before = await w.Factory.FingerprintAsync();
        Assert.Empty((await OkJsonAsync(await client.GetAsync($"/api/v1/people/{id}/motives/evidence"))).GetProperty("items").EnumerateArray());
        var rating = await client.PutAsync($"/api/v1/people/{id}/motives/ratings", Json(new { ratings = new[] { new { motive = "belonging", value = 4 } } }));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, rating.StatusCode);
        Assert.Contains("objected", (await rating.ReadJsonAsync()).GetProperty("errors").GetProperty("ratings")[0].GetString());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await client.PostAsync($"/api/v1/people/{id}/motives/self-assessment", null)).StatusCode);
        Assert.Equal(before, await w.Factory.FingerprintAsync());
        Assert.Contains("Per Mail widersprochen", (await OkJsonAsync(await client.GetAsync($"/api/v1/people/{id}"))).GetProperty("notes").GetString());

        // Lifted (the person agreed again): inference resumes.
        var lifted = await OkJsonAsync(await client.DeleteAsync($"/api/v1/people/{id}/motives/objection"));
        Assert.False(lifted.GetProperty("objected").GetBoolean());
        Assert.NotEmpty((await OkJsonAsync(await client.GetAsync($"/api/v1/people/{id}/motives/evidence"))).GetProperty("items").EnumerateArray());
    }

    [Theory, MemberData(nameof(ApiWorld.Databases), MemberType = typeof(ApiWorld))]
    public async Task The_person_can_assess_themselves_through_a_link_without_signing_in(string db)
    {
        var w = await worlds.GetAsync(db);
        var client = w.Client(w.SalesA);
        var id = await PersonAsync(client, "Selbst");
        var link = await OkJsonAsync(await client.PostAsync($"/api/v1/people/{id}/motives/self-assessment", null));
        var path = new Uri(link.GetProperty("url").GetString()!).PathAndQuery;
        var anonymous = w.Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var page = await anonymous.GetAsync(path + "?lang=de");
        Assert.Contains("Ich probiere gern Neues aus.", await page.Content.ReadAsStringAsync());

        var before = await w.Factory.FingerprintAsync();
        var partial = await anonymous.PostAsync(path + "?lang=de", new FormUrlEncodedContent([new("q0", "5")]));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, partial.StatusCode);
        Assert.Contains("Bitte beantworten Sie jede Aussage", await partial.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/motives/self/not-a-token")).StatusCode);
        Assert.Equal(before, await w.Factory.FingerprintAsync());

        // Curiosity answered "completely" twice, everything else "not at all".
        var answers = Enumerable.Range(0, SelfAssessment.Items.Count).Select(i => new KeyValuePair<string, string>("q" + i, SelfAssessment.Items[i].Motive == "curiosity" ? "5" : "1"));
        var done = await anonymous.PostAsync(path + "?lang=de", new FormUrlEncodedContent(answers));
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        var profile = await OkJsonAsync(await client.GetAsync($"/api/v1/people/{id}/motives"));
        Assert.Equal(5, Motive(profile, "curiosity").GetProperty("selfAssessment").GetProperty("value").GetInt32());
        Assert.Equal(0, Motive(profile, "economy").GetProperty("selfAssessment").GetProperty("value").GetInt32());
        Assert.True(Motive(profile, "curiosity").GetProperty("score").GetDouble() > Motive(profile, "economy").GetProperty("score").GetDouble());
    }

    [Theory, MemberData(nameof(ApiWorld.Databases), MemberType = typeof(ApiWorld))]
    public async Task Next_best_actions_follow_the_motives_say_why_and_learn_from_feedback(string db)
    {
        var w = await worlds.GetAsync(db);
        var admin = w.Client(w.Admin);
        var client = w.Client(w.SalesA);
        var suffix = Unique("T");
        foreach (var (name, motive) in new[] { ("Referenzen " + suffix, "security"), ("Sparpaket " + suffix, "economy") })
            await OkJsonAsync(await admin.PostAsync("/api/v1/mail/templates", Json(new { name, language = "de", subject = "Info", body = "{{ person.greeting }}", motives = new[] { motive } })), HttpStatusCode.Created);
        var id = await PersonAsync(client, "Nächste");
        await LogAsync(w, client, id, "email", "inbound", "Ausfallsicherheit ist uns das Wichtigste. Können Sie uns Referenzen schicken?", 2);
        await InferAsync(w);

        var actions = (await OkJsonAsync(await client.GetAsync($"/api/v1/people/{id}/next-best-actions"))).GetProperty("items").EnumerateArray().ToList();
        var question = actions.First();
        Assert.Equal("answerQuestion", question.GetProperty("kind").GetString());
        Assert.Contains("Können Sie uns Referenzen schicken?", question.GetProperty("why")[0].GetProperty("text").GetString());
        var info = actions.Single(a => a.GetProperty("kind").GetString() == "sendInformation");
        Assert.StartsWith("Send \"Referenzen", info.GetProperty("title").GetString());
        Assert.Contains(info.GetProperty("why").EnumerateArray(), r => r.GetProperty("text").GetString()!.Contains("values Security (said: \"Ausfallsicherheit ist uns das Wichtigste.\"", StringComparison.Ordinal));

        // Their motives change (staff rate economy high and security low): the other template comes first, for that reason.
        await OkJsonAsync(await client.PutAsync($"/api/v1/people/{id}/motives/ratings", Json(new { ratings = new object[] { new { motive = "economy", value = 5 }, new { motive = "security", value = 0 } } })));
        info = (await OkJsonAsync(await client.GetAsync($"/api/v1/people/{id}/next-best-actions"))).GetProperty("items").EnumerateArray().Single(a => a.GetProperty("kind").GetString() == "sendInformation");
        Assert.StartsWith("Send \"Sparpaket", info.GetProperty("title").GetString());
        Assert.Contains(info.GetProperty("why").EnumerateArray(), r => r.GetProperty("text").GetString()!.StartsWith("values Economy (rated 5/5 by staff", StringComparison.Ordinal));
        var suggestion = await OkJsonAsync(await client.GetAsync($"/api/v1/people/{id}/motives/suggestions"));
        Assert.Equal("economy", suggestion.GetProperty("motives")[0].GetProperty("code").GetString());
        Assert.StartsWith("Sparpaket", suggestion.GetProperty("templates")[0].GetProperty("name").GetString());

        // Accept makes a task for the user; dismiss hides the action; a read-only user may do neither.
        var before = await w.Factory.FingerprintAsync();
        var actionId = question.GetProperty("id").GetString();
        Assert.Equal(HttpStatusCode.Forbidden, (await w.Client(w.ReadOnly).PostAsync($"/api/v1/next-best-actions/{actionId}/feedback", Json(new { decision = "accept" }))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await w.Client(w.SalesB).PostAsync($"/api/v1/next-best-actions/{actionId}/feedback", Json(new { decision = "accept" }))).StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await client.PostAsync($"/api/v1/next-best-actions/{actionId}/feedback", Json(new { decision = "later" }))).StatusCode);
        Assert.Equal(before, await w.Factory.FingerprintAsync());
        var accepted = await OkJsonAsync(await client.PostAsync($"/api/v1/next-best-actions/{actionId}/feedback", Json(new { decision = "accept" })));
        var task = await OkJsonAsync(await client.GetAsync($"/api/v1/tasks/{accepted.GetProperty("taskId").GetGuid()}"));
        Assert.Contains("question", task.GetProperty("title").GetString());
        await OkJsonAsync(await client.PostAsync($"/api/v1/next-best-actions/{info.GetProperty("id").GetString()}/feedback", Json(new { decision = "dismiss" })));
        var left = (await OkJsonAsync(await client.GetAsync($"/api/v1/people/{id}/next-best-actions"))).GetProperty("items").EnumerateArray().Select(a => a.GetProperty("id").GetString()).ToList();
        Assert.DoesNotContain(actionId, left);
        Assert.DoesNotContain(info.GetProperty("id").GetString(), left);
        var board = (await OkJsonAsync(await client.GetAsync("/api/v1/next-best-actions?limit=100"))).GetProperty("items").EnumerateArray();
        Assert.All(board, a => Assert.True(a.TryGetProperty("why", out var why) && why.GetArrayLength() > 0));
    }

    [Theory, MemberData(nameof(ApiWorld.Databases), MemberType = typeof(ApiWorld))]
    public async Task Health_has_named_components_and_a_cooling_relationship_shows_as_at_risk_for_those_who_may_see_it(string db)
    {
        var w = await worlds.GetAsync(db);
        var client = w.Client(w.SalesA);
        var org = (await client.CreateOrganizationAsync(new { name = Unique("Kühl GmbH"), visibility = "team", teamId = w.TeamA })).Id;
        var id = await PersonAsync(client, "Kühl", new { visibility = "team", teamId = w.TeamA, employments = new[] { new { organizationId = org, isPrimary = true } } });
        for (var d = 40; d <= 70; d += 3) await LogAsync(w, client, id, d % 2 == 0 ? "email" : "phone", d % 2 == 0 ? "inbound" : "outbound", "Kurzer Austausch.", d);
        var never = await PersonAsync(client, "Nie", new { visibility = "team", teamId = w.TeamA });

        var health = await OkJsonAsync(await client.GetAsync($"/api/v1/people/{id}/health"));
        var codes = health.GetProperty("components").EnumerateArray().Select(c => c.GetProperty("code").GetString()).ToList();
        Assert.Equal(["recency", "trend", "twoWay", "replyLatency", "openIssues"], codes);
        Assert.Equal(7, health.GetProperty("usualRhythmDays").GetInt32()); // every three days, but a rhythm is at least a week
        Assert.Equal(40, health.GetProperty("daysSinceContact").GetInt32());
        Assert.Contains("40", health.GetProperty("components")[0].GetProperty("explanation").GetString());
        Assert.InRange(health.GetProperty("score").GetInt32() - health.GetProperty("components").EnumerateArray().Sum(c => c.GetProperty("points").GetInt32()), -2, 2);
        await OkJsonAsync(await client.GetAsync($"/api/v1/organizations/{org}/health"));

        // The nightly job a month ago (in touch) and today (silent since): the drop puts them at risk.
        await using (var sys = w.Factory.SystemDb())
        {
            await HealthService.RecomputeAllAsync(sys, w.Factory.Clock.GetUtcNow().AddDays(-35), default);
            await HealthService.RecomputeAllAsync(sys, w.Factory.Clock.GetUtcNow(), default);
        }
        var history = (await OkJsonAsync(await client.GetAsync($"/api/v1/people/{id}/health"))).GetProperty("history");
        Assert.Equal(2, history.GetArrayLength());
        var risk = (await OkJsonAsync(await client.GetAsync($"/api/v1/health/at-risk?ownerId={w.SalesA}&limit=200"))).GetProperty("items").EnumerateArray().ToList();
        var mine = Assert.Single(risk, r => r.GetProperty("subjectId").GetGuid() == id);
        Assert.True(mine.GetProperty("drop").GetInt32() >= 10);
        // Nobody has been in touch with the other one yet: low health, but no relationship at risk.
        Assert.DoesNotContain(risk, r => r.GetProperty("subjectId").GetGuid() == never);
        Assert.Equal("recency", (await OkJsonAsync(await client.GetAsync($"/api/v1/people/{never}/health"))).GetProperty("components")[0].GetProperty("code").GetString());
        Assert.True(risk.Select(r => r.GetProperty("drop").GetInt32()).SequenceEqual(risk.Select(r => r.GetProperty("drop").GetInt32()).OrderDescending()));
        Assert.Contains((await OkJsonAsync(await client.GetAsync($"/api/v1/health/at-risk?type=organization&teamId={w.TeamA}&limit=200"))).GetProperty("items").EnumerateArray(),
            r => r.GetProperty("subjectId").GetGuid() == org);
        Assert.DoesNotContain((await OkJsonAsync(await w.Client(w.SalesB).GetAsync("/api/v1/health/at-risk?limit=200"))).GetProperty("items").EnumerateArray(),
            r => r.GetProperty("subjectId").GetGuid() == id);
        Assert.Equal(HttpStatusCode.NotFound, (await w.Client(w.SalesB).GetAsync($"/api/v1/people/{id}/health")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/api/v1/health/at-risk?type=deal")).StatusCode);
        var actions = (await OkJsonAsync(await client.GetAsync($"/api/v1/people/{id}/next-best-actions"))).GetProperty("items").EnumerateArray();
        Assert.Contains(actions, a => a.GetProperty("kind").GetString() == "reengage" && a.GetProperty("why").EnumerateArray().Any(r => r.GetProperty("text").GetString()!.Contains("last contact 40 days ago (usual: 7)", StringComparison.Ordinal)));
    }

    [Theory, MemberData(nameof(ApiWorld.Databases), MemberType = typeof(ApiWorld))]
    public async Task Personal_facts_are_kept_checked_and_important_dates_remind_the_owner(string db)
    {
        var w = await worlds.GetAsync(db);
        var client = w.Client(w.SalesA);
        var soon = DateOnly.FromDateTime(w.Factory.Clock.GetUtcNow().UtcDateTime).AddDays(2).AddYears(-12);
        var before = await w.Factory.FingerprintAsync();
        var bad = await client.PostAsync("/api/v1/people", Json(new { firstName = "A", lastName = "B", importantDates = new[] { new { kind = "companyAnniversary", date = "1800-01-01" } } }));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.StatusCode);
        Assert.True((await bad.ReadJsonAsync()).GetProperty("errors").TryGetProperty("importantDates[0].date", out _));
        Assert.Equal(before, await w.Factory.FingerprintAsync());

        var id = await PersonAsync(client, "Jubiläum", new
        {
            interests = new[] { "Oldtimer" }, familyNotes = "Zwei Kinder", contactTimes = "vormittags", communicationStyle = "kurz und knapp",
            importantDates = new[] { new { kind = "companyAnniversary", date = soon.ToString("yyyy-MM-dd"), label = "Firmenjubiläum", remind = true } },
        });
        var facts = (await OkJsonAsync(await client.GetAsync($"/api/v1/people/{id}"))).GetProperty("facts");
        Assert.Equal("vormittags", facts.GetProperty("contactTimes").GetString());
        Assert.Equal("Firmenjubiläum", facts.GetProperty("importantDates")[0].GetProperty("label").GetString());

        await using (var sys = w.Factory.SystemDb())
        {
            Assert.True(await Motiv.Core.Activities.Reminders.CreateImportantDateTasksAsync(sys) >= 1);
            Assert.Equal(0, await Motiv.Core.Activities.Reminders.CreateImportantDateTasksAsync(sys));
            var task = await sys.Tasks.SingleAsync(t => t.RelatedId == id && t.Kind == Motiv.Core.Activities.TaskKind.ImportantDate);
            Assert.Equal(w.SalesA, task.OwnerId);
            Assert.Contains("Firmenjubiläum", task.Title);
        }
        var congratulate = (await OkJsonAsync(await client.GetAsync($"/api/v1/people/{id}/next-best-actions"))).GetProperty("items").EnumerateArray()
            .Single(a => a.GetProperty("kind").GetString() == "congratulate");
        Assert.Matches(new Regex("in 2 (Tagen|days)"), congratulate.GetProperty("why")[0].GetProperty("text").GetString()!);
    }

    [Theory, MemberData(nameof(ApiWorld.Databases), MemberType = typeof(ApiWorld))]
    public async Task Quotes_from_interactions_the_user_may_not_read_count_but_are_not_shown_and_roles_without_motive_data_see_no_profile(string db)
    {
        var w = await worlds.GetAsync(db);
        var client = w.Client(w.SalesA);
        var id = await PersonAsync(client, "Privat", new { visibility = "team", teamId = w.TeamA });
        await OkJsonAsync(await client.PostAsync("/api/v1/interactions", Json(new
        {
            channel = "note", direction = "internal", subject = "Vertraulich", body = "Ausfallsicherheit ist ihm das Wichtigste, sagt sein Chef.", personIds = new[] { id },
            visibility = "private",
        })), HttpStatusCode.Created);
        await InferAsync(w);
        var mine = Assert.Single((await OkJsonAsync(await client.GetAsync($"/api/v1/people/{id}/motives/evidence"))).GetProperty("items").EnumerateArray());
        Assert.Equal("Ausfallsicherheit ist ihm das Wichtigste, sagt sein Chef.", mine.GetProperty("sentence").GetString());
        // A colleague of the team reads the person, not the private note: the item counts, its words stay hidden.
        var theirs = Assert.Single((await OkJsonAsync(await w.Client(w.SalesA2).GetAsync($"/api/v1/people/{id}/motives/evidence"))).GetProperty("items").EnumerateArray());
        Assert.Equal("(from a record you may not see)", theirs.GetProperty("sentence").GetString());
        Assert.Equal(JsonValueKind.Null, theirs.GetProperty("interactionId").ValueKind);
        var export = await OkJsonAsync(await w.Client(w.SalesA2).GetAsync($"/api/v1/people/{id}/export"));
        Assert.DoesNotContain("sagt sein Chef", export.GetRawText());

        // Marketing may change the person (and so record an objection), but sees no motive data, not even in the answer.
        var marketing = await w.Factory.CreateUserAsync($"marketing.{Guid.CreateVersion7():N}@test.example", Motiv.Core.Access.Roles.Marketing, w.TeamA);
        var mk = await w.Factory.ClientForAsync(marketing);
        Assert.Equal(HttpStatusCode.Forbidden, (await mk.GetAsync($"/api/v1/people/{id}/motives")).StatusCode);
        var lifted = await OkJsonAsync(await mk.DeleteAsync($"/api/v1/people/{id}/motives/objection"));
        Assert.Empty(lifted.GetProperty("motives").EnumerateArray());
        var objected = await OkJsonAsync(await mk.PostAsync($"/api/v1/people/{id}/motives/objection", Json(new { })));
        Assert.True(objected.GetProperty("objected").GetBoolean());
        Assert.Empty(objected.GetProperty("motives").EnumerateArray());
        await using var sys = w.Factory.SystemDb();
        Assert.False(await sys.MotiveEvidence.AnyAsync(e => e.PersonId == id));
    }

    [Theory, MemberData(nameof(ApiWorld.Databases), MemberType = typeof(ApiWorld))]
    public async Task The_inference_job_reads_past_a_batch_of_interactions_changed_at_the_same_moment(string db)
    {
        var w = await worlds.GetAsync(db);
        var client = w.Client(w.SalesA);
        var id = await PersonAsync(client, "Stapel");
        await using (var sys = w.Factory.SystemDb())
        {
            // One save: every row has the same time, more than one page of the job.
            for (var i = 0; i < 2100; i++)
                sys.Interactions.Add(new Motiv.Core.Communication.Interaction { Subject = $"Import {i}", OccurredAt = w.Factory.Clock.GetUtcNow().AddDays(-1), OwnerId = w.SalesA });
            var last = new Motiv.Core.Communication.Interaction
            {
                Subject = "Import", Channel = Motiv.Core.Communication.InteractionChannel.Email, Direction = Motiv.Core.Communication.InteractionDirection.Inbound,
                BodyText = "Nachhaltigkeit ist für uns entscheidend.", OccurredAt = w.Factory.Clock.GetUtcNow().AddDays(-1), OwnerId = w.SalesA,
                Id = Guid.Parse("ffffffff-ffff-7fff-bfff-ffffffffffff"),
            };
            last.Participants.Add(new Motiv.Core.Communication.InteractionParticipant { InteractionId = last.Id, PersonId = id });
            sys.Interactions.Add(last);
            await sys.SaveChangesAsync();
        }
        await InferAsync(w);
        var evidence = (await OkJsonAsync(await client.GetAsync($"/api/v1/people/{id}/motives/evidence"))).GetProperty("items").EnumerateArray();
        Assert.Contains(evidence, e => e.GetProperty("motive").GetString() == "responsibility");
    }
}
