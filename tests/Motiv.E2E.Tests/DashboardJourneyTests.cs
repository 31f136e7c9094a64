using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

using static Motiv.E2E.Tests.Journey;

namespace Motiv.E2E.Tests;

/// <summary>
/// The dashboard in a real Chromium: the default reports render (chart and table each), the user removes one, adds revenue
/// by product, saves, finds the arrangement again after a reload, and downloads one report as CSV with the sign-in cookie.
/// </summary>
public sealed class DashboardJourneyTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private static ILocator Widget(IPage page, string report, string? groupBy = null) =>
        page.Locator(groupBy is null ? $"[data-testid=dashboard-widget][data-report='{report}']" : $"[data-testid=dashboard-widget][data-report='{report}'][data-group-by='{groupBy}']");

    /// <summary>The widgets on the page in their order, as report:grouping.</summary>
    private static Task<string[]> ArrangementAsync(IPage page) =>
        page.GetByTestId("dashboard-widget").EvaluateAllAsync<string[]>("els => els.map(e => e.dataset.report + ':' + (e.dataset.groupBy || ''))");

    [Fact]
    public async Task See_the_default_reports_replace_activity_by_revenue_per_product_keep_it_after_a_reload_and_download_it()
    {
        await browser.StartAsync();
        using var api = await browser.ApiClientAsync(BrowserFixture.SalesEmail);
        var suffix = Guid.CreateVersion7().ToString("N")[^6..];
        var product = $"Dashboardberatung {suffix}";
        var today = DateOnly.FromDateTime(browser.Factory.Time.GetUtcNow().UtcDateTime);
        // The default arrangement, whatever an earlier journey left.
        var reset = await api.PutAsync("/api/v1/dashboards", Json(new { widgets = Motiv.Core.Analytics.DashboardService.Default }));
        Assert.True(reset.IsSuccessStatusCode, await reset.Content.ReadAsStringAsync());
        // One order this year with a free-text line: revenue by product lists it under the line's name.
        var org = await PostAsync(api, "/api/v1/organizations", new { name = $"Dashboardkunde {suffix} GmbH", visibility = "everyone" });
        await PostAsync(api, "/api/v1/orders", new
        {
            organizationId = org.GetProperty("id").GetGuid(), orderDate = today.ToString("yyyy-MM-dd"),
            lines = new[] { new { name = product, unit = "h", quantity = 2, unitPrice = 150, vatRate = 19 } },
        });

        var page = await browser.SignInAsync(BrowserFixture.SalesEmail);
        await BrowserFixture.Step(page, "dashboard-default", async () =>
        {
            await page.GotoAsync("/dashboard");
            await BrowserFixture.Interactive(page);
            await Expect(page.GetByTestId("dashboard-widget")).ToHaveCountAsync(6);
            Assert.Equal(["forecast:", "pipeline-funnel:", "win-rate:", "revenue:month", "revenue:category", "activity:"], await ArrangementAsync(page));
            (string Report, string? GroupBy, string Title)[] defaults =
            [
                ("forecast", null, "Weighted forecast and won"), ("pipeline-funnel", null, "Pipeline funnel"), ("win-rate", null, "Win rate"),
                ("revenue", "month", "Revenue · Month"), ("revenue", "category", "Revenue · Category"), ("activity", null, "Activity by user and channel"),
            ];
            foreach (var (report, groupBy, title) in defaults)
            {
                // Each widget loads on its own; once it is ready it shows its title and its data as a table.
                var widget = Widget(page, report, groupBy);
                await Expect(widget).ToHaveAttributeAsync("data-state", "ready", new() { Timeout = 20000 });
                await Expect(widget.GetByTestId("dashboard-widget-title")).ToHaveTextAsync(title);
                await Expect(widget.GetByTestId("dashboard-widget-table")).ToBeVisibleAsync();
                await Expect(widget.GetByTestId("dashboard-download-csv")).ToBeVisibleAsync();
            }
            // The forecast has a row per month and the funnel one per stage, so both draw a chart.
            await Expect(Widget(page, "forecast").GetByTestId("dashboard-widget-chart").Locator("svg").First).ToBeVisibleAsync();
            await Expect(Widget(page, "pipeline-funnel").GetByTestId("dashboard-widget-chart").Locator("svg").First).ToBeVisibleAsync();
            await Expect(Widget(page, "revenue", "month").GetByTestId("dashboard-widget-table")).ToContainTextAsync("300");
        });

        await BrowserFixture.Step(page, "dashboard-edit", async () =>
        {
            await BrowserFixture.ClickUntilAsync(page.GetByTestId("dashboard-edit"), page.GetByTestId("dashboard-save"));
            await Widget(page, "activity").GetByTestId("dashboard-remove").ClickAsync();
            await Expect(Widget(page, "activity")).ToHaveCountAsync(0);
            await Expect(page.GetByTestId("dashboard-unsaved")).ToBeVisibleAsync();

            var revenue = Item(page, "Revenue");
            await BrowserFixture.ClickUntilAsync(page.GetByTestId("dashboard-add-report"), revenue);
            await revenue.ClickAsync();
            await Expect(page.GetByTestId("dashboard-add-report")).ToHaveValueAsync("Revenue");
            var byProductItem = Item(page, "Product");
            await BrowserFixture.ClickUntilAsync(page.GetByTestId("dashboard-add-group-by"), byProductItem);
            await byProductItem.ClickAsync();
            await Expect(page.GetByTestId("dashboard-add-group-by")).ToHaveValueAsync("Product");
            await page.GetByTestId("dashboard-add").ClickAsync();

            var byProduct = Widget(page, "revenue", "product");
            await Expect(byProduct).ToHaveAttributeAsync("data-state", "ready", new() { Timeout = 20000 });
            await Expect(byProduct.GetByTestId("dashboard-widget-title")).ToHaveTextAsync("Revenue · Product");
            await Expect(byProduct.GetByTestId("dashboard-widget-table")).ToContainTextAsync(product);

            await page.GetByTestId("dashboard-save").ClickAsync();
            await Expect(page.GetByTestId("dashboard-save")).ToHaveCountAsync(0);
        });
        var stored = JsonDocument.Parse(await api.GetStringAsync("/api/v1/dashboards")).RootElement.GetProperty("widgets").EnumerateArray()
            .Select(w => w.GetProperty("report").GetString() + ":" + (w.TryGetProperty("groupBy", out var g) ? g.GetString() : null)).ToArray();
        Assert.Equal(["forecast:", "pipeline-funnel:", "win-rate:", "revenue:month", "revenue:category", "revenue:product"], stored);

        await BrowserFixture.Step(page, "dashboard-reload", async () =>
        {
            await page.ReloadAsync();
            await BrowserFixture.Interactive(page);
            await Expect(page.GetByTestId("dashboard-widget")).ToHaveCountAsync(6);
            Assert.Equal(["forecast:", "pipeline-funnel:", "win-rate:", "revenue:month", "revenue:category", "revenue:product"], await ArrangementAsync(page));
            await Expect(Widget(page, "activity")).ToHaveCountAsync(0);

            // The CSV comes with the sign-in cookie, for the period on the page, headed by the column labels.
            var byProduct = Widget(page, "revenue", "product");
            await Expect(byProduct).ToHaveAttributeAsync("data-state", "ready", new() { Timeout = 20000 });
            var download = await page.RunAndWaitForDownloadAsync(() => byProduct.GetByTestId("dashboard-download-csv").ClickAsync());
            Assert.StartsWith("motiv-revenue-", download.SuggestedFilename);
            Assert.EndsWith(".csv", download.SuggestedFilename);
            var lines = await File.ReadAllLinesAsync(await download.PathAsync());
            Assert.Equal("Product,Orders,Revenue (net)", lines[0]);
            Assert.Contains(lines, l => l.StartsWith(product + ",1,", StringComparison.Ordinal));
        });
    }
}
