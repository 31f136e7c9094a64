using System.Net;
using System.Text;
using System.Text.Json;

using static Motiv.E2E.Tests.Journey;

namespace Motiv.E2E.Tests;

/// <summary>Duplicates in a real Chromium: two people with the same e-mail address found by the scan, compared field by field and merged into one.</summary>
public sealed class DuplicateJourneyTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Find_two_people_with_the_same_address_and_merge_them_keeping_the_other_spelling_of_the_last_name()
    {
        await browser.StartAsync();
        using var api = await browser.ApiClientAsync(BrowserFixture.SalesEmail);
        var suffix = Guid.CreateVersion7().ToString("N")[^6..];
        var shared = $"doris.{suffix}@dublette.example";
        var extra = $"d.meyer.{suffix}@privat.example";
        async Task<Guid> CreateAsync(object person)
        {
            var response = await api.PostAsync("/api/v1/people", Json(person));
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, text);
            return JsonDocument.Parse(text).RootElement.GetProperty("id").GetGuid();
        }
        // The same person twice: the same address, the last name spelt differently, a birthday typed wrong once.
        var meier = await CreateAsync(new
        {
            firstName = "Doris", lastName = $"Meier{suffix}", birthday = "1980-05-14", visibility = "everyone", emails = new[] { new { address = shared } },
        });
        var meyer = await CreateAsync(new
        {
            firstName = "Doris", lastName = $"Meyer{suffix}", birthday = "1980-05-15", visibility = "everyone",
            emails = new[] { new { address = shared }, new { address = extra } },
        });
        var lastNames = new Dictionary<Guid, string> { [meier] = $"Meier{suffix}", [meyer] = $"Meyer{suffix}" };
        var birthdays = new Dictionary<Guid, string> { [meier] = "1980-05-14", [meyer] = "1980-05-15" };

        var page = await browser.SignInAsync(BrowserFixture.SalesEmail);
        await BrowserFixture.Step(page, "duplicate-banner", async () =>
        {
            // The person's page says that there is probably a second record.
            await page.GotoAsync($"/people/{meier}");
            await BrowserFixture.Interactive(page);
            var item = page.GetByTestId("duplicate-banner").Locator($"[data-testid=duplicate-banner-item][data-other-id='{meyer}']");
            await Expect(item).ToContainTextAsync($"Meyer{suffix}");
            await Expect(item.GetByTestId("duplicate-compare")).ToBeVisibleAsync();
        });

        Guid survivor = default, merged = default;
        await BrowserFixture.Step(page, "duplicate-scan", async () =>
        {
            await page.GotoAsync("/duplicates");
            await BrowserFixture.Interactive(page);
            var pair = page.GetByTestId("duplicate-pair").Filter(new() { HasText = $"Meier{suffix}" });
            await Expect(pair).ToHaveCountAsync(1, new() { Timeout = 20000 });
            await Expect(pair).ToContainTextAsync($"Meyer{suffix}");
            await Expect(pair.GetByTestId("duplicate-reasons")).ToContainTextAsync("Same e-mail address");
            survivor = Guid.Parse(await pair.GetAttributeAsync("data-first-id") ?? "");
            merged = Guid.Parse(await pair.GetAttributeAsync("data-second-id") ?? "");
            Assert.Contains(survivor, lastNames.Keys);
            Assert.Contains(merged, lastNames.Keys);
            Assert.NotEqual(survivor, merged);
            await pair.GetByTestId("duplicate-merge").ClickAsync();
            await page.WaitForURLAsync($"**/merge/people/{survivor}/{merged}");
        });

        await BrowserFixture.Step(page, "merge", async () =>
        {
            // The first record stays unless the user says otherwise.
            await Expect(page.GetByTestId("merge-fields")).ToHaveAttributeAsync("data-survivor", "first");
            await Expect(page.Locator("[data-testid=merge-record][data-record=first]").GetByTestId("merge-stays")).ToBeVisibleAsync();
            // Last name and birthday differ, so the user chooses; the first name is the same in both.
            var lastName = page.Locator("[data-testid=merge-field][data-field=lastName]");
            await Expect(lastName).ToHaveAttributeAsync("data-choice", "true");
            await Expect(lastName).ToHaveAttributeAsync("data-kept", "first");
            await Expect(page.Locator("[data-testid=merge-field][data-field=birthday]")).ToHaveAttributeAsync("data-choice", "true");
            await Expect(page.Locator("[data-testid=merge-field][data-field=firstName]")).ToHaveAttributeAsync("data-choice", "false");

            await BrowserFixture.CheckAsync(lastName.Locator("[data-testid=merge-keep][data-record=second]"));
            await Expect(lastName).ToHaveAttributeAsync("data-kept", "second");
            await Expect(page.Locator("[data-testid=merge-field][data-field=birthday]")).ToHaveAttributeAsync("data-kept", "first");

            var confirm = page.Locator(".mud-dialog").GetByRole(AriaRole.Button, new() { Name = "Merge", Exact = true });
            // On a busy machine a click on the confirmation can miss the circuit; like a person who sees nothing happen, the journey asks again.
            for (var attempt = 1; ; attempt++)
            {
                if (!await confirm.First.IsVisibleAsync()) await BrowserFixture.ClickUntilAsync(page.GetByTestId("merge-run"), confirm);
                await confirm.First.ClickAsync();
                try
                {
                    // The survivor's page, with the chosen last name and the e-mail addresses of both.
                    await page.WaitForURLAsync($"**/people/{survivor}", new() { Timeout = 15000 });
                    break;
                }
                catch (TimeoutException) when (attempt < 3)
                {
                    // Still on the merge page: the merge did not start. Elsewhere (an error, a slow merge) the next wait tells.
                    if (!await page.GetByTestId("merge-run").IsVisibleAsync()) await page.WaitForURLAsync($"**/people/{survivor}", new() { Timeout = 15000 });
                    if (!await page.GetByTestId("merge-run").IsVisibleAsync()) break;
                }
            }
            await Expect(page.GetByTestId("record-title")).ToHaveTextAsync($"Doris {lastNames[merged]}");
            await Expect(page.Locator($"a[href='mailto:{shared}']")).ToHaveCountAsync(1);
            await Expect(page.Locator($"a[href='mailto:{extra}']")).ToHaveCountAsync(1);
            await Expect(page.GetByTestId("duplicate-banner")).ToHaveCountAsync(0);
        });

        // The other record is in the recycle bin: gone for the API; the survivor kept its own birthday.
        var gone = await api.GetAsync($"/api/v1/people/{merged}");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        var kept = JsonDocument.Parse(await api.GetStringAsync($"/api/v1/people/{survivor}")).RootElement;
        Assert.Equal(lastNames[merged], kept.GetProperty("lastName").GetString());
        Assert.Equal(birthdays[survivor], kept.GetProperty("birthday").GetString());
        Assert.Equal(2, kept.GetProperty("emails").GetArrayLength());
    }
}
