using System.Text;
using System.Text.Json;
using Motiv.Core.Empathy;

namespace Motiv.E2E.Tests;

public sealed class ZzScreens(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Screens()
    {
        await browser.StartAsync();
        using var api = await browser.ApiClientAsync(BrowserFixture.SalesEmail);
        static StringContent Json(object body) => new(JsonSerializer.Serialize(body, JsonSerializerOptions.Web), Encoding.UTF8, "application/json");
        var created = await api.PostAsync("/api/v1/people", Json(new { firstName = "Mira", lastName = "Screens", visibility = "everyone", interests = new[] { "Segeln", "Jazz" }, howWeMet = "Hausmesse", birthday = "1980-12-01", birthdayReminder = true }));
        var personId = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetGuid();
        var d = 0;
        foreach (var (channel, direction, text) in new[]
        {
            ("email", "inbound", "Ausfallsicherheit ist uns das Wichtigste. Der Preis spielt keine Rolle."),
            ("phone", "outbound", "Sie braucht Referenzen aus der Branche, bevor sie entscheidet."),
            ("meeting", "outbound", "Nachhaltigkeit ist für das Unternehmen entscheidend. Sie wollen als Vorreiter auftreten."),
            ("email", "inbound", "Können Sie uns bitte ein Angebot für die Wartung schicken?"),
        })
        {
            d += 9;
            (await api.PostAsync("/api/v1/interactions", Json(new { channel, direction, subject = "Gespräch", body = text, personIds = new[] { personId }, occurredAt = DateTimeOffset.Parse("2026-11-20T10:00:00Z").AddDays(-d) }))).EnsureSuccessStatusCode();
        }
        await using (var db = browser.Factory.SystemDb()) { await MotiveService.CatchUpAsync(db); await HealthService.RecomputeAllAsync(db); }
        var page = await browser.SignInAsync(BrowserFixture.AdminEmail);
        await page.SetViewportSizeAsync(1400, 1000);
        await page.GotoAsync($"/people/{personId}");
        await BrowserFixture.Interactive(page);
        await page.WaitForTimeoutAsync(1500);
        await page.ScreenshotAsync(new() { Path = "/tmp/shot-overview.png", FullPage = true });
        await BrowserFixture.ClickUntilAsync(page.Locator(".mud-tab", new() { HasText = "Motives" }), page.GetByTestId("motive-profile"));
        await page.WaitForTimeoutAsync(1000);
        await page.ScreenshotAsync(new() { Path = "/tmp/shot-motives.png", FullPage = true });
        await BrowserFixture.ClickUntilAsync(page.Locator(".mud-tab", new() { HasText = "Relationship health" }), page.GetByTestId("health-score"));
        await page.WaitForTimeoutAsync(1000);
        await page.ScreenshotAsync(new() { Path = "/tmp/shot-health.png", FullPage = true });
        foreach (var (path, name) in new[] { ("/next-best-actions", "nba"), ("/relationships/at-risk", "risk"), ("/admin/motives", "admin") })
        {
            await page.GotoAsync(path);
            await BrowserFixture.Interactive(page);
            await page.WaitForTimeoutAsync(1500);
            await page.ScreenshotAsync(new() { Path = $"/tmp/shot-{name}.png", FullPage = true });
        }
        await page.GotoAsync($"/people/{personId}/edit");
        await BrowserFixture.Interactive(page);
        await page.WaitForTimeoutAsync(1500);
        await page.ScreenshotAsync(new() { Path = "/tmp/shot-edit.png", FullPage = true });
    }
}
