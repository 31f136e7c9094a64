using static Motiv.Web.Tests.Api;

namespace Motiv.Web.Tests;

/// <summary>Outgoing mail against a real SMTP server in the test process, on both databases.</summary>
public sealed class MailApiTests(ApiWorld worlds) : IClassFixture<ApiWorld>
{
    [Theory, MemberData(nameof(ApiWorld.Databases), MemberType = typeof(ApiWorld))]
    public async Task A_templated_mail_is_rendered_in_the_persons_language_sent_by_smtp_and_put_on_the_timeline(string db)
    {
        var w = await worlds.GetAsync(db);
        await using var smtp = new TestSmtpServer();
        var admin = w.Client(w.Admin);
        var client = w.Client(w.SalesA);

        var before = await w.Factory.FingerprintAsync();
        Assert.Equal(HttpStatusCode.Forbidden, (await client.PutAsync("/api/v1/mail/settings", Api.Json(new { host = "evil.example", port = 25, fromAddress = "x@evil.example" }))).StatusCode);
        var badTemplate = await admin.PostAsync("/api/v1/mail/templates", Api.Json(new { name = "Kaputt", language = "de", subject = "{{ person.lastName", body = "x" }));
        Assert.True((await badTemplate.ReadJsonAsync()).GetProperty("errors").TryGetProperty("subject", out _));
        Assert.Equal(before, await w.Factory.FingerprintAsync());

        var settings = await OkJsonAsync(await admin.PutAsync("/api/v1/mail/settings", Api.Json(new
        {
            host = "127.0.0.1", port = smtp.Port, security = "none", userName = "motiv", password = "geheim", fromAddress = "vertrieb@motiv.test", fromName = "Motiv Vertrieb",
        })));
        Assert.True(settings.GetProperty("hasPassword").GetBoolean());
        Assert.False(settings.TryGetProperty("password", out _));
        await using (var sys = w.Factory.SystemDb())
            Assert.DoesNotContain("geheim", sys.Settings.Single(s => s.Key == "smtp").Value);
        // The test server asks for no login: the stored password is not sent.
        await OkJsonAsync(await admin.PutAsync("/api/v1/mail/settings", Api.Json(new { host = "127.0.0.1", port = smtp.Port, security = "none", fromAddress = "vertrieb@motiv.test", fromName = "Motiv Vertrieb" })));

        var template = await OkJsonAsync(await admin.PostAsync("/api/v1/mail/templates", Api.Json(new
        {
            name = Api.Unique("Nachfassen"), language = "de", subject = "Ihr Angebot, {{ person.lastName }}",
            body = "<p>{{ person.greeting }},</p><p>wie besprochen für {{ organization.name }}.</p><p>Viele Grüße<br>{{ user.name }}</p>",
        })), HttpStatusCode.Created);
        var (orgId, _) = await client.CreateOrganizationAsync(new { name = "Kälte & <Söhne> GmbH" });
        var person = await OkJsonAsync(await client.PostAsync("/api/v1/people", Api.Json(new
        {
            salutation = "ms", academicTitle = "Dr.", firstName = "Eva", lastName = "Empfänger", preferredLanguage = "de",
            emails = new[] { new { address = $"eva.{Guid.CreateVersion7():N}@kunde.example" } }, employments = new[] { new { organizationId = orgId, isPrimary = true } },
        })), HttpStatusCode.Created);
        var personId = person.GetProperty("id").GetGuid();

        var preview = await OkJsonAsync(await client.PostAsync("/api/v1/mail/preview", Api.Json(new { personId, templateId = template.GetProperty("id").GetGuid() })));
        Assert.Equal("Ihr Angebot, Empfänger", preview.GetProperty("subject").GetString());
        Assert.Contains("Sehr geehrte Frau Dr. Empfänger", preview.GetProperty("bodyHtml").GetString());
        Assert.Contains("Kälte &amp; &lt;Söhne&gt; GmbH", preview.GetProperty("bodyHtml").GetString());

        var sent = await OkJsonAsync(await client.PostAsync("/api/v1/mail/send", Api.Json(new { personId, templateId = template.GetProperty("id").GetGuid() })), HttpStatusCode.Created);
        var message = Assert.Single(smtp.Received);
        Assert.Equal("Ihr Angebot, Empfänger", message.Subject);
        Assert.Equal(person.GetProperty("emails")[0].GetProperty("address").GetString(), message.To.Mailboxes.Single().Address);
        Assert.Equal("vertrieb@motiv.test", message.From.Mailboxes.Single().Address);
        Assert.Contains("Sehr geehrte Frau Dr. Empfänger", message.HtmlBody);
        Assert.Contains("Sehr geehrte Frau Dr. Empfänger", message.TextBody);
        var timeline = (await OkJsonAsync(await client.GetAsync($"/api/v1/people/{personId}/timeline?channel=email"))).GetProperty("items");
        Assert.Equal(sent.GetProperty("id").GetGuid(), Assert.Single(timeline.EnumerateArray()).GetProperty("id").GetGuid());

        // No address, or a server that is gone: refused, and nothing is recorded as sent.
        var nobody = await OkJsonAsync(await client.PostAsync("/api/v1/people", Api.Json(new { firstName = "Ohne", lastName = "Adresse" })), HttpStatusCode.Created);
        before = await w.Factory.FingerprintAsync();
        var noAddress = await client.PostAsync("/api/v1/mail/send", Api.Json(new { personId = nobody.GetProperty("id").GetGuid(), subject = "Hallo", body = "Text" }));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, noAddress.StatusCode);
        Assert.True((await noAddress.ReadJsonAsync()).GetProperty("errors").TryGetProperty("personId", out _));
        await smtp.DisposeAsync();
        var down = await client.PostAsync("/api/v1/mail/send", Api.Json(new { personId, subject = "Noch einmal", body = "Text" }));
        Assert.Equal(HttpStatusCode.BadGateway, down.StatusCode);
        Assert.Equal(before, await w.Factory.FingerprintAsync());
    }

    [Theory, MemberData(nameof(ApiWorld.Databases), MemberType = typeof(ApiWorld))]
    public async Task A_due_reminder_is_also_mailed_to_the_assignee_when_a_mail_server_is_set_up(string db)
    {
        var w = await worlds.GetAsync(db);
        await using var smtp = new TestSmtpServer();
        await OkJsonAsync(await w.Client(w.Admin).PutAsync("/api/v1/mail/settings", Api.Json(new { host = "127.0.0.1", port = smtp.Port, security = "none", fromAddress = "motiv@motiv.test" })));
        var title = Api.Unique("Rückruf Kühlhaus");
        await OkJsonAsync(await w.Client(w.SalesA2).PostAsync("/api/v1/tasks", Api.Json(new { title, remindAt = w.Factory.Clock.GetUtcNow().AddMinutes(-1) })), HttpStatusCode.Created);

        var job = new Hosting.ReminderJob(w.Factory.Services, Microsoft.Extensions.Logging.Abstractions.NullLogger<Hosting.ReminderJob>.Instance);
        await job.Execute(null!, CancellationToken.None);
        await job.Execute(null!, CancellationToken.None);

        var mail = Assert.Single(smtp.Received, m => (m.Subject ?? "").Contains(title, StringComparison.Ordinal));
        Assert.Equal("sales.a2@test.example", mail.To.Mailboxes.Single().Address);
        Assert.Contains("/tasks?id=", mail.TextBody ?? "");
    }
}
