using System.Text;
using System.Text.Json;

namespace Motiv.E2E.Tests;

/// <summary>Steering the channels from Motiv in a real Chromium.</summary>
public sealed class CommunicationJourneyTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Log_a_call_on_a_persons_timeline_and_open_it()
    {
        await browser.StartAsync();
        using var api = await browser.ApiClientAsync(BrowserFixture.SalesEmail);
        var suffix = Guid.CreateVersion7().ToString("N")[^6..];
        var response = await api.PostAsync("/api/v1/people", new StringContent(
            JsonSerializer.Serialize(new { firstName = "Carla", lastName = $"Call{suffix}", visibility = "everyone" }, JsonSerializerOptions.Web), Encoding.UTF8, "application/json"));
        var personId = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetGuid();

        var page = await browser.SignInAsync(BrowserFixture.SalesEmail);
        await BrowserFixture.Step(page, "log-call", async () =>
        {
            await page.GotoAsync($"/people/{personId}");
            await BrowserFixture.Interactive(page);
            await BrowserFixture.ClickUntilAsync(page.Locator(".mud-tab", new() { HasText = "Timeline" }), page.GetByTestId("log-call"));
            await Expect(page.GetByText("Nothing recorded yet.")).ToBeVisibleAsync();
            await BrowserFixture.ClickUntilAsync(page.GetByTestId("log-call"), page.GetByTestId("interaction-subject"));
            for (var attempt = 1; ; attempt++)
            {
                await BrowserFixture.TypeAsync(page.GetByTestId("interaction-subject"), $"Rückruf {suffix}");
                await BrowserFixture.TypeAsync(page.GetByTestId("interaction-duration"), "12");
                await BrowserFixture.TypeAsync(page.GetByTestId("interaction-outcome"), "Angebot gewünscht");
                await BrowserFixture.TypeAsync(page.GetByTestId("interaction-body"), "Fragt nach Wartung <b>und</b> Preisen.");
                await page.GetByTestId("save").ClickAsync();
                try
                {
                    await Expect(page.GetByTestId("timeline-item")).ToContainTextAsync($"Rückruf {suffix}", new() { Timeout = 5000 });
                    break;
                }
                catch (PlaywrightException) when (attempt < 3)
                {
                }
            }
            var item = page.GetByTestId("timeline-item");
            await Expect(item).ToContainTextAsync("12 min");
            await Expect(item).ToContainTextAsync("Angebot gewünscht");
            await item.ClickAsync();
            await Expect(page.GetByTestId("interaction-title")).ToHaveTextAsync($"Rückruf {suffix}");
            // What was typed is shown as text, markup included, never as markup.
            await Expect(page.GetByTestId("interaction-body")).ToContainTextAsync("Fragt nach Wartung <b>und</b> Preisen.");
        });
    }

    [Fact]
    public async Task Send_a_templated_mail_that_arrives_and_shows_on_the_timeline()
    {
        await browser.StartAsync();
        await using var smtp = new TestSmtpServer();
        using var admin = await browser.ApiClientAsync(BrowserFixture.AdminEmail);
        static StringContent Json(object body) => new(JsonSerializer.Serialize(body, JsonSerializerOptions.Web), Encoding.UTF8, "application/json");
        (await admin.PutAsync("/api/v1/mail/settings", Json(new { host = "127.0.0.1", port = smtp.Port, security = "none", fromAddress = "vertrieb@motiv.test" }))).EnsureSuccessStatusCode();
        var suffix = Guid.CreateVersion7().ToString("N")[^6..];
        (await admin.PostAsync("/api/v1/mail/templates", Json(new
        {
            name = $"Willkommen {suffix}", language = "en", subject = "Welcome, {{ person.lastName }}", body = "<p>{{ person.greeting }},</p><p>welcome to our customer portal.</p>",
        }))).EnsureSuccessStatusCode();
        using var api = await browser.ApiClientAsync(BrowserFixture.SalesEmail);
        var created = await api.PostAsync("/api/v1/people", Json(new
        {
            salutation = "ms", firstName = "Mia", lastName = $"Mail{suffix}", preferredLanguage = "en", visibility = "everyone", emails = new[] { new { address = $"mia.{suffix}@kunde.example" } },
        }));
        var personId = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetGuid();

        var page = await browser.SignInAsync(BrowserFixture.SalesEmail);
        await BrowserFixture.Step(page, "send-mail", async () =>
        {
            await page.GotoAsync($"/people/{personId}");
            await BrowserFixture.Interactive(page);
            await BrowserFixture.ClickUntilAsync(page.Locator(".mud-tab", new() { HasText = "Timeline" }), page.GetByTestId("compose-mail"));
            await BrowserFixture.ClickUntilAsync(page.GetByTestId("compose-mail"), page.GetByTestId("mail-template"));
            await BrowserFixture.ClickUntilAsync(page.GetByTestId("mail-template"), page.Locator(".mud-popover-open .mud-list-item", new() { HasText = $"Willkommen {suffix}" }));
            await page.Locator(".mud-popover-open .mud-list-item", new() { HasText = $"Willkommen {suffix}" }).ClickAsync();
            await Expect(page.GetByTestId("mail-preview")).ToContainTextAsync($"Dear Ms Mail{suffix}");
            await page.GetByTestId("mail-send").ClickAsync();
            await Expect(page.GetByTestId("timeline-item")).ToContainTextAsync($"Welcome, Mail{suffix}");
        });
        var message = Assert.Single(smtp.Received);
        Assert.Equal($"mia.{suffix}@kunde.example", message.To.Mailboxes.Single().Address);
        Assert.Contains($"Dear Ms Mail{suffix}", message.HtmlBody);
    }

    [Fact]
    public async Task Submit_a_public_form_and_confirm_the_double_opt_in()
    {
        await browser.StartAsync();
        await using var smtp = new TestSmtpServer();
        using var admin = await browser.ApiClientAsync(BrowserFixture.AdminEmail);
        static StringContent Json(object body) => new(JsonSerializer.Serialize(body, JsonSerializerOptions.Web), Encoding.UTF8, "application/json");
        (await admin.PutAsync("/api/v1/mail/settings", Json(new { host = "127.0.0.1", port = smtp.Port, security = "none", fromAddress = "info@motiv.test" }))).EnsureSuccessStatusCode();
        var suffix = Guid.CreateVersion7().ToString("N")[^6..];
        var slug = "anfrage-" + suffix;
        (await admin.PostAsync("/api/v1/forms", Json(new
        {
            slug, name = "Anfrage " + suffix, titleDe = "Unverbindliche Anfrage", titleEn = "Free enquiry", thanksDe = "Danke für Ihre Anfrage!", thanksEn = "Thank you!",
            fields = new object[]
            {
                new { key = "firstName", labelDe = "Vorname", labelEn = "First name", required = false },
                new { key = "lastName", labelDe = "Nachname", labelEn = "Last name", required = true },
                new { key = "email", labelDe = "E-Mail", labelEn = "E-mail", required = true },
                new { key = "message", labelDe = "Nachricht", labelEn = "Message", required = false },
            },
            consents = new[] { new { purpose = "newsletter", textDe = "Ich möchte den Newsletter per E-Mail erhalten.", textEn = "Send me the newsletter." } },
        }))).EnsureSuccessStatusCode();

        // A visitor without an account, in a German browser.
        var context = await browser.Browser.NewContextAsync(new() { BaseURL = browser.BaseUrl, Locale = "de-DE" });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(15000);
        var email = $"vera.{suffix}@besucher.example";
        await BrowserFixture.Step(page, "public-form", async () =>
        {
            await page.GotoAsync($"/forms/{slug}");
            await Expect(page.Locator("h1")).ToHaveTextAsync("Unverbindliche Anfrage");
            await page.GetByRole(AriaRole.Button, new() { Name = "Absenden" }).ClickAsync();
            await Expect(page.Locator("#f-lastName-error")).ToBeVisibleAsync();
            await page.GetByLabel("Vorname").FillAsync("Vera");
            await page.GetByLabel("Nachname *").FillAsync("Besucherin");
            await page.GetByLabel("E-Mail *").FillAsync(email);
            await page.GetByLabel("Nachricht").FillAsync("Bitte um Rückruf <script>alert(1)</script>");
            await page.GetByLabel("Ich möchte den Newsletter per E-Mail erhalten.").CheckAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Absenden" }).ClickAsync();
            await Expect(page.Locator("main")).ToContainTextAsync("Danke für Ihre Anfrage!");
            await Expect(page.Locator("main")).ToContainTextAsync("Bitte bestätigen Sie Ihre Einwilligung");
        });
        var mail = Assert.Single(smtp.Received);
        Assert.Equal(email, mail.To.Mailboxes.Single().Address);
        var link = System.Text.RegularExpressions.Regex.Match(mail.TextBody ?? "", @"/confirm/[0-9a-f]{48}").Value;
        Assert.NotEmpty(link);

        await BrowserFixture.Step(page, "confirm-double-opt-in", async () =>
        {
            await page.GotoAsync(link);
            await page.GetByRole(AriaRole.Button, new() { Name = "Bestätigen" }).ClickAsync();
            await Expect(page.Locator("main")).ToContainTextAsync("Ihre Einwilligung ist bestätigt");
        });

        await using var sys = browser.Factory.SystemDb();
        var lead = sys.Leads.Single(l => l.Email == email);
        Assert.Equal("Besucherin", lead.LastName);
        var entries = sys.ConsentEntries.Where(c => c.LeadId == lead.Id).OrderBy(c => c.At).ToList();
        Assert.Equal([Motiv.Core.Communication.ConsentAction.Requested, Motiv.Core.Communication.ConsentAction.Confirmed], entries.Select(e => e.Action));
        Assert.Equal("Ich möchte den Newsletter per E-Mail erhalten.", entries[1].Text);
        Assert.Contains("Chrom", entries[1].UserAgent);
        Assert.Equal("127.0.0.1", entries[1].Ip);
    }
}
