namespace Motiv.Web.Tests;

public sealed class ViewApiTests(ApiWorld worlds) : IClassFixture<ApiWorld>
{
    [Theory, MemberData(nameof(ApiWorld.Databases), MemberType = typeof(ApiWorld))]
    public async Task Views_are_private_or_shared_and_only_their_owner_changes_them(string db)
    {
        var w = await worlds.GetAsync(db);
        var mine = await w.Client(w.SalesA).PostAsync("/api/v1/views", Api.Json(new
        {
            recordType = "organization", name = "Meine Partner in Hamburg",
            filters = new Dictionary<string, string> { ["role"] = "partner", ["city"] = "Hamburg" }, sort = "-updatedAt", columns = new[] { "name", "city" },
        }));
        Assert.Equal(HttpStatusCode.Created, mine.StatusCode);
        var view = await mine.ReadJsonAsync();
        var id = view.GetProperty("id").GetGuid();
        Assert.Equal("partner", view.GetProperty("filters").GetProperty("role").GetString());
        Assert.Equal("-updatedAt", view.GetProperty("sort").GetString());

        bool Lists(JsonElement list) => list.GetProperty("items").EnumerateArray().Any(v => v.GetProperty("id").GetGuid() == id);
        Assert.True(Lists(await (await w.Client(w.SalesA).GetAsync("/api/v1/views?recordType=organization")).ReadJsonAsync()));
        Assert.False(Lists(await (await w.Client(w.SalesB).GetAsync("/api/v1/views?recordType=organization")).ReadJsonAsync()));
        Assert.Equal(HttpStatusCode.NotFound, (await w.Client(w.SalesB).DeleteAsync($"/api/v1/views/{id}", (string?)null)).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await w.Client(w.SalesA).PatchAsync($"/api/v1/views/{id}", new { shared = true }, null)).StatusCode);
        Assert.True(Lists(await (await w.Client(w.SalesB).GetAsync("/api/v1/views")).ReadJsonAsync()));
        var before = await w.Factory.FingerprintAsync();
        Assert.Equal(HttpStatusCode.Forbidden, (await w.Client(w.SalesB).PatchAsync($"/api/v1/views/{id}", new { name = "Gekapert" }, null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await w.Client(w.SalesB).DeleteAsync($"/api/v1/views/{id}", (string?)null)).StatusCode);
        await using (var sys = w.Factory.SystemDb()) Assert.Equal("Meine Partner in Hamburg", sys.SavedViews.Single(v => v.Id == id).Name);
        Assert.Equal(before, await w.Factory.FingerprintAsync());

        var bad = await w.Client(w.SalesA).PostAsync("/api/v1/views", Api.Json(new
        {
            recordType = "organization", name = "", filters = new Dictionary<string, string> { ["passwordHash"] = "x" }, sort = "secret", columns = new[] { "salary" },
        }));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.StatusCode);
        var errors = (await bad.ReadJsonAsync()).GetProperty("errors");
        foreach (var field in new[] { "name", "filters.passwordHash", "sort", "columns" }) Assert.True(errors.TryGetProperty(field, out _), field);

        Assert.Equal(HttpStatusCode.NoContent, (await w.Client(w.SalesA).DeleteAsync($"/api/v1/views/{id}", (string?)null)).StatusCode);
    }
}
