namespace Motiv.E2E.Tests;

/// <summary>What a user does in a real Chromium against a running Motiv.</summary>
public sealed class JourneyTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Create_a_partner_organisation_add_an_employee_and_find_both_by_search()
    {
        await browser.StartAsync();
        var page = await browser.SignInAsync(BrowserFixture.SalesEmail);
        await BrowserFixture.Step(page, "create-and-search", async () =>
        {
        var suffix = Guid.CreateVersion7().ToString("N")[^6..];
        var orgName = $"Partnerwerk {suffix} GmbH";

        await page.GotoAsync("/organizations");
        await BrowserFixture.Interactive(page);
        await page.GetByTestId("new-organization").ClickAsync();
        await BrowserFixture.CheckAsync(page.GetByTestId("role-partner"));
        await BrowserFixture.SaveUntilAsync(page, orgName, async () =>
        {
            await BrowserFixture.TypeAsync(page.GetByTestId("org-name"), orgName);
            await BrowserFixture.TypeAsync(page.GetByTestId("org-vat"), "DE136695976");
        });
        await Expect(page.Locator(".mud-chip", new() { HasText = "Partner" })).ToBeVisibleAsync();
        var orgUrl = page.Url;

        await page.GotoAsync("/people");
        await BrowserFixture.Interactive(page);
        await page.GetByTestId("new-person").ClickAsync();
        await page.GetByTestId("add-employment").ClickAsync();
        await BrowserFixture.PickAsync(page, page.GetByTestId("employment-org-0"), $"Partnerwerk {suffix}", orgName);
        await Expect(page.GetByTestId("employment-org-0")).ToHaveValueAsync(orgName);
        await BrowserFixture.SaveUntilAsync(page, $"Paula Partner{suffix}", async () =>
        {
            await BrowserFixture.TypeAsync(page.GetByTestId("person-first"), "Paula");
            await BrowserFixture.TypeAsync(page.GetByTestId("person-last"), $"Partner{suffix}");
            await BrowserFixture.TypeAsync(page.GetByTestId("employment-position-0"), "Einkauf");
        });

        await page.GotoAsync(orgUrl);
        await BrowserFixture.Interactive(page);
        await Expect(page.GetByTestId("record-title")).ToHaveTextAsync(orgName);
        await BrowserFixture.ClickUntilAsync(page.Locator(".mud-tab", new() { HasText = "People" }), page.GetByTestId("org-people"));
        await Expect(page.GetByTestId("org-people")).ToContainTextAsync($"Paula Partner{suffix}");
        await Expect(page.GetByTestId("org-people")).ToContainTextAsync("Einkauf");

        foreach (var (query, expected) in new[] { ($"Partnerwerk {suffix}", orgName), ($"Partner{suffix}", $"Paula Partner{suffix}") })
        {
            await BrowserFixture.PickAsync(page, page.GetByTestId("global-search"), query, expected);
            await Expect(page.GetByTestId("record-title")).ToHaveTextAsync(expected);
        }
        });
    }

    [Fact]
    public async Task A_save_after_someone_elses_change_shows_the_conflict_and_keeps_their_change()
    {
        await browser.StartAsync();
        using var client = await browser.ApiClientAsync(BrowserFixture.AdminEmail);
        var created = await client.PostAsync("/api/v1/organizations", new StringContent(
            $$"""{"name":"Konflikt {{Guid.CreateVersion7().ToString("N")[^6..]}} AG","visibility":"everyone","teamId":"{{browser.TeamId}}"}""", System.Text.Encoding.UTF8, "application/json"));
        var id = System.Text.Json.JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetGuid();

        var anna = await browser.SignInAsync(BrowserFixture.AdminEmail);
        var sven = await browser.SignInAsync(BrowserFixture.SalesEmail);
        await BrowserFixture.Step(sven, "conflict", async () =>
        {
        foreach (var page in new[] { anna, sven })
        {
            await page.GotoAsync($"/organizations/{id}");
            await BrowserFixture.Interactive(page);
            await page.GetByTestId("edit").ClickAsync();
        }
        await Expect(anna.GetByTestId("org-name")).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("^Konflikt"));
        await BrowserFixture.SaveUntilAsync(anna, "Konflikt – Annas Fassung AG", () => BrowserFixture.TypeAsync(anna.GetByTestId("org-name"), "Konflikt – Annas Fassung AG"));

        await Expect(sven.GetByTestId("org-name")).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("^Konflikt"));
        await BrowserFixture.TypeAsync(sven.GetByTestId("org-name"), "Konflikt – Svens Fassung AG");
        // Sven may have chosen German in another journey: the message is checked by what it shows, not its words.
        var conflict = sven.GetByTestId("conflict");
        // On a busy machine a click can go unnoticed; pressing save again is safe (it conflicts again and stores nothing).
        await BrowserFixture.ClickUntilAsync(sven.GetByTestId("save"), conflict);
        await Expect(conflict).ToContainTextAsync("Annas Fassung");
        await Expect(conflict).ToContainTextAsync("anna.admin");
        await Expect(sven.GetByTestId("load-current")).ToBeVisibleAsync();

        });
        var stored = await client.GetStringAsync($"/api/v1/organizations/{id}");
        Assert.Contains("Annas Fassung", stored);
    }

    [Fact]
    public async Task Switching_to_German_shows_German_labels_and_number_formats()
    {
        await browser.StartAsync();
        var page = await browser.SignInAsync(BrowserFixture.SalesEmail, "en-US");
        await BrowserFixture.Step(page, "german", async () =>
        {
        await page.GotoAsync("/organizations");
        await BrowserFixture.Interactive(page);
        await Expect(page.Locator("h1")).ToHaveTextAsync("Organisations");
        await Expect(page.GetByTestId("pager-range")).ToContainTextAsync(" of 1,2");

        await BrowserFixture.ClickUntilAsync(page.GetByTestId("user-menu"), page.GetByTestId("lang-de"));
        await page.GetByTestId("lang-de").ClickAsync();
        await BrowserFixture.Interactive(page);
        await Expect(page.Locator("h1")).ToHaveTextAsync("Organisationen");
        await Expect(page.GetByTestId("pager-range")).ToContainTextAsync(" von 1.2");
        await Expect(page.GetByTestId("new-organization")).ToHaveTextAsync("Neue Organisation");
        await Expect(page.Locator("table thead")).ToContainTextAsync("Geändert");
        var dateCell = page.Locator("table tbody tr").First.Locator("td").Last;
        await Expect(dateCell).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\d{2}\.\d{2}\.\d{4}$"));
        });
    }

    [Fact]
    public async Task A_lists_filters_saved_as_a_view_come_back_when_the_view_is_chosen()
    {
        await browser.StartAsync();
        var page = await browser.SignInAsync(BrowserFixture.AdminEmail);
        var name = "Nur 00er " + Guid.CreateVersion7().ToString("N")[^4..];
        await BrowserFixture.Step(page, "views", async () =>
        {
            await page.GotoAsync("/organizations");
            await BrowserFixture.Interactive(page);
            // The filter applies while typing; if a busy server missed the input, type it again, as a person would.
            for (var attempt = 1; ; attempt++)
            {
                await page.GetByTestId("filter-q").FillAsync("");
                await BrowserFixture.TypeAsync(page.GetByTestId("filter-q"), "Bestandsfirma 00");
                try
                {
                    await Expect(page.GetByTestId("pager-range")).ToContainTextAsync("of 100", new() { Timeout = 5000 });
                    break;
                }
                catch (PlaywrightException) when (attempt < 3)
                {
                }
            }
            await BrowserFixture.ClickUntilAsync(page.GetByTestId("view-save-as"), page.GetByTestId("view-name"));
            for (var attempt = 1; ; attempt++)
            {
                await BrowserFixture.TypeAsync(page.GetByTestId("view-name"), name);
                await page.GetByTestId("view-save").ClickAsync();
                try
                {
                    await Expect(page.GetByTestId("view-save-as")).ToBeVisibleAsync(new() { Timeout = 5000 });
                    break;
                }
                catch (PlaywrightException) when (attempt < 3)
                {
                }
            }

            await page.GotoAsync("/organizations");
            await BrowserFixture.Interactive(page);
            await Expect(page.GetByTestId("pager-range")).ToContainTextAsync("of 1,2");
            var option = page.Locator(".mud-popover-open .mud-list-item", new() { HasText = name });
            await BrowserFixture.ClickUntilAsync(page.GetByTestId("view-select"), option);
            await option.ClickAsync();
            await Expect(page.GetByTestId("pager-range")).ToContainTextAsync("of 100");
            await Expect(page.GetByTestId("filter-q")).ToHaveValueAsync("Bestandsfirma 00");
        });
    }
}
