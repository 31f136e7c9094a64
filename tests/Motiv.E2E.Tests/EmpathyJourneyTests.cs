using System.Text;
using System.Text.Json;
using Motiv.Core.Empathy;

namespace Motiv.E2E.Tests;

/// <summary>The motive profile in a real Chromium: its quotes, and a rejected piece of evidence changing it.</summary>
public sealed class EmpathyJourneyTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Open_a_person_see_the_profile_and_its_quotes_reject_one_and_see_the_profile_change()
    {
        await browser.StartAsync();
        using var api = await browser.ApiClientAsync(BrowserFixture.SalesEmail);
        static StringContent Json(object body) => new(JsonSerializer.Serialize(body, JsonSerializerOptions.Web), Encoding.UTF8, "application/json");
        var suffix = Guid.CreateVersion7().ToString("N")[^6..];
        var created = await api.PostAsync("/api/v1/people", Json(new { firstName = "Mira", lastName = $"Motiv{suffix}", visibility = "everyone" }));
        var personId = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetGuid();
        foreach (var (channel, direction, text) in new[]
        {
            ("email", "inbound", "Ausfallsicherheit ist uns das Wichtigste."),
            ("phone", "outbound", "Sie braucht Referenzen aus der Branche, bevor sie entscheidet."),
        })
        {
            (await api.PostAsync("/api/v1/interactions", Json(new { channel, direction, subject = "Gespräch", body = text, personIds = new[] { personId } }))).EnsureSuccessStatusCode();
        }
        await using (var db = browser.Factory.SystemDb()) await MotiveService.CatchUpAsync(db);

        var page = await browser.SignInAsync(BrowserFixture.SalesEmail);
        await BrowserFixture.Step(page, "motive-profile", async () =>
        {
            await page.GotoAsync($"/people/{personId}");
            await BrowserFixture.Interactive(page);
            await BrowserFixture.ClickUntilAsync(page.Locator(".mud-tab", new() { HasText = "Motives" }), page.GetByTestId("motive-profile"));
            var security = page.Locator("[data-testid=motive-row][data-motive=security]");
            await Expect(security.GetByTestId("motive-score")).Not.ToHaveTextAsync("unknown");
            var scoreBefore = await security.GetByTestId("motive-score").InnerTextAsync();
            await Expect(page.Locator("[data-testid=motive-row][data-motive=economy]").GetByTestId("motive-score")).ToHaveTextAsync("unknown");
            var quote = page.GetByTestId("evidence-item").Filter(new() { HasText = "Ausfallsicherheit ist uns das Wichtigste." });
            await Expect(quote).ToHaveCountAsync(1);
            await Expect(page.GetByTestId("evidence-item").Filter(new() { HasText = "Referenzen aus der Branche" })).ToHaveCountAsync(1);

            // Rejecting the customer's own words leaves only a colleague's note: too little to know.
            await quote.GetByTestId("evidence-reject").ClickAsync();
            await Expect(quote).ToHaveAttributeAsync("data-status", "Rejected");
            await Expect(security.GetByTestId("motive-score")).Not.ToHaveTextAsync(scoreBefore);
            await Expect(security.GetByTestId("motive-score")).ToHaveTextAsync("unknown");
        });
    }
}
