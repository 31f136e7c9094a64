namespace Motiv.Web.Tests;

public sealed class CustomFieldApiTests(ApiWorld worlds) : IClassFixture<ApiWorld>
{
    private static async Task<string> DefineAsync(World w, string recordType, string type, object? options = null, bool required = false)
    {
        var key = type.ToLowerInvariant() + Guid.CreateVersion7().ToString("N")[^6..];
        var response = await w.Client(w.Admin).PostAsync("/api/v1/custom-fields", Api.Json(new
        {
            recordType, key, labelEn = "Field " + type, labelDe = "Feld " + type, type, options, required,
        }));
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return key;
    }

    [Theory, MemberData(nameof(ApiWorld.Databases), MemberType = typeof(ApiWorld))]
    public async Task Every_field_type_is_stored_checked_shown_audited_and_filterable(string db)
    {
        var w = await worlds.GetAsync(db);
        var text = await DefineAsync(w, "organization", "text");
        var number = await DefineAsync(w, "organization", "number");
        var date = await DefineAsync(w, "organization", "date");
        var yesNo = await DefineAsync(w, "organization", "yesNo");
        var choice = await DefineAsync(w, "organization", "choice", new[] { "A", "B", "C" });
        var multi = await DefineAsync(w, "organization", "multiChoice", new[] { "Web", "Messe", "Empfehlung" });
        var money = await DefineAsync(w, "organization", "money");
        var url = await DefineAsync(w, "organization", "url");
        var client = w.Client(w.SalesA);

        var values = new Dictionary<string, object>
        {
            [text] = "Kühlhaus", [number] = 250, [date] = "2024-03-01", [yesNo] = true, [choice] = "B",
            [multi] = new[] { "Messe", "Web" }, [money] = new { amount = 1234.5m, currency = "eur" }, [url] = "shop.example.de",
        };
        var (id, etag) = await client.CreateOrganizationAsync(new { name = Api.Unique("Feldtest GmbH"), customFields = values });
        var org = await (await client.GetAsync($"/api/v1/organizations/{id}")).ReadJsonAsync();
        var cf = org.GetProperty("customFields");
        Assert.Equal("Kühlhaus", cf.GetProperty(text).GetString());
        Assert.Equal(250m, cf.GetProperty(number).GetDecimal());
        Assert.Equal("2024-03-01", cf.GetProperty(date).GetString());
        Assert.True(cf.GetProperty(yesNo).GetBoolean());
        Assert.Equal("B", cf.GetProperty(choice).GetString());
        Assert.Equal(["Messe", "Web"], cf.GetProperty(multi).EnumerateArray().Select(e => e.GetString()).ToArray());
        Assert.Equal(1234.5m, cf.GetProperty(money).GetProperty("amount").GetDecimal());
        Assert.Equal("EUR", cf.GetProperty(money).GetProperty("currency").GetString());
        Assert.Equal("https://shop.example.de", cf.GetProperty(url).GetString());

        foreach (var (filter, matches) in new[]
        {
            ($"cf.{text}=kühl", true), ($"cf.{number}=200..300", true), ($"cf.{number}=251..", false), ($"cf.{date}=2024-01-01..2024-12-31", true),
            ($"cf.{yesNo}=true", true), ($"cf.{yesNo}=false", false), ($"cf.{choice}=B", true), ($"cf.{choice}=A", false), ($"cf.{multi}=Web", true),
            ($"cf.{money}=1000..2000", true),
        })
        {
            var list = await (await client.GetAsync($"/api/v1/organizations?{filter}")).ReadJsonAsync();
            Assert.True(matches == list.GetProperty("items").EnumerateArray().Any(i => i.GetProperty("id").GetGuid() == id), filter);
        }
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/api/v1/organizations?cf.nosuchfield=1")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync($"/api/v1/organizations?cf.{number}=viele")).StatusCode);

        // A merge patch changes one value and leaves the others; the history names the field.
        var patched = await client.PatchAsync($"/api/v1/organizations/{id}", new { customFields = new Dictionary<string, object?> { [number] = 300, [choice] = null } }, etag);
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        var after = (await patched.ReadJsonAsync()).GetProperty("customFields");
        Assert.Equal(300m, after.GetProperty(number).GetDecimal());
        Assert.False(after.TryGetProperty(choice, out _));
        Assert.Equal("Kühlhaus", after.GetProperty(text).GetString());
        var history = (await (await client.GetAsync($"/api/v1/organizations/{id}/history")).ReadJsonAsync()).GetProperty("items")[0];
        var changes = history.GetProperty("changes").EnumerateArray().ToDictionary(c => c.GetProperty("field").GetString()!);
        Assert.Equal(250m, decimal.Parse(changes[$"customFields.{number}"].GetProperty("old").GetString()!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(300m, decimal.Parse(changes[$"customFields.{number}"].GetProperty("new").GetString()!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(changes.ContainsKey($"customFields.{choice}"));
    }

    [Theory, MemberData(nameof(ApiWorld.Databases), MemberType = typeof(ApiWorld))]
    public async Task Wrong_values_required_fields_and_unknown_keys_are_refused_by_field(string db)
    {
        var w = await worlds.GetAsync(db);
        var number = await DefineAsync(w, "person", "number");
        var choice = await DefineAsync(w, "person", "choice", new[] { "Gold", "Silber" });
        var required = await DefineAsync(w, "person", "text", required: true);
        var before = await w.Factory.FingerprintAsync();
        var response = await w.Client(w.SalesA).PostAsync("/api/v1/people", Api.Json(new
        {
            firstName = "Falsch", lastName = "Werte",
            customFields = new Dictionary<string, object> { [number] = "viele", [choice] = "Bronze", ["gibtsnicht"] = 1 },
        }));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var errors = (await response.ReadJsonAsync()).GetProperty("errors");
        foreach (var field in new[] { number, choice, "gibtsnicht", required })
            Assert.True(errors.TryGetProperty("customFields." + field, out _), field);
        Assert.Equal(before, await w.Factory.FingerprintAsync());

        // Retired, the required field no longer blocks anyone.
        var fields = await (await w.Client(w.Admin).GetAsync("/api/v1/custom-fields?recordType=person")).ReadJsonAsync();
        foreach (var f in fields.GetProperty("items").EnumerateArray().Where(f => f.GetProperty("required").GetBoolean()))
            Assert.Equal(HttpStatusCode.NoContent, (await w.Client(w.Admin).DeleteAsync($"/api/v1/custom-fields/{f.GetProperty("id").GetGuid()}", (string?)null)).StatusCode);
        var ok = await w.Client(w.SalesA).PostAsync("/api/v1/people", Api.Json(new { firstName = "Jetzt", lastName = "Geht's" }));
        Assert.Equal(HttpStatusCode.Created, ok.StatusCode);
    }

    [Theory, MemberData(nameof(ApiWorld.Databases), MemberType = typeof(ApiWorld))]
    public async Task Only_administrators_define_fields_and_keys_and_types_stay_fixed(string db)
    {
        var w = await worlds.GetAsync(db);
        var before = await w.Factory.FingerprintAsync();
        var refused = await w.Client(w.Manager).PostAsync("/api/v1/custom-fields", Api.Json(new { recordType = "organization", key = "sneaky", labelEn = "S", labelDe = "S", type = "text" }));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        await using (var sys = w.Factory.SystemDb()) Assert.False(sys.CustomFieldDefinitions.Any(f => f.Key == "sneaky"));
        Assert.Equal(before, await w.Factory.FingerprintAsync());

        var bad = await w.Client(w.Admin).PostAsync("/api/v1/custom-fields", Api.Json(new { recordType = "invoice", key = "Bad Key", labelEn = "", labelDe = "X", type = "choice" }));
        var errors = (await bad.ReadJsonAsync()).GetProperty("errors");
        foreach (var field in new[] { "recordType", "key", "labelEn", "options" }) Assert.True(errors.TryGetProperty(field, out _), field);

        var key = await DefineAsync(w, "organization", "text");
        var list = await (await w.Client(w.SalesB).GetAsync("/api/v1/custom-fields?recordType=organization")).ReadJsonAsync();
        var id = list.GetProperty("items").EnumerateArray().Single(f => f.GetProperty("key").GetString() == key).GetProperty("id").GetGuid();
        var change = await w.Client(w.Admin).PatchAsync($"/api/v1/custom-fields/{id}", new { type = "number", labelDe = "Neu" }, null);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, change.StatusCode);
        Assert.True((await change.ReadJsonAsync()).GetProperty("errors").TryGetProperty("type", out _));
    }
}
