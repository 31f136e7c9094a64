using System.Text;
using System.Text.Json;

namespace Motiv.E2E.Tests;

/// <summary>An import in a real Chromium: upload a file, see its columns mapped, import it, read and download its bad rows, undo it.</summary>
public sealed class ImportJourneyTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Upload_a_people_file_import_it_download_the_bad_rows_and_undo_it()
    {
        await browser.StartAsync();
        using var api = await browser.ApiClientAsync(BrowserFixture.SalesEmail);
        var suffix = Guid.CreateVersion7().ToString("N")[^6..];
        var surname = $"Importiert{suffix}";
        var folder = Path.Combine(Path.GetTempPath(), "motiv-tests", "import-journey", Guid.CreateVersion7().ToString("N"));
        Directory.CreateDirectory(folder);
        var file = Path.Combine(folder, $"kontakte-{suffix}.csv");
        // What German Excel writes: semicolons. Row 5 (the header is row 1) has no valid e-mail address.
        await File.WriteAllTextAsync(file, string.Join("\r\n",
            "Vorname;Nachname;E-Mail",
            $"Anna;{surname};anna.{suffix}@import.example",
            $"Bernd;{surname};bernd.{suffix}@import.example",
            $"Clara;{surname};clara.{suffix}@import.example",
            $"Dora;{surname};kein-mail") + "\r\n", new UTF8Encoding(false));
        async Task<int> CountAsync() =>
            JsonDocument.Parse(await api.GetStringAsync($"/api/v1/people?q={surname}&limit=50")).RootElement.GetProperty("items").GetArrayLength();

        var page = await browser.SignInAsync(BrowserFixture.SalesEmail);
        try
        {
            await BrowserFixture.Step(page, "import", async () =>
            {
                await page.GotoAsync("/imports");
                await BrowserFixture.Interactive(page);
                var people = page.Locator(".mud-popover-open .mud-list-item", new() { HasText = "People" });
                await BrowserFixture.ClickUntilAsync(page.GetByTestId("import-entity"), people);
                await people.ClickAsync();
                await Expect(page.GetByTestId("import-entity")).ToHaveValueAsync("People");
                await page.GetByTestId("import-file").SetInputFilesAsync(file);

                // The columns are mapped from their German names, and the file's first values show next to them.
                var email = page.Locator("[data-testid=mapping-row][data-header='E-Mail']");
                await Expect(email).ToHaveAttributeAsync("data-field", "email", new() { Timeout = 20000 });
                await Expect(email.GetByTestId("mapping-field")).ToHaveValueAsync("E-mail");
                await Expect(email).ToContainTextAsync($"anna.{suffix}@import.example");
                await Expect(page.Locator("[data-testid=mapping-row][data-header='Nachname']")).ToHaveAttributeAsync("data-field", "lastName");

                await page.GetByTestId("import-run").ClickAsync();
                var status = page.GetByTestId("import-status");
                await Expect(status).ToHaveAttributeAsync("data-status", "Completed", new() { Timeout = 30000 });
                await Expect(status).ToHaveTextAsync("Completed");
                await Expect(page.GetByTestId("import-count-created")).ToHaveTextAsync("3");
                await Expect(page.GetByTestId("import-count-failed")).ToHaveTextAsync("1");
                Assert.Equal(3, await CountAsync());

                // The bad row, by its number in the file, says which column is wrong.
                await Expect(page.GetByTestId("import-error-row")).ToHaveCountAsync(1);
                var bad = page.Locator("[data-testid=import-error-row][data-row='5']");
                await Expect(bad.GetByTestId("import-error-rownum")).ToHaveTextAsync("5");
                await Expect(bad.GetByTestId("import-error-messages")).ToContainTextAsync("E-Mail");
                await Expect(bad).ToContainTextAsync("kein-mail");

                // The error report comes with the sign-in cookie, as a download.
                var download = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("import-error-report").ClickAsync());
                var report = await File.ReadAllTextAsync(await download.PathAsync());
                Assert.Contains("kein-mail", report);
                Assert.Contains("E-Mail", report);
                Assert.DoesNotContain($"anna.{suffix}@import.example", report);

                // On a busy machine a click on the confirmation can miss the circuit; like a person who sees nothing happen, the journey asks again.
                var confirm = page.Locator(".mud-dialog").GetByRole(AriaRole.Button, new() { Name = "Undo import" });
                for (var attempt = 1; ; attempt++)
                {
                    if (!await confirm.First.IsVisibleAsync()) await BrowserFixture.ClickUntilAsync(page.GetByTestId("import-undo"), confirm);
                    await confirm.First.ClickAsync();
                    try
                    {
                        await Expect(status).Not.ToHaveAttributeAsync("data-status", "Completed", new() { Timeout = 10000 });
                        break;
                    }
                    catch (PlaywrightException) when (attempt < 3)
                    {
                    }
                }
                await Expect(status).ToHaveAttributeAsync("data-status", "Undone", new() { Timeout = 30000 });
                await Expect(status).ToHaveTextAsync("Undone");
            });
            Assert.Equal(0, await CountAsync());
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
