namespace Motiv.Web.Tests;

public sealed class ProductApiTests(ApiWorld worlds) : IClassFixture<ApiWorld>
{
    [Theory, MemberData(nameof(ApiWorld.Databases), MemberType = typeof(ApiWorld))]
    public async Task Products_are_records_with_german_and_english_names_a_vat_rate_and_a_unique_sku(string db)
    {
        var w = await worlds.GetAsync(db);
        var client = w.Client(w.SalesA);
        var sku = "SKU-" + Guid.CreateVersion7().ToString("N")[^8..].ToUpperInvariant();
        var created = await client.PostAsync("/api/v1/products", Api.Json(new
        {
            sku, nameDe = "Wartungsvertrag Kühlanlage", nameEn = "Cooling system maintenance", unit = "Jahr", vatRate = 19, category = "Service", visibility = "everyone",
        }));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var product = await created.ReadJsonAsync();
        var id = product.GetProperty("id").GetGuid();
        Assert.Equal(19m, product.GetProperty("vatRate").GetDecimal());
        Assert.True(product.GetProperty("isActive").GetBoolean());

        var patched = await client.PatchAsync($"/api/v1/products/{id}", new { vatRate = 7, isActive = false }, "\"1\"");
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        var history = (await (await client.GetAsync($"/api/v1/products/{id}/history")).ReadJsonAsync()).GetProperty("items")[0];
        Assert.Contains(history.GetProperty("changes").EnumerateArray(), c => c.GetProperty("field").GetString() == "vatRate");
        var inactive = await (await client.GetAsync($"/api/v1/products?active=false&q={sku}")).ReadJsonAsync();
        Assert.Equal(1, inactive.GetProperty("total").GetInt32());

        var before = await w.Factory.FingerprintAsync();
        var duplicate = await client.PostAsync("/api/v1/products", Api.Json(new { sku, nameDe = "X", nameEn = "X", unit = "Stück", vatRate = 19 }));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, duplicate.StatusCode);
        Assert.True((await duplicate.ReadJsonAsync()).GetProperty("errors").TryGetProperty("sku", out _));
        var bad = await client.PostAsync("/api/v1/products", Api.Json(new { sku = "", nameDe = "", unit = "", vatRate = 16 }));
        var errors = (await bad.ReadJsonAsync()).GetProperty("errors");
        foreach (var field in new[] { "sku", "nameDe", "nameEn", "unit", "vatRate" }) Assert.True(errors.TryGetProperty(field, out _), field);
        Assert.Contains("19 %", errors.GetProperty("vatRate")[0].GetString());
        Assert.Equal(HttpStatusCode.Forbidden, (await w.Client(w.ReadOnly).PatchAsync($"/api/v1/products/{id}", new { unit = "Monat" }, "\"2\"")).StatusCode);
        Assert.Equal(before, await w.Factory.FingerprintAsync());

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/v1/products/{id}", "\"2\"")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsync($"/api/v1/recycle-bin/products/{id}/restore", null)).StatusCode);
    }
}
