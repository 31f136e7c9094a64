using System.Net.Http.Headers;
using UglyToad.PdfPig;
using static Motiv.Web.Tests.Api;

namespace Motiv.Web.Tests;

/// <summary>Leads, pipelines, deals, price lists, quotes, orders and the forecast through the API, on both databases.</summary>
public sealed class SalesApiTests(ApiWorld worlds) : IClassFixture<ApiWorld>
{
    private static async Task<JsonElement> DefaultPipelineAsync(HttpClient client) =>
        (await OkJsonAsync(await client.GetAsync("/api/v1/pipelines"))).GetProperty("items")[0];

    private static Guid StageId(JsonElement pipeline, string kindOrName) =>
        pipeline.GetProperty("stages").EnumerateArray().First(s => s.GetProperty("kind").GetString() == kindOrName || s.GetProperty("nameDe").GetString() == kindOrName).GetProperty("id").GetGuid();

    private static async Task<string> ProductAsync(HttpClient client, decimal vatRate = 19)
    {
        var product = await OkJsonAsync(await client.PostAsync("/api/v1/products", Api.Json(new
        {
            sku = Api.Unique("SKU").Replace(" ", "-"), nameDe = "Wartung Kühlanlage", nameEn = "Cooling maintenance", unit = "Jahr", vatRate, visibility = "everyone",
        })), HttpStatusCode.Created);
        return product.GetProperty("id").GetString()!;
    }

    [Theory, MemberData(nameof(ApiWorld.Databases), MemberType = typeof(ApiWorld))]
    public async Task A_deal_moves_through_stages_with_history_and_the_board_sums_in_the_base_currency(string db)
    {
        var w = await worlds.GetAsync(db);
        var client = w.Client(w.SalesA);
        var pipeline = await DefaultPipelineAsync(client);
        var pipelineId = pipeline.GetProperty("id").GetGuid();
        var tag = Api.Unique("board").Replace(" ", "-");
        var (orgId, _) = await client.CreateOrganizationAsync(new { name = Api.Unique("Board GmbH") });
        var created = await OkJsonAsync(await client.PostAsync("/api/v1/deals", Api.Json(new
        {
            title = "Kühlanlage Halle 3", organizationId = orgId, amount = 10_000, pipelineId, expectedCloseDate = "2026-12-15", tags = new[] { tag },
        })), HttpStatusCode.Created);
        var dealId = created.GetProperty("id").GetGuid();
        Assert.Equal(StageId(pipeline, "Qualifizierung"), created.GetProperty("stageId").GetGuid());
        Assert.Equal(10, created.GetProperty("effectiveProbability").GetInt32());
        Assert.Equal("open", created.GetProperty("status").GetString());

        var board = await OkJsonAsync(await client.GetAsync($"/api/v1/pipelines/{pipelineId}/board?tag={tag}"));
        var first = board.GetProperty("columns")[0];
        Assert.Equal(1, first.GetProperty("count").GetInt32());
        Assert.Equal(10_000m, first.GetProperty("sum").GetProperty("amount").GetDecimal());
        Assert.Equal(1_000m, first.GetProperty("weighted").GetProperty("amount").GetDecimal());

        // Moving a deal is a PATCH of its stage; the history records when it left one stage and entered the next.
        var proposal = StageId(pipeline, "Angebot");
        var moved = await OkJsonAsync(await client.PatchAsync($"/api/v1/deals/{dealId}", new { stageId = proposal }, "\"1\""));
        Assert.Equal(50, moved.GetProperty("effectiveProbability").GetInt32());
        var history = (await OkJsonAsync(await client.GetAsync($"/api/v1/deals/{dealId}/stage-history"))).GetProperty("items");
        Assert.Equal(2, history.GetArrayLength());
        Assert.Equal(StageId(pipeline, "Qualifizierung"), history[0].GetProperty("stageId").GetGuid());
        Assert.Equal(history[1].GetProperty("enteredAt").GetDateTimeOffset(), history[0].GetProperty("leftAt").GetDateTimeOffset());
        Assert.Equal(JsonValueKind.Null, history[1].GetProperty("leftAt").ValueKind);
        Assert.Equal(proposal, history[1].GetProperty("stageId").GetGuid());
        board = await OkJsonAsync(await client.GetAsync($"/api/v1/pipelines/{pipelineId}/board?tag={tag}"));
        var columns = board.GetProperty("columns").EnumerateArray().ToList();
        Assert.Equal(0, columns[0].GetProperty("count").GetInt32());
        var proposalColumn = columns.First(c => c.GetProperty("stage").GetProperty("id").GetGuid() == proposal);
        Assert.Equal(5_000m, proposalColumn.GetProperty("weighted").GetProperty("amount").GetDecimal());

        // A stage of another pipeline is refused by name, and nothing changes.
        var other = await OkJsonAsync(await w.Client(w.Admin).PostAsync("/api/v1/pipelines", Api.Json(new
        {
            nameDe = Api.Unique("Projektgeschäft"), nameEn = "Projects",
            stages = new object[] { new { nameDe = "Start", nameEn = "Start", probability = 20 }, new { nameDe = "Gewonnen", nameEn = "Won", kind = "won" }, new { nameDe = "Verloren", nameEn = "Lost", kind = "lost" } },
        })), HttpStatusCode.Created);
        var before = await w.Factory.FingerprintAsync();
        var wrong = await client.PatchAsync($"/api/v1/deals/{dealId}", new { stageId = StageId(other, "open") }, "\"2\"");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, wrong.StatusCode);
        var error = (await wrong.ReadJsonAsync()).GetProperty("errors").GetProperty("stageId")[0].GetString();
        Assert.Contains("another pipeline", error);
        var german = new HttpRequestMessage(HttpMethod.Patch, $"/api/v1/deals/{dealId}") { Content = Api.Json(new { stageId = StageId(other, "open") }) };
        german.Headers.IfMatch.Add(EntityTagHeaderValue.Parse("\"2\""));
        german.Headers.AcceptLanguage.Add(new StringWithQualityHeaderValue("de"));
        var germanError = await (await client.SendAsync(german)).ReadJsonAsync();
        Assert.Equal("Diese Phase gehört zu einer anderen Pipeline.", germanError.GetProperty("errors").GetProperty("stageId")[0].GetString());
        Assert.Equal(before, await w.Factory.FingerprintAsync());

        // The board's filters can be kept as a saved view of deals; a filter deals do not have is refused by name.
        await OkJsonAsync(await client.PostAsync("/api/v1/views", Api.Json(new { recordType = "deal", name = Api.Unique("Meine"), filters = new { pipelineId, tag, status = "open" } })), HttpStatusCode.Created);
        var badView = await client.PostAsync("/api/v1/views", Api.Json(new { recordType = "deal", name = Api.Unique("X"), filters = new { city = "Hamburg" } }));
        Assert.True((await badView.ReadJsonAsync()).GetProperty("errors").TryGetProperty("filters.city", out _));

        // Won: closed with a date, 100 %.
        var won = await OkJsonAsync(await client.PatchAsync($"/api/v1/deals/{dealId}", new { stageId = StageId(pipeline, "won") }, "\"2\""));
        Assert.Equal("won", won.GetProperty("status").GetString());
        Assert.Equal(w.Factory.Clock.GetUtcNow(), won.GetProperty("closedAt").GetDateTimeOffset());

        // A deal in US dollars needs a rate; with one, the board converts it and says at which day's rates.
        before = await w.Factory.FingerprintAsync();
        var noRate = await client.PostAsync("/api/v1/deals", Api.Json(new { title = "Export", amount = 1000, currency = "NZD", pipelineId }));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, noRate.StatusCode);
        Assert.Contains("NZD", (await noRate.ReadJsonAsync()).GetProperty("errors").GetProperty("currency")[0].GetString());
        var unknown = await client.PostAsync("/api/v1/deals", Api.Json(new { title = "Export", amount = 1000, currency = "XYZ", pipelineId }));
        Assert.True((await unknown.ReadJsonAsync()).GetProperty("errors").TryGetProperty("currency", out _));
        Assert.Equal(before, await w.Factory.FingerprintAsync());
        await OkJsonAsync(await w.Client(w.Admin).PostAsync("/api/v1/exchange-rates", Api.Json(new { currency = "NZD", date = "2026-11-01", rate = 0.5 })));
        await OkJsonAsync(await client.PostAsync("/api/v1/deals", Api.Json(new { title = "Export", amount = 1000, currency = "NZD", pipelineId, tags = new[] { tag } })), HttpStatusCode.Created);
        board = await OkJsonAsync(await client.GetAsync($"/api/v1/pipelines/{pipelineId}/board?tag={tag}"));
        Assert.Equal(500m, board.GetProperty("columns")[0].GetProperty("sum").GetProperty("amount").GetDecimal());
        Assert.Equal("EUR", board.GetProperty("baseCurrency").GetString());
    }

    [Theory, MemberData(nameof(ApiWorld.Databases), MemberType = typeof(ApiWorld))]
    public async Task A_qualified_lead_converts_in_one_step_after_showing_its_duplicates(string db)
    {
        var w = await worlds.GetAsync(db);
        var client = w.Client(w.SalesA);
        var company = Api.Unique("Kältetechnik Nord");
        var (existingOrg, _) = await client.CreateOrganizationAsync(new { name = company + " GmbH", vatId = "DE136695976" });
        var lead = await OkJsonAsync(await client.PostAsync("/api/v1/leads", Api.Json(new
        {
            firstName = "Jana", lastName = "Kühn", email = $"jana.{Guid.CreateVersion7():N}@kaelte.example", companyName = company, vatId = "DE 136 695 976",
            industry = "Maschinenbau", employees = 120, country = "DE", source = "referral", formSubmissions = 1,
        })), HttpStatusCode.Created);
        var leadId = lead.GetProperty("id").GetGuid();
        var search = (await OkJsonAsync(await client.GetAsync("/api/v1/search?q=" + Uri.EscapeDataString(lead.GetProperty("email").GetString()!)))).GetProperty("items");
        Assert.Equal("lead", Assert.Single(search.EnumerateArray()).GetProperty("type").GetString());
        // Scoring: fit and engagement rules, with the reasons.
        Assert.Equal(15 + 10 + 15 + 10 + 10, lead.GetProperty("score").GetInt32());
        Assert.Contains(lead.GetProperty("scoreReasons").EnumerateArray(), r => r.GetProperty("labelDe").GetString() == "Branche Maschinenbau");

        var before = await w.Factory.FingerprintAsync();
        var early = await client.PostAsync($"/api/v1/leads/{leadId}/convert", Api.Json(new { }));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, early.StatusCode);
        Assert.True((await early.ReadJsonAsync()).GetProperty("errors").TryGetProperty("status", out _));
        Assert.Equal(before, await w.Factory.FingerprintAsync());
        await OkJsonAsync(await client.PatchAsync($"/api/v1/leads/{leadId}", new { status = "qualified" }, "\"1\""));

        var duplicates = await OkJsonAsync(await client.GetAsync($"/api/v1/leads/{leadId}/duplicates"));
        var org = Assert.Single(duplicates.GetProperty("organizations").EnumerateArray());
        Assert.Equal(existingOrg, org.GetProperty("id").GetGuid());

        // A conversion that fails half-way (the deal's stage is unknown) stores nothing: no person, no employment.
        before = await w.Factory.FingerprintAsync();
        var failed = await client.PostAsync($"/api/v1/leads/{leadId}/convert", Api.Json(new
        {
            organizationId = existingOrg, deal = new { title = "Erstauftrag", amount = 5000, pipelineId = (await DefaultPipelineAsync(client)).GetProperty("id").GetGuid(), stageId = Guid.CreateVersion7() },
        }));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, failed.StatusCode);
        Assert.True((await failed.ReadJsonAsync()).GetProperty("errors").TryGetProperty("deal.stageId", out _));
        Assert.Equal(before, await w.Factory.FingerprintAsync());

        var result = await OkJsonAsync(await client.PostAsync($"/api/v1/leads/{leadId}/convert", Api.Json(new
        {
            organizationId = existingOrg, deal = new { title = "Erstauftrag", amount = 5000, pipelineId = (await DefaultPipelineAsync(client)).GetProperty("id").GetGuid() },
        })));
        Assert.Equal(existingOrg, result.GetProperty("organizationId").GetGuid());
        var person = await OkJsonAsync(await client.GetAsync($"/api/v1/people/{result.GetProperty("personId").GetGuid()}"));
        Assert.Equal("Kühn", person.GetProperty("lastName").GetString());
        Assert.Equal(existingOrg, person.GetProperty("employments")[0].GetProperty("organizationId").GetGuid());
        var deal = await OkJsonAsync(await client.GetAsync($"/api/v1/deals/{result.GetProperty("dealId").GetGuid()}"));
        Assert.Equal(leadId, deal.GetProperty("leadId").GetGuid());
        Assert.Equal("decisionMaker", deal.GetProperty("contacts")[0].GetProperty("role").GetString());
        var converted = await OkJsonAsync(await client.GetAsync($"/api/v1/leads/{leadId}"));
        Assert.Equal("converted", converted.GetProperty("status").GetString());

        // A second lead linked to the same company, and one whose company is new (country but no city), convert as well.
        var colleague = await OkJsonAsync(await client.PostAsync("/api/v1/leads", Api.Json(new { firstName = "Tom", lastName = "Kühn", companyName = company, status = "qualified" })), HttpStatusCode.Created);
        var second = await OkJsonAsync(await client.PostAsync($"/api/v1/leads/{colleague.GetProperty("id").GetGuid()}/convert", Api.Json(new { organizationId = existingOrg })));
        Assert.Equal(existingOrg, second.GetProperty("organizationId").GetGuid());
        var newcomer = await OkJsonAsync(await client.PostAsync("/api/v1/leads", Api.Json(new { firstName = "Ina", lastName = "Neu", companyName = Api.Unique("Neufirma"), country = "AT", status = "qualified" })), HttpStatusCode.Created);
        var third = await OkJsonAsync(await client.PostAsync($"/api/v1/leads/{newcomer.GetProperty("id").GetGuid()}/convert", Api.Json(new { })));
        Assert.NotEqual(existingOrg, third.GetProperty("organizationId").GetGuid());

        before = await w.Factory.FingerprintAsync();
        var again = await client.PostAsync($"/api/v1/leads/{leadId}/convert", Api.Json(new { }));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, again.StatusCode);
        Assert.Contains("already", (await again.ReadJsonAsync()).GetProperty("errors").GetProperty("status")[0].GetString());
        Assert.Equal(before, await w.Factory.FingerprintAsync());
    }

    [Theory, MemberData(nameof(ApiWorld.Databases), MemberType = typeof(ApiWorld))]
    public async Task A_quote_is_priced_from_the_price_list_revised_accepted_printed_and_ordered(string db)
    {
        var w = await worlds.GetAsync(db);
        var admin = w.Client(w.Admin);
        var client = w.Client(w.SalesA);
        var maintenance = await ProductAsync(admin);
        var book = await ProductAsync(admin, vatRate: 7);
        var list = await OkJsonAsync(await admin.PostAsync("/api/v1/price-lists", Api.Json(new
        {
            name = Api.Unique("Standard"), currency = "EUR", validFrom = "2026-01-01",
            entries = new object[] { new { productId = maintenance, unitPrice = 1234.5 }, new { productId = book, unitPrice = 19.99 } },
        })), HttpStatusCode.Created);
        await OkJsonAsync(await admin.PutAsync("/api/v1/settings/company", Api.Json(new
        {
            name = "Motiv Kältetechnik GmbH", street = "Hafenstraße 1", postalCode = "20457", city = "Hamburg", country = "DE", vatId = "DE136695976",
            bankName = "Hamburger Sparkasse", iban = "DE89 3704 0044 0532 0130 00", bic = "HASPDEHHXXX",
        })));
        var (orgId, _) = await client.CreateOrganizationAsync(new { name = Api.Unique("Kunde GmbH") });

        var before = await w.Factory.FingerprintAsync();
        var bad = await client.PostAsync("/api/v1/quotes", Api.Json(new
        {
            organizationId = orgId, priceListId = list.GetProperty("id").GetGuid(), lines = new object[] { new { productId = maintenance, quantity = -2 } },
        }));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.StatusCode);
        Assert.True((await bad.ReadJsonAsync()).GetProperty("errors").TryGetProperty("lines[0].quantity", out _));
        Assert.Equal(before, await w.Factory.FingerprintAsync());

        var quote = await OkJsonAsync(await client.PostAsync("/api/v1/quotes", Api.Json(new
        {
            organizationId = orgId, priceListId = list.GetProperty("id").GetGuid(), language = "de", terms = "Zahlbar innerhalb von 14 Tagen.",
            lines = new object[] { new { productId = maintenance, quantity = 3, discountPercent = 10 }, new { productId = book, quantity = 7 } },
        })), HttpStatusCode.Created);
        var id = quote.GetProperty("id").GetGuid();
        var number = quote.GetProperty("number").GetString()!;
        Assert.Matches(@"^AN-2026-\d{4}$", number);
        // 3 × 1,234.50 − 10 % = 3,333.15 at 19 %; 7 × 19.99 = 139.93 at 7 %.
        Assert.Equal(3_473.08m, quote.GetProperty("net").GetDecimal());
        Assert.Equal(633.30m + 9.80m, quote.GetProperty("vat").GetDecimal());
        Assert.Equal(4_116.18m, quote.GetProperty("gross").GetDecimal());
        Assert.Equal("Wartung Kühlanlage", quote.GetProperty("lines")[0].GetProperty("name").GetString());
        // The global search finds a quote by its number, for those who may see it.
        var found = (await OkJsonAsync(await client.GetAsync($"/api/v1/search?q={number}"))).GetProperty("items");
        Assert.Contains(found.EnumerateArray(), h => h.GetProperty("id").GetGuid() == id && h.GetProperty("type").GetString() == "quote");
        var hidden = (await OkJsonAsync(await w.Client(w.SalesB).GetAsync($"/api/v1/search?q={number}"))).GetProperty("items");
        Assert.DoesNotContain(hidden.EnumerateArray(), h => h.GetProperty("id").GetGuid() == id);

        // Sent, then changed: the sent version is kept as revision 1.
        await OkJsonAsync(await client.PatchAsync($"/api/v1/quotes/{id}", new { status = "sent" }, "\"1\""));
        var revised = await OkJsonAsync(await client.PatchAsync($"/api/v1/quotes/{id}", new
        {
            lines = new object[] { new { productId = maintenance, quantity = 4, discountPercent = 10 }, new { productId = book, quantity = 7 } },
        }, "\"2\""));
        Assert.Equal(2, revised.GetProperty("revision").GetInt32());
        Assert.Equal("draft", revised.GetProperty("status").GetString());
        var revisions = (await OkJsonAsync(await client.GetAsync($"/api/v1/quotes/{id}/revisions"))).GetProperty("items");
        Assert.Equal(3_473.08m, Assert.Single(revisions.EnumerateArray()).GetProperty("quote").GetProperty("net").GetDecimal());

        var pdfResponse = await client.GetAsync($"/api/v1/quotes/{id}/pdf");
        Assert.Equal("application/pdf", pdfResponse.Content.Headers.ContentType!.MediaType);
        Assert.Equal("attachment", pdfResponse.Content.Headers.ContentDisposition!.DispositionType);
        var text = PdfText(await pdfResponse.Content.ReadAsByteArrayAsync());
        foreach (var expected in new[] { "Angebot " + number, "Motiv Kältetechnik GmbH", "Wartung Kühlanlage", "5.438,33 EUR", "USt-IdNr. DE136695976", "IBAN DE89370400440532013000", "Gültig bis", "Zahlbar innerhalb von 14 Tagen." })
            Assert.Contains(expected, text);

        await OkJsonAsync(await client.PatchAsync($"/api/v1/quotes/{id}", new { language = "en" }, "\"3\""));
        var english = PdfText(await (await client.GetAsync($"/api/v1/quotes/{id}/pdf")).Content.ReadAsByteArrayAsync());
        Assert.Contains("Quote " + number, english);
        Assert.Contains("Total gross", english);
        Assert.Contains("5,438.33 EUR", english);

        before = await w.Factory.FingerprintAsync();
        var notAccepted = await client.PostAsync($"/api/v1/quotes/{id}/order", null);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, notAccepted.StatusCode);
        Assert.Equal(before, await w.Factory.FingerprintAsync());
        await OkJsonAsync(await client.PatchAsync($"/api/v1/quotes/{id}", new { status = "accepted" }, "\"4\""));
        before = await w.Factory.FingerprintAsync();
        var locked = await client.PatchAsync($"/api/v1/quotes/{id}", new { terms = "Anders" }, "\"5\"");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, locked.StatusCode);
        Assert.Equal(before, await w.Factory.FingerprintAsync());

        var order = await OkJsonAsync(await client.PostAsync($"/api/v1/quotes/{id}/order", null), HttpStatusCode.Created);
        Assert.Matches(@"^AB-2026-\d{4}$", order.GetProperty("number").GetString()!);
        Assert.Equal(5_438.33m, order.GetProperty("gross").GetDecimal());
        Assert.Equal(id, order.GetProperty("quoteId").GetGuid());
        Assert.Equal(2, order.GetProperty("lines").GetArrayLength());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await client.PostAsync($"/api/v1/quotes/{id}/order", null)).StatusCode);
        var orders = await OkJsonAsync(await client.GetAsync($"/api/v1/orders?organizationId={orgId}"));
        Assert.Equal(1, orders.GetProperty("total").GetInt32());
    }

    [Theory, MemberData(nameof(ApiWorld.Databases), MemberType = typeof(ApiWorld))]
    public async Task Concurrent_quotes_get_distinct_gapless_numbers(string db)
    {
        var w = await worlds.GetAsync(db);
        var (orgId, _) = await w.Client(w.SalesA).CreateOrganizationAsync(new { name = Api.Unique("Parallel GmbH") });
        var clients = new[] { w.Client(w.SalesA), w.Client(w.SalesA2), w.Client(w.Manager), w.Client(w.Admin) };
        var responses = await Task.WhenAll(Enumerable.Range(0, 24).Select(i => clients[i % clients.Length].PostAsync("/api/v1/quotes", Api.Json(new
        {
            organizationId = orgId, lines = new object[] { new { name = "Beratung", unit = "Tag", quantity = 1, unitPrice = 1000, vatRate = 19 } },
        }))));
        foreach (var r in responses) Assert.True(HttpStatusCode.Created == r.StatusCode, await r.Content.ReadAsStringAsync());
        var numbers = new List<int>();
        foreach (var r in responses) numbers.Add(int.Parse((await r.ReadJsonAsync()).GetProperty("number").GetString()![^4..], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(24, numbers.Distinct().Count());
        Assert.Equal(numbers.Max() - numbers.Min() + 1, numbers.Count);
    }

    [Theory, MemberData(nameof(ApiWorld.Databases), MemberType = typeof(ApiWorld))]
    public async Task The_forecast_weighs_open_deals_against_quotas_and_won_deals(string db)
    {
        var w = await worlds.GetAsync(db);
        var client = w.Client(w.SalesA2);
        var pipeline = await DefaultPipelineAsync(client);
        var pipelineId = pipeline.GetProperty("id").GetGuid();
        await OkJsonAsync(await client.PostAsync("/api/v1/deals", Api.Json(new { title = "A", amount = 20_000, pipelineId, expectedCloseDate = "2027-02-10", probability = 40 })), HttpStatusCode.Created);
        await OkJsonAsync(await client.PostAsync("/api/v1/deals", Api.Json(new { title = "B", amount = 10_000, pipelineId, expectedCloseDate = "2027-03-01", stageId = StageId(pipeline, "Verhandlung") })), HttpStatusCode.Created);
        await OkJsonAsync(await client.PostAsync("/api/v1/deals", Api.Json(new { title = "C", amount = 7_000, pipelineId, stageId = StageId(pipeline, "won") })), HttpStatusCode.Created);

        await OkJsonAsync(await w.Client(w.Manager).PutAsync("/api/v1/quotas", Api.Json(new { userId = w.SalesA2, year = 2027, month = 2, amount = 30_000 })));
        var before = await w.Factory.FingerprintAsync();
        Assert.Equal(HttpStatusCode.Forbidden, (await w.Client(w.Manager).PutAsync("/api/v1/quotas", Api.Json(new { userId = w.SalesB, year = 2027, month = 2, amount = 1 }))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.PutAsync("/api/v1/quotas", Api.Json(new { userId = w.SalesA2, year = 2027, month = 2, amount = 1 }))).StatusCode);
        Assert.Equal(before, await w.Factory.FingerprintAsync());

        var forecast = await OkJsonAsync(await client.GetAsync($"/api/v1/forecast?from=2027-01-01&to=2027-06-30&period=quarter&ownerId={w.SalesA2}"));
        var q1 = forecast.GetProperty("periods")[0];
        Assert.Equal("2027-Q1", q1.GetProperty("period").GetString());
        Assert.Equal(2, q1.GetProperty("openDeals").GetInt32());
        Assert.Equal(30_000m, q1.GetProperty("pipeline").GetDecimal());
        Assert.Equal(8_000m + 7_500m, q1.GetProperty("weighted").GetDecimal());
        Assert.Equal(30_000m, q1.GetProperty("quota").GetDecimal());
        var thisYear = await OkJsonAsync(await client.GetAsync($"/api/v1/forecast?ownerId={w.SalesA2}"));
        var november = thisYear.GetProperty("periods").EnumerateArray().First(p => p.GetProperty("period").GetString() == "2026-11");
        Assert.Equal(7_000m, november.GetProperty("won").GetDecimal());
        Assert.Contains(thisYear.GetProperty("pipelines").EnumerateArray(), p => p.GetProperty("won").GetInt32() >= 1);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/api/v1/forecast?period=week")).StatusCode);
        // Enum filters are written as in JSON bodies.
        var won = await OkJsonAsync(await client.GetAsync($"/api/v1/deals?status=won&ownerId={w.SalesA2}"));
        Assert.Equal(1, won.GetProperty("total").GetInt32());
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/api/v1/deals?status=gewonnen")).StatusCode);
    }

    [Theory, MemberData(nameof(ApiWorld.Databases), MemberType = typeof(ApiWorld))]
    public async Task Only_administrators_change_pipelines_price_lists_scoring_rules_and_company_settings(string db)
    {
        var w = await worlds.GetAsync(db);
        foreach (var (user, userId) in w.Users.Where(u => u.Name != "admin"))
        {
            var client = w.Client(userId);
            var before = await w.Factory.FingerprintAsync();
            Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsync("/api/v1/pipelines", Api.Json(new { nameDe = "X", nameEn = "X", stages = Array.Empty<object>() }))).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsync("/api/v1/price-lists", Api.Json(new { name = "X", currency = "EUR" }))).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsync("/api/v1/lead-scoring-rules", Api.Json(new { field = "country", value = "DE", points = 5, labelDe = "X", labelEn = "X" }))).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.PutAsync("/api/v1/settings/company", Api.Json(new { name = "Evil" }))).StatusCode);
            Assert.Equal(before, await w.Factory.FingerprintAsync());
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/pipelines")).StatusCode);
        }
        var admin = w.Client(w.Admin);
        var before2 = await w.Factory.FingerprintAsync();
        var noWon = await admin.PostAsync("/api/v1/pipelines", Api.Json(new { nameDe = "X", nameEn = "X", stages = new object[] { new { nameDe = "A", nameEn = "A" } } }));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, noWon.StatusCode);
        var badLogo = await admin.PutAsync("/api/v1/settings/company", Api.Json(new { name = "Motiv", logo = Convert.ToBase64String("<svg onload=alert(1)>"u8.ToArray()), iban = "DE00123" }));
        var errors = (await badLogo.ReadJsonAsync()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("logo", out _) && errors.TryGetProperty("iban", out _));
        Assert.Equal(before2, await w.Factory.FingerprintAsync());
    }

    [Theory, MemberData(nameof(ApiWorld.Databases), MemberType = typeof(ApiWorld))]
    public async Task A_colleague_who_may_not_see_the_organisation_does_not_clear_it_and_used_stages_stay(string db)
    {
        var w = await worlds.GetAsync(db);
        var owner = w.Client(w.SalesA);
        var (privateOrg, _) = await owner.CreateOrganizationAsync(new { name = Api.Unique("Privat GmbH"), visibility = "private" });
        var pipeline = await DefaultPipelineAsync(owner);
        var deal = await OkJsonAsync(await owner.PostAsync("/api/v1/deals", Api.Json(new
        {
            title = "Team-Deal", organizationId = privateOrg, amount = 100, pipelineId = pipeline.GetProperty("id").GetGuid(), visibility = "team",
        })), HttpStatusCode.Created);
        var id = deal.GetProperty("id").GetGuid();
        var seen = await OkJsonAsync(await w.Client(w.SalesA2).GetAsync($"/api/v1/deals/{id}"));
        Assert.Equal(JsonValueKind.Null, seen.GetProperty("organizationId").ValueKind);
        await OkJsonAsync(await w.Client(w.SalesA2).PatchAsync($"/api/v1/deals/{id}", new { notes = "Angerufen", stageId = StageId(pipeline, "Bedarfsanalyse") }, "\"1\""));
        Assert.Equal(privateOrg, (await OkJsonAsync(await owner.GetAsync($"/api/v1/deals/{id}"))).GetProperty("organizationId").GetGuid());

        // A stage a deal once stood in cannot be removed (its history names it); it can be deactivated.
        var admin = w.Client(w.Admin);
        var created = await OkJsonAsync(await admin.PostAsync("/api/v1/pipelines", Api.Json(new
        {
            nameDe = Api.Unique("Kurz"), nameEn = "Short",
            stages = new object[] { new { nameDe = "Eins", nameEn = "One" }, new { nameDe = "Zwei", nameEn = "Two" }, new { nameDe = "Gewonnen", nameEn = "Won", kind = "won" }, new { nameDe = "Verloren", nameEn = "Lost", kind = "lost" } },
        })), HttpStatusCode.Created);
        var pid = created.GetProperty("id").GetGuid();
        var d = await OkJsonAsync(await owner.PostAsync("/api/v1/deals", Api.Json(new { title = "Durchläufer", amount = 1, pipelineId = pid })), HttpStatusCode.Created);
        await OkJsonAsync(await owner.PatchAsync($"/api/v1/deals/{d.GetProperty("id").GetGuid()}", new { stageId = StageId(created, "Zwei") }, "\"1\""));
        var stages = created.GetProperty("stages").EnumerateArray().ToList();
        var before = await w.Factory.FingerprintAsync();
        var remove = await admin.PatchAsync($"/api/v1/pipelines/{pid}", new
        {
            stages = stages.Skip(1).Select(x => new { id = x.GetProperty("id").GetGuid(), nameDe = x.GetProperty("nameDe").GetString(), nameEn = x.GetProperty("nameEn").GetString(), kind = x.GetProperty("kind").GetString() }),
        }, null);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, remove.StatusCode);
        Assert.True((await remove.ReadJsonAsync()).GetProperty("errors").TryGetProperty("stages", out _));
        Assert.Equal(before, await w.Factory.FingerprintAsync());
    }

    private static string PdfText(byte[] pdf)
    {
        using var document = PdfDocument.Open(pdf);
        return string.Join("\n", document.GetPages().Select(p => string.Join(" ", p.GetWords().Select(x => x.Text))));
    }
}
