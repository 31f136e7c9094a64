using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;

namespace Motiv.Web.Tests;

/// <summary>Small helpers for calling the API the way a client would.</summary>
public static partial class Api
{
    /// <summary>The antiforgery token of a rendered form (sign-in, setup), for posting it as a browser does.</summary>
    public static string AntiforgeryToken(string html) => AntiforgeryField().Match(html).Groups[1].Value;

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();

    public static StringContent Json(object body) => new(JsonSerializer.Serialize(body, JsonSerializerOptions.Web), Encoding.UTF8, "application/json");

    public static async Task<JsonElement> ReadJsonAsync(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return string.IsNullOrEmpty(text) ? default : JsonDocument.Parse(text).RootElement;
    }

    public static Task<HttpResponseMessage> PatchAsync(this HttpClient client, string url, object body, string? etag)
    {
        var request = new HttpRequestMessage(HttpMethod.Patch, url) { Content = Json(body) };
        if (etag is not null) request.Headers.IfMatch.Add(EntityTagHeaderValue.Parse(etag));
        return client.SendAsync(request);
    }

    public static Task<HttpResponseMessage> DeleteAsync(this HttpClient client, string url, string? etag)
    {
        var request = new HttpRequestMessage(HttpMethod.Delete, url);
        if (etag is not null) request.Headers.IfMatch.Add(EntityTagHeaderValue.Parse(etag));
        return client.SendAsync(request);
    }

    /// <summary>Creates an organisation as <paramref name="client"/>'s user and returns its id and ETag.</summary>
    public static async Task<(Guid Id, string ETag)> CreateOrganizationAsync(this HttpClient client, object body)
    {
        var response = await client.PostAsync("/api/v1/organizations", Json(body));
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var json = await response.ReadJsonAsync();
        return (json.GetProperty("id").GetGuid(), response.Headers.ETag!.Tag);
    }

    /// <summary>The response's JSON after asserting its status (with the body in the failure message).</summary>
    public static async Task<JsonElement> OkJsonAsync(HttpResponseMessage response, HttpStatusCode expected = HttpStatusCode.OK)
    {
        Assert.True(expected == response.StatusCode, $"{response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return await response.ReadJsonAsync();
    }

    public static string Unique(string prefix) => $"{prefix} {Guid.CreateVersion7().ToString("N")[^10..]}";
}
