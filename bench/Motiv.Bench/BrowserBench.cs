using System.Diagnostics;
using Microsoft.Playwright;

namespace Motiv.Bench;

/// <summary>
/// The people list page in Debian's Chromium (driven by Playwright), signed in as the first sales user: from asking for
/// the page to its first page of people shown, again and again. The baseline is the sign-in page (static, no data) in
/// the same browser, the least a page costs here.
/// </summary>
public static class BrowserBench
{
    public const string ChromiumPath = "/usr/bin/chromium";

    public sealed record Result(double[] List, double[] SignIn, int Rows);

    /// <summary>Null when Chromium is not installed.</summary>
    public static async Task<Result?> ListPageAsync(string address, string email, string password, int seconds)
    {
        if (!File.Exists(ChromiumPath)) return null;
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath, Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"],
        });
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = address, Locale = "de-DE" });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(60_000);
        // The browser's own account of a failure (console errors, uncaught script errors, a closed circuit), kept for the message.
        var console = new System.Collections.Concurrent.ConcurrentQueue<string>();
        page.Console += (_, m) => { if (m.Type is "error" or "warning") console.Enqueue($"{m.Type}: {m.Text}"); };
        page.PageError += (_, e) => console.Enqueue($"page error: {e}");

        var signIn = await RepeatAsync(seconds / 2, async () =>
        {
            await page.GotoAsync("/login");
            await page.Locator("#email").WaitForAsync();
        });
        await page.Locator("#email").FillAsync(email);
        await page.Locator("#password").FillAsync(password);
        await page.Locator("button[type=submit]").ClickAsync();
        await page.GetByTestId("interactive").WaitForAsync(new() { State = WaitForSelectorState.Attached });

        var firstRow = page.Locator("[data-testid=people] tbody tr a[href^='/people/']").First;
        double[] list;
        try
        {
            list = await RepeatAsync(seconds, async () =>
            {
                await page.GotoAsync("/people");
                await firstRow.WaitForAsync();
            });
        }
        catch (TimeoutException)
        {
            // What the browser showed instead, for whoever looks into it; the run goes on with the other benchmarks.
            var screenshot = Path.Combine(Path.GetTempPath(), "motiv-bench-people-page.png");
            await page.ScreenshotAsync(new() { Path = screenshot, FullPage = true });
            throw new TimeoutException($"the first row did not show within 60 s (screenshot: {screenshot}; the browser said: {string.Join(" / ", console.TakeLast(5))})");
        }
        var rows = await page.Locator("[data-testid=people] tbody tr").CountAsync();
        return new Result(list, signIn, rows);
    }

    /// <summary>Runs <paramref name="step"/> three times to warm up, then for about <paramref name="seconds"/> (at least five times); sorted milliseconds.</summary>
    private static async Task<double[]> RepeatAsync(int seconds, Func<Task> step)
    {
        for (var i = 0; i < 3; i++) await step();
        var times = new List<double>();
        var total = Stopwatch.StartNew();
        while (times.Count < 5 || total.Elapsed.TotalSeconds < seconds)
        {
            var clock = Stopwatch.StartNew();
            await step();
            times.Add(clock.Elapsed.TotalMilliseconds);
        }
        return [.. times.Order()];
    }
}
