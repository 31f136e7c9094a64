using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

using static Motiv.E2E.Tests.Journey;

namespace Motiv.E2E.Tests;

/// <summary>
/// Customer analytics and segments in a real Chromium: a manager recomputes the stored analytics, builds a segment of
/// organisations by tag and number of orders while the live count follows each condition, saves it, sees its members
/// and downloads them.
/// </summary>
public sealed class SegmentJourneyTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Recompute_the_analytics_then_build_a_segment_by_tag_and_orders_watching_the_live_count_and_see_its_members()
    {
        await browser.StartAsync();
        using var api = await browser.ApiClientAsync(BrowserFixture.ManagerEmail);
        var suffix = Guid.CreateVersion7().ToString("N")[^6..];
        var tag = $"segmentreise-{suffix}";
        var segmentName = $"Stammkunden {suffix}";
        var today = DateOnly.FromDateTime(browser.Factory.Time.GetUtcNow().UtcDateTime);
        // Three customers with the tag, with three orders, two orders and one order.
        int[] orders = [3, 2, 1];
        var names = new List<string>();
        for (var i = 0; i < orders.Length; i++)
        {
            var name = $"Segmentreise {i + 1} {suffix}";
            names.Add(name);
            var id = (await PostAsync(api, "/api/v1/organizations", new { name, tags = new[] { tag } })).GetProperty("id").GetGuid();
            for (var k = 0; k < orders[i]; k++)
            {
                await PostAsync(api, "/api/v1/orders", new
                {
                    organizationId = id, orderDate = today.AddDays(-5 - 30 * k).ToString("yyyy-MM-dd"), status = "delivered",
                    lines = new[] { new { name = "Beratung", unit = "h", quantity = 2, unitPrice = 120, vatRate = 19 } },
                });
            }
        }
        var repeaters = orders.Count(n => n >= 2).ToString(System.Globalization.CultureInfo.InvariantCulture);

        var page = await browser.SignInAsync(BrowserFixture.ManagerEmail);
        await BrowserFixture.Step(page, "insights-recompute", async () =>
        {
            await page.GotoAsync("/insights");
            await BrowserFixture.Interactive(page);
            var run = page.GetByTestId("insights-run");
            // The latest run (if any) is read before the button is pressed, so that the run that completes is the new one.
            await Expect(page.GetByTestId("insights-never-run").Or(page.GetByTestId("insights-run-status"))).ToBeVisibleAsync();
            var before = await run.GetAttributeAsync("data-run-id");
            await page.GetByTestId("insights-recompute").ClickAsync();
            var status = page.GetByTestId("insights-run-status");
            await Expect(status).ToHaveAttributeAsync("data-status", "completed", new() { Timeout = 30000 });
            await Expect(status).ToHaveTextAsync("Completed");
            Assert.NotEqual(before, await run.GetAttributeAsync("data-run-id"));
            await Expect(page.GetByTestId("insights-run-customers")).Not.ToHaveTextAsync("0");
        });
        var latest = JsonDocument.Parse(await api.GetStringAsync("/api/v1/insights/runs/latest")).RootElement;
        Assert.Equal("completed", latest.GetProperty("status").GetString());

        await BrowserFixture.Step(page, "segment-conditions", async () =>
        {
            await page.GotoAsync("/segments/new");
            await BrowserFixture.Interactive(page);
            await BrowserFixture.TypeAsync(page.GetByTestId("segment-name"), segmentName);
            var organisations = Item(page, "Organisations");
            await BrowserFixture.ClickUntilAsync(page.GetByTestId("segment-entity"), organisations);
            await organisations.ClickAsync();
            await Expect(page.GetByTestId("segment-entity")).ToHaveValueAsync("Organisations");

            // tag = the journey's tag: its three customers.
            await page.GetByTestId("segment-add-condition").ClickAsync();
            var first = page.GetByTestId("segment-condition").Nth(0);
            await BrowserFixture.ClickUntilAsync(first.GetByTestId("segment-condition-field"), Item(page, "Tag"));
            await Item(page, "Tag").ClickAsync();
            await Expect(first).ToHaveAttributeAsync("data-field", "tag");
            await BrowserFixture.TypeAsync(first.GetByTestId("segment-condition-value"), tag);
            var count = page.GetByTestId("segment-live-count");
            await Expect(count).ToHaveAttributeAsync("data-count", "3");
            await Expect(count).ToHaveTextAsync("3");

            // … and at least two orders: the count follows as soon as the condition has its value.
            await page.GetByTestId("segment-add-condition").ClickAsync();
            var second = page.GetByTestId("segment-condition").Nth(1);
            await BrowserFixture.ClickUntilAsync(second.GetByTestId("segment-condition-field"), Item(page, "Orders"));
            await Item(page, "Orders").ClickAsync();
            await Expect(second).ToHaveAttributeAsync("data-field", "orders");
            await Expect(second.GetByTestId("segment-condition-op")).ToHaveValueAsync("at least");
            await Expect(page.GetByTestId("segment-incomplete")).ToBeVisibleAsync();
            await Expect(count).ToHaveAttributeAsync("data-count", "3");
            await BrowserFixture.TypeAsync(second.GetByTestId("segment-condition-number"), "2");
            await Expect(count).ToHaveAttributeAsync("data-count", repeaters);
            await Expect(count).ToHaveTextAsync(repeaters);
        });

        await BrowserFixture.Step(page, "segment-members", async () =>
        {
            await page.GetByTestId("segment-save").ClickAsync();
            await Expect(page).ToHaveURLAsync(new Regex("/segments/[0-9a-f-]{36}$"));
            await Expect(page.GetByTestId("segment-title")).ToHaveTextAsync(segmentName);
            var members = page.GetByTestId("segment-member");
            await Expect(members).ToHaveCountAsync(int.Parse(repeaters, System.Globalization.CultureInfo.InvariantCulture));
            var list = page.GetByTestId("segment-members");
            await Expect(list).ToContainTextAsync(names[0]);
            await Expect(list).ToContainTextAsync(names[1]);
            await Expect(list).Not.ToContainTextAsync(names[2]);

            // The export comes with the sign-in cookie, as a download.
            var download = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("segment-export-csv").ClickAsync());
            var csv = await File.ReadAllTextAsync(await download.PathAsync());
            Assert.Contains(names[0], csv);
            Assert.Contains(names[1], csv);
            Assert.DoesNotContain(names[2], csv);
        });

        await BrowserFixture.Step(page, "segment-list", async () =>
        {
            await page.GotoAsync("/segments");
            await BrowserFixture.Interactive(page);
            var row = page.GetByTestId("segment-row").Filter(new() { HasText = segmentName });
            await Expect(row.GetByTestId("segment-count")).ToHaveAttributeAsync("data-count", repeaters);
        });
    }
}
