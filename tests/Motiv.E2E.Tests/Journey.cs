using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Motiv.E2E.Tests;

/// <summary>What the journeys share: JSON for the API clients that prepare data, and picking an item of an open MudBlazor list.</summary>
internal static class Journey
{
    public static StringContent Json(object body) => new(JsonSerializer.Serialize(body, JsonSerializerOptions.Web), Encoding.UTF8, "application/json");

    /// <summary>POSTs JSON and returns the answer; a refusal fails the journey with the server's message.</summary>
    public static async Task<JsonElement> PostAsync(HttpClient client, string url, object body)
    {
        var response = await client.PostAsync(url, Json(body));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return JsonDocument.Parse(text).RootElement;
    }

    /// <summary>An item of the open select list whose whole text is <paramref name="text"/> ("Tag", not "Categories bought").</summary>
    public static ILocator Item(IPage page, string text) =>
        page.Locator(".mud-popover-open .mud-list-item").Filter(new() { HasTextRegex = new Regex($"^\\s*{Regex.Escape(text)}\\s*$") });
}
