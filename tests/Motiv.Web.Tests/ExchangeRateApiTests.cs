namespace Motiv.Web.Tests;

public sealed class ExchangeRateApiTests(ApiWorld worlds) : IClassFixture<ApiWorld>
{
    [Theory, MemberData(nameof(ApiWorld.Databases), MemberType = typeof(ApiWorld))]
    public async Task Amounts_convert_at_the_latest_rate_on_or_before_the_date_and_without_one_are_refused(string db)
    {
        var w = await worlds.GetAsync(db);
        var admin = w.Client(w.Admin);
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync("/api/v1/exchange-rates", Api.Json(new { currency = "usd", date = "2026-01-02", rate = 0.95m }))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync("/api/v1/exchange-rates", Api.Json(new { currency = "USD", date = "2026-02-02", rate = 0.90m }))).StatusCode);

        var converted = await (await w.Client(w.SalesA).GetAsync("/api/v1/exchange-rates/convert?amount=100&currency=USD&date=2026-01-31")).ReadJsonAsync();
        Assert.Equal(95.00m, converted.GetProperty("base").GetProperty("amount").GetDecimal());
        Assert.Equal("EUR", converted.GetProperty("base").GetProperty("currency").GetString());
        Assert.Equal("2026-01-02", converted.GetProperty("rateDate").GetString());
        var later = await (await w.Client(w.SalesA).GetAsync("/api/v1/exchange-rates/convert?amount=100&currency=USD&date=2026-06-01")).ReadJsonAsync();
        Assert.Equal(90.00m, later.GetProperty("base").GetProperty("amount").GetDecimal());

        var missing = await w.Client(w.SalesA).GetAsync("/api/v1/exchange-rates/convert?amount=100&currency=USD&date=2025-12-31");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, missing.StatusCode);
        Assert.Contains("USD", (await missing.ReadJsonAsync()).GetProperty("errors").GetProperty("currency")[0].GetString());

        var before = await w.Factory.FingerprintAsync();
        Assert.Equal(HttpStatusCode.Forbidden, (await w.Client(w.Manager).PostAsync("/api/v1/exchange-rates", Api.Json(new { currency = "USD", date = "2026-03-01", rate = 2m }))).StatusCode);
        var bad = await admin.PostAsync("/api/v1/exchange-rates", Api.Json(new { currency = "EURO", rate = -1m }));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.StatusCode);
        var errors = (await bad.ReadJsonAsync()).GetProperty("errors");
        foreach (var field in new[] { "currency", "date", "rate" }) Assert.True(errors.TryGetProperty(field, out _), field);
        Assert.Equal(before, await w.Factory.FingerprintAsync());
        await using var sys = w.Factory.SystemDb();
        Assert.Equal(2, sys.ExchangeRates.Count(r => r.Currency == "USD"));
    }

    [Theory, MemberData(nameof(ApiWorld.Databases), MemberType = typeof(ApiWorld))]
    public async Task Rates_import_from_csv_all_or_nothing(string db)
    {
        var w = await worlds.GetAsync(db);
        var admin = w.Client(w.Admin);
        static StringContent Csv(string text) => new(text, System.Text.Encoding.UTF8, "text/csv");

        var before = await w.Factory.FingerprintAsync();
        var bad = await admin.PostAsync("/api/v1/exchange-rates/import", Csv("currency,date,rate\nCHF,2026-03-01,1.05\nCHF,01.04.2026,1.06\nXXX,2026-05-01,1\n"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.StatusCode);
        var errors = (await bad.ReadJsonAsync()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("line 3", out _) && errors.TryGetProperty("line 4", out _));
        Assert.False(errors.TryGetProperty("line 2", out _));
        Assert.Equal(HttpStatusCode.Forbidden, (await w.Client(w.SalesA).PostAsync("/api/v1/exchange-rates/import", Csv("CHF,2026-03-01,1.05"))).StatusCode);
        Assert.Equal(before, await w.Factory.FingerprintAsync());

        // Semicolons with a decimal comma, as a German spreadsheet writes them; a repeated day replaces the earlier rate.
        var ok = await (await admin.PostAsync("/api/v1/exchange-rates/import", Csv("CHF;2026-03-01;1,05\nCHF;2026-04-01;1,06\nCHF;2026-04-01;1,07\n"))).ReadJsonAsync();
        Assert.Equal(2, ok.GetProperty("imported").GetInt32());
        var converted = await (await admin.GetAsync("/api/v1/exchange-rates/convert?amount=100&currency=CHF&date=2026-04-15")).ReadJsonAsync();
        Assert.Equal(107.00m, converted.GetProperty("base").GetProperty("amount").GetDecimal());
    }
}
