using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Motiv.Core.Communication;
using static Motiv.Web.Tests.Api;

namespace Motiv.Web.Tests;

/// <summary>Consent per channel and purpose, the one enforcement point for marketing mail, unsubscribe links, web forms and double opt-in; both databases.</summary>
public sealed partial class ConsentApiTests(ApiWorld worlds) : IClassFixture<ApiWorld>
{
    private static HttpClient Anonymous(World w) => w.Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    [Theory, MemberData(nameof(ApiWorld.Databases), MemberType = typeof(ApiWorld))]
    public async Task Marketing_mail_needs_a_valid_basis_transactional_mail_does_not_and_the_unsubscribe_link_withdraws_without_sign_in(string db)
    {
        var w = await worlds.GetAsync(db);
        await using var smtp = new TestSmtpServer();
        var admin = w.Client(w.Admin);
        var client = w.Client(w.SalesA);
        await OkJsonAsync(await admin.PutAsync("/api/v1/mail/settings", Json(new { host = "127.0.0.1", port = smtp.Port, security = "none", fromAddress = "marketing@motiv.test" })));
        var newsletter = await OkJsonAsync(await admin.PostAsync("/api/v1/mail/templates", Json(new
        {
            name = Unique("Newsletter"), language = "de", subject = "Neuigkeiten für {{ person.firstName }}", body = "<p>{{ person.greeting }}, unsere Neuigkeiten.</p>", purpose = "newsletter",
        })), HttpStatusCode.Created);
        Assert.Equal("newsletter", newsletter.GetProperty("purpose").GetString(), ignoreCase: true);
        var address = $"nina.{Guid.CreateVersion7():N}@kunde.example";
        var personId = (await OkJsonAsync(await client.PostAsync("/api/v1/people", Json(new
        {
            salutation = "ms", firstName = "Nina", lastName = "Neu", preferredLanguage = "de", emails = new[] { new { address } },
        })), HttpStatusCode.Created)).GetProperty("id").GetGuid();

        // No basis: refused with the reason, nothing sent, nothing stored.
        var before = await w.Factory.FingerprintAsync();
        var refused = await client.PostAsync("/api/v1/mail/send", Json(new { personId, templateId = newsletter.GetProperty("id").GetGuid() }));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Contains("no legal basis", (await refused.ReadJsonAsync()).GetProperty("errors").GetProperty("consent")[0].GetString());
        Assert.Empty(smtp.Received);
        // Recording needs the exact text for a consent, and the §7(3) UWG rule only covers e-mail about similar products.
        var noText = await client.PostAsync($"/api/v1/people/{personId}/consents", Json(new { channel = "email", purpose = "newsletter", action = "grant", legalBasis = "consent", source = "Telefon" }));
        Assert.True((await noText.ReadJsonAsync()).GetProperty("errors").TryGetProperty("text", out _));
        var uwg = await client.PostAsync($"/api/v1/people/{personId}/consents", Json(new { channel = "phone", purpose = "productInformation", action = "grant", legalBasis = "existingCustomer", source = "Kauf" }));
        Assert.True((await uwg.ReadJsonAsync()).GetProperty("errors").TryGetProperty("legalBasis", out _));
        var otherTeam = await w.Client(w.SalesB).PostAsync($"/api/v1/people/{personId}/consents", Json(new { channel = "email", purpose = "newsletter", action = "grant", source = "x", text = "x" }));
        Assert.Contains(otherTeam.StatusCode, new[] { HttpStatusCode.Forbidden, HttpStatusCode.NotFound });
        Assert.Equal(before, await w.Factory.FingerprintAsync());

        // Transactional mail (no purpose) goes out without consent.
        await OkJsonAsync(await client.PostAsync("/api/v1/mail/send", Json(new { personId, subject = "Ihre Rechnung", body = "Anbei." })), HttpStatusCode.Created);
        Assert.Null(Assert.Single(smtp.Received).Headers["List-Unsubscribe"]);

        // With consent given on the phone (exact text kept), the newsletter goes out with an unsubscribe link.
        var text = "Ich möchte den Newsletter per E-Mail erhalten; Abmeldung jederzeit möglich.";
        var overview = await OkJsonAsync(await client.PostAsync($"/api/v1/people/{personId}/consents", Json(new
        {
            channel = "email", purpose = "newsletter", action = "grant", legalBasis = "consent", source = "Telefonat", text, language = "de",
        })));
        var state = overview.GetProperty("current").EnumerateArray().Single(s => s.GetProperty("channel").GetString() == "email" && s.GetProperty("purpose").GetString() == "newsletter");
        Assert.True(state.GetProperty("allowed").GetBoolean());
        await OkJsonAsync(await client.PostAsync("/api/v1/mail/send", Json(new { personId, templateId = newsletter.GetProperty("id").GetGuid() })), HttpStatusCode.Created);
        var mail = smtp.Received.Last();
        var unsubscribe = mail.Headers["List-Unsubscribe"]!.Trim('<', '>');
        Assert.Equal("List-Unsubscribe=One-Click", mail.Headers["List-Unsubscribe-Post"]);
        Assert.Contains(unsubscribe, mail.TextBody);
        Assert.Contains("Abmelden", mail.HtmlBody);
        var path = new Uri(unsubscribe).AbsolutePath;

        // Opening the link changes nothing (mail scanners open links); the button does, without a sign-in, once.
        var anonymous = Anonymous(w);
        var page = await anonymous.GetAsync(path + "?lang=de");
        Assert.Contains("Newsletter", await page.Content.ReadAsStringAsync());
        Assert.True((await OkJsonAsync(await client.GetAsync($"/api/v1/people/{personId}/consents"))).GetProperty("current").EnumerateArray()
            .Single(s => s.GetProperty("purpose").GetString() == "newsletter" && s.GetProperty("channel").GetString() == "email").GetProperty("allowed").GetBoolean());
        var done = await anonymous.PostAsync(path + "?lang=de", new FormUrlEncodedContent([new("List-Unsubscribe", "One-Click")]));
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        Assert.Contains("abgemeldet", await done.Content.ReadAsStringAsync());
        await anonymous.PostAsync(path, null);
        var history = (await OkJsonAsync(await client.GetAsync($"/api/v1/people/{personId}/consents"))).GetProperty("history");
        Assert.Equal(2, history.GetArrayLength());
        Assert.Equal("withdrawn", history[0].GetProperty("action").GetString(), ignoreCase: true);
        Assert.Equal("unsubscribe link", history[0].GetProperty("source").GetString());
        var tampered = await anonymous.PostAsync(path[..^3] + "xyz", null);
        Assert.Equal(HttpStatusCode.NotFound, tampered.StatusCode);

        before = await w.Factory.FingerprintAsync();
        var again = await client.PostAsync("/api/v1/mail/send", Json(new { personId, templateId = newsletter.GetProperty("id").GetGuid() }));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, again.StatusCode);
        Assert.Contains("withdrawn", (await again.ReadJsonAsync()).GetProperty("errors").GetProperty("consent")[0].GetString());
        Assert.Equal(before, await w.Factory.FingerprintAsync());

        // The printable proof lists the exact text and the withdrawal, encoded.
        var proof = await client.GetAsync($"/api/v1/people/{personId}/consents/proof");
        Assert.Equal("text/html", proof.Content.Headers.ContentType!.MediaType);
        var proofHtml = await proof.Content.ReadAsStringAsync();
        Assert.Contains(text, proofHtml);
        Assert.Contains("unsubscribe link", proofHtml);
    }

    [Theory, MemberData(nameof(ApiWorld.Databases), MemberType = typeof(ApiWorld))]
    public async Task A_public_form_creates_a_lead_inertly_and_its_double_opt_in_completes_the_consent_which_the_person_keeps_after_conversion(string db)
    {
        var w = await worlds.GetAsync(db);
        await using var smtp = new TestSmtpServer();
        var admin = w.Client(w.Admin);
        await OkJsonAsync(await admin.PutAsync("/api/v1/mail/settings", Json(new { host = "127.0.0.1", port = smtp.Port, security = "none", fromAddress = "info@motiv.test" })));
        var slug = "kontakt-" + Guid.CreateVersion7().ToString("N")[^8..];
        var before = await w.Factory.FingerprintAsync();
        Assert.Equal(HttpStatusCode.Forbidden, (await w.Client(w.SalesA).PostAsync("/api/v1/forms", Json(new { slug, name = "x" }))).StatusCode);
        var invalid = await admin.PostAsync("/api/v1/forms", Json(new { slug = "Kein Slug!", name = "Kontakt", titleDe = "Kontakt", titleEn = "Contact", fields = new[] { new { key = "password", labelDe = "x", labelEn = "x" } } }));
        var errors = (await invalid.ReadJsonAsync()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("slug", out _));
        Assert.True(errors.TryGetProperty("fields[0].key", out _));
        Assert.Equal(before, await w.Factory.FingerprintAsync());

        var form = await OkJsonAsync(await admin.PostAsync("/api/v1/forms", Json(new
        {
            slug, name = "Kontaktformular", titleDe = "Kontakt aufnehmen", titleEn = "Get in touch", ownerId = w.SalesA,
            fields = new object[]
            {
                new { key = "firstName", labelDe = "Vorname", labelEn = "First name", required = false },
                new { key = "lastName", labelDe = "Nachname", labelEn = "Last name", required = true },
                new { key = "email", labelDe = "E-Mail", labelEn = "E-mail", required = true },
                new { key = "companyName", labelDe = "Firma", labelEn = "Company", required = false },
                new { key = "message", labelDe = "Ihre Nachricht", labelEn = "Your message", required = false },
            },
            consents = new[] { new { purpose = "newsletter", textDe = "Ja, ich möchte den Newsletter per E-Mail erhalten.", textEn = "Yes, send me the newsletter by e-mail." } },
        })), HttpStatusCode.Created);
        Assert.Contains($"/forms/{slug}", form.GetProperty("embed").GetString());

        var anonymous = Anonymous(w);
        var page = await anonymous.GetAsync($"/forms/{slug}?lang=de");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("frame-ancestors *", page.Headers.GetValues("Content-Security-Policy").Single());
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("Kontakt aufnehmen", html);
        Assert.Contains("Ja, ich möchte den Newsletter", html);

        // Missing and wrong fields: the form again, in German, with the messages at the fields and the values kept (encoded).
        before = await w.Factory.FingerprintAsync();
        var bad = await anonymous.PostAsync($"/forms/{slug}?lang=de", Form(("firstName", "<b>Eve</b>"), ("email", "kein-mail")));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.StatusCode);
        var badHtml = await bad.Content.ReadAsStringAsync();
        Assert.Contains("id=\"f-lastName-error\"", badHtml);
        Assert.Contains("id=\"f-email-error\"", badHtml);
        Assert.Contains("&lt;b&gt;Eve&lt;/b&gt;", badHtml);
        Assert.DoesNotContain("<b>Eve</b>", badHtml);
        // A bot fills the hidden field: thanked, nothing stored.
        var bot = await anonymous.PostAsync($"/forms/{slug}", Form(("lastName", "Bot"), ("email", "bot@spam.example"), ("homepage", "http://spam.example")));
        Assert.Equal(HttpStatusCode.OK, bot.StatusCode);
        Assert.Equal(before, await w.Factory.FingerprintAsync());

        var email = $"paula.{Guid.CreateVersion7():N}@interessent.example";
        var sent = await anonymous.PostAsync($"/forms/{slug}?lang=de", Form(("firstName", "Paula"), ("lastName", "Probe<script>alert(1)</script>"), ("email", email),
            ("companyName", "Probe AG"), ("message", "Bitte rufen Sie mich an. <img src=x onerror=alert(1)>"), ("consent", "Newsletter")));
        Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
        Assert.Contains("Link", await sent.Content.ReadAsStringAsync());
        var confirmation = Assert.Single(smtp.Received);
        Assert.Equal(email, confirmation.To.Mailboxes.Single().Address);
        Assert.StartsWith("Bitte bestätigen", confirmation.Subject);
        var confirmPath = new Uri(ConfirmLink().Match(confirmation.TextBody ?? "").Value).AbsolutePath;

        var client = w.Client(w.SalesA);
        var lead = (await OkJsonAsync(await client.GetAsync("/api/v1/leads?q=" + Uri.EscapeDataString(email)))).GetProperty("items")[0];
        Assert.Equal("webForm", lead.GetProperty("source").GetString());
        var leadId = lead.GetProperty("id").GetGuid();
        await using (var sys = w.Factory.SystemDb())
        {
            var interaction = await sys.Interactions.SingleAsync(i => i.LeadId == leadId);
            Assert.Equal(InteractionChannel.WebForm, interaction.Channel);
            Assert.DoesNotContain("<img", interaction.BodyHtml);
            Assert.Contains("&lt;img", interaction.BodyHtml);
            var requested = await sys.ConsentEntries.SingleAsync(c => c.LeadId == leadId);
            Assert.Equal(ConsentAction.Requested, requested.Action);
            Assert.Equal("Ja, ich möchte den Newsletter per E-Mail erhalten.", requested.Text);
        }

        // The link in the mail shows a button; pressing it confirms once; an unknown link does nothing.
        Assert.Contains("<form method=\"post\"", await (await anonymous.GetAsync(confirmPath)).Content.ReadAsStringAsync());
        var confirmed = await anonymous.PostAsync(confirmPath + "?lang=de", null);
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        Assert.Contains("bestätigt", await confirmed.Content.ReadAsStringAsync());
        Assert.Contains("bereits", await (await anonymous.PostAsync(confirmPath + "?lang=de", null)).Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.PostAsync("/confirm/" + new string('a', 48), null)).StatusCode);

        // Converted, the lead's consents are the person's: the newsletter may now go to her.
        await OkJsonAsync(await client.PatchAsync($"/api/v1/leads/{leadId}", new { status = "qualified" }, "\"1\""));
        var personId = (await OkJsonAsync(await client.PostAsync($"/api/v1/leads/{leadId}/convert", Json(new { })))).GetProperty("personId").GetGuid();
        var consents = await OkJsonAsync(await client.GetAsync($"/api/v1/people/{personId}/consents"));
        var newsletter = consents.GetProperty("current").EnumerateArray().Single(s => s.GetProperty("channel").GetString() == "email" && s.GetProperty("purpose").GetString() == "newsletter");
        Assert.True(newsletter.GetProperty("allowed").GetBoolean());
        Assert.Contains(consents.GetProperty("history").EnumerateArray(), h => h.GetProperty("action").GetString() == "confirmed" && h.GetProperty("ip").ValueKind != JsonValueKind.Undefined);

        // An expired link confirms nothing.
        var late = await anonymous.PostAsync($"/forms/{slug}", Form(("lastName", "Spät"), ("email", "spaet." + email), ("consent", "newsletter")));
        Assert.Equal(HttpStatusCode.OK, late.StatusCode);
        var latePath = new Uri(ConfirmLink().Match(smtp.Received.Last().TextBody ?? "").Value).AbsolutePath;
        await using (var sys = w.Factory.SystemDb())
            await sys.ConsentEntries.Where(c => c.Action == ConsentAction.Requested && c.Source == "Kontaktformular" && c.ExpiresAt > w.Factory.Clock.GetUtcNow())
                .ExecuteUpdateAsync(u => u.SetProperty(c => c.ExpiresAt, w.Factory.Clock.GetUtcNow().AddMinutes(-1)));
        before = await w.Factory.FingerprintAsync();
        Assert.Equal(HttpStatusCode.Gone, (await anonymous.PostAsync(latePath, null)).StatusCode);
        Assert.Equal(before, await w.Factory.FingerprintAsync());
    }

    [Theory, MemberData(nameof(ApiWorld.Databases), MemberType = typeof(ApiWorld))]
    public async Task A_form_refuses_more_than_ten_submissions_a_minute_from_one_address_and_stores_nothing_when_the_confirmation_cannot_be_mailed(string db)
    {
        var w = await worlds.GetAsync(db);
        var admin = w.Client(w.Admin);
        var slug = "flut-" + Guid.CreateVersion7().ToString("N")[^8..];
        await OkJsonAsync(await admin.PostAsync("/api/v1/forms", Json(new
        {
            slug, name = "Flut", titleDe = "Flut", titleEn = "Flood",
            fields = new[] { new { key = "lastName", labelDe = "Name", labelEn = "Name", required = true }, new { key = "email", labelDe = "E-Mail", labelEn = "E-mail", required = true } },
            consents = new[] { new { purpose = "events", textDe = "Einladungen zu Veranstaltungen", textEn = "Event invitations" } },
        })), HttpStatusCode.Created);
        var anonymous = Anonymous(w);

        // The mail server is gone: the visitor is told, and neither lead nor consent is stored.
        await using (var smtp = new TestSmtpServer())
            await OkJsonAsync(await admin.PutAsync("/api/v1/mail/settings", Json(new { host = "127.0.0.1", port = smtp.Port, security = "none", fromAddress = "info@motiv.test" })));
        var before = await w.Factory.FingerprintAsync();
        var failed = await anonymous.PostAsync($"/forms/{slug}?lang=en", Form(("lastName", "Ohne Post"), ("email", "ohne.post@example.org"), ("consent", "events")));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, failed.StatusCode);
        Assert.Contains("Nothing was stored", await failed.Content.ReadAsStringAsync());
        Assert.Equal(before, await w.Factory.FingerprintAsync());

        for (var i = 1; i < 10; i++)
            Assert.Equal(HttpStatusCode.OK, (await anonymous.PostAsync($"/forms/{slug}", Form(("lastName", "Bot"), ("email", "b@x.example"), ("homepage", "x")))).StatusCode);
        var limited = await anonymous.PostAsync($"/forms/{slug}?lang=de", Form(("lastName", "Mensch"), ("email", "mensch@example.org")));
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal(before, await w.Factory.FingerprintAsync());
    }

    private static FormUrlEncodedContent Form(params (string Key, string Value)[] values) => new(values.Select(v => new KeyValuePair<string, string>(v.Key, v.Value)));

    [GeneratedRegex(@"http\S+/confirm/[0-9a-f]{48}")]
    private static partial Regex ConfirmLink();
}
