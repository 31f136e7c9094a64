using Motiv.Core.Common;
using Motiv.Core.Sales;

namespace Motiv.Web.Api;

/// <summary>The sales part of /api/v1: leads, pipelines, deals, price lists, quotes, orders, forecast, company settings.</summary>
public static class SalesEndpoints
{
    /// <summary>The quote PDF as a download, for API clients and (with the sign-in cookie) for the browser.</summary>
    public static async Task<IResult> DownloadPdfAsync(Guid id, QuotePdf pdf, CancellationToken ct)
    {
        var (content, name) = await pdf.RenderAsync(id, ct);
        return TypedResults.File(content, "application/pdf", name);
    }

    public static void MapSalesApi(this RouteGroupBuilder api)
    {
        api.MapRecordEndpoints("leads", new RecordApiSpec<LeadQuery, LeadListItem, LeadInput, LeadDto>(
            Lead.Type,
            (sp, q, ct) => sp.GetRequiredService<LeadService>().ListAsync(q, ct),
            (sp, id, ct) => sp.GetRequiredService<LeadService>().GetAsync(id, ct),
            (sp, input, ct) => sp.GetRequiredService<LeadService>().CreateAsync(input, ct),
            (sp, id, v, input, ct) => sp.GetRequiredService<LeadService>().UpdateAsync(id, v, input, ct),
            LeadService.ToInput, l => (l.Id, l.Version)));
        var leads = api.MapGroup("/leads").WithTags("leads");
        leads.MapGet("/{id:guid}/duplicates", async (Guid id, LeadService s, CancellationToken ct) => TypedResults.Ok(await s.FindDuplicatesAsync(id, ct)));
        leads.MapPost("/{id:guid}/convert", async (Guid id, HttpContext http, LeadService s, CancellationToken ct) =>
            TypedResults.Ok(await s.ConvertAsync(id, Etags.Parse(http.Request.Headers.IfMatch), await JsonBody.ReadAsync<LeadConversionInput>(http, null), ct)));

        var rules = api.MapGroup("/lead-scoring-rules").WithTags("leads");
        rules.MapGet("", async (LeadService s, CancellationToken ct) => TypedResults.Ok(new { items = await s.ListRulesAsync(ct) }));
        rules.MapPost("", async (HttpContext http, LeadService s, CancellationToken ct) =>
        {
            var rule = await s.SaveRuleAsync(null, await JsonBody.ReadAsync<ScoringRuleInput>(http, null), ct);
            return TypedResults.Created($"/api/v1/lead-scoring-rules/{rule.Id}", rule);
        });
        rules.MapPatch("/{id:guid}", async (Guid id, HttpContext http, LeadService s, CancellationToken ct) =>
            TypedResults.Ok(await s.SaveRuleAsync(id, await JsonBody.ReadAsync<ScoringRuleInput>(http, null), ct)));

        var pipelines = api.MapGroup("/pipelines").WithTags("pipelines");
        pipelines.MapGet("", async (bool? includeInactive, PipelineService s, CancellationToken ct) => TypedResults.Ok(new { items = await s.ListAsync(includeInactive ?? false, ct) }));
        pipelines.MapGet("/{id:guid}", async (Guid id, PipelineService s, CancellationToken ct) => TypedResults.Ok(await s.GetAsync(id, ct)));
        pipelines.MapGet("/{id:guid}/board", async (Guid id, [AsParameters] DealQuery filter, DealService s, CancellationToken ct) => TypedResults.Ok(await s.BoardAsync(id, filter, ct)));
        pipelines.MapPost("", async (HttpContext http, PipelineService s, CancellationToken ct) =>
        {
            var pipeline = await s.SaveAsync(null, await JsonBody.ReadAsync<PipelineInput>(http, null), ct);
            return TypedResults.Created($"/api/v1/pipelines/{pipeline.Id}", pipeline);
        });
        pipelines.MapPatch("/{id:guid}", async (Guid id, HttpContext http, PipelineService s, CancellationToken ct) =>
            TypedResults.Ok(await s.SaveAsync(id, await JsonBody.ReadAsync<PipelineInput>(http, null), ct)));

        api.MapRecordEndpoints("deals", new RecordApiSpec<DealQuery, DealListItem, DealInput, DealDto>(
            Deal.Type,
            (sp, q, ct) => sp.GetRequiredService<DealService>().ListAsync(q, ct),
            (sp, id, ct) => sp.GetRequiredService<DealService>().GetAsync(id, ct),
            (sp, input, ct) => sp.GetRequiredService<DealService>().CreateAsync(input, ct),
            (sp, id, v, input, ct) => sp.GetRequiredService<DealService>().UpdateAsync(id, v, input, ct),
            DealService.ToInput, d => (d.Id, d.Version)))
            .MapGet("/{id:guid}/stage-history", async (Guid id, DealService s, CancellationToken ct) => TypedResults.Ok(new { items = await s.StageHistoryAsync(id, ct) }));

        var lists = api.MapGroup("/price-lists").WithTags("price-lists");
        lists.MapGet("", async (PriceListService s, CancellationToken ct) => TypedResults.Ok(new { items = await s.ListAsync(ct) }));
        lists.MapGet("/{id:guid}", async (Guid id, PriceListService s, CancellationToken ct) => TypedResults.Ok(await s.GetAsync(id, ct)));
        lists.MapPost("", async (HttpContext http, PriceListService s, CancellationToken ct) =>
        {
            var list = await s.SaveAsync(null, await JsonBody.ReadAsync<PriceListInput>(http, null), ct);
            return TypedResults.Created($"/api/v1/price-lists/{list.Id}", list);
        });
        lists.MapPatch("/{id:guid}", async (Guid id, HttpContext http, PriceListService s, CancellationToken ct) =>
            TypedResults.Ok(await s.SaveAsync(id, await JsonBody.ReadAsync(http, PriceListService.ToInput(await s.GetAsync(id, ct))), ct)));

        api.MapRecordEndpoints("quotes", new RecordApiSpec<QuoteQuery, QuoteListItem, QuoteInput, QuoteDto>(
            Quote.Type,
            (sp, q, ct) => sp.GetRequiredService<QuoteService>().ListAsync(q, ct),
            (sp, id, ct) => sp.GetRequiredService<QuoteService>().GetAsync(id, ct),
            (sp, input, ct) => sp.GetRequiredService<QuoteService>().CreateAsync(input, ct),
            (sp, id, v, input, ct) => sp.GetRequiredService<QuoteService>().UpdateAsync(id, v, input, ct),
            QuoteService.ToInput, q => (q.Id, q.Version)));
        var quotes = api.MapGroup("/quotes").WithTags("quotes");
        quotes.MapGet("/{id:guid}/revisions", async (Guid id, QuoteService s, CancellationToken ct) => TypedResults.Ok(new { items = await s.RevisionsAsync(id, ct) }));
        quotes.MapGet("/{id:guid}/pdf", DownloadPdfAsync);
        quotes.MapPost("/{id:guid}/order", async (Guid id, HttpContext http, OrderService s, CancellationToken ct) =>
        {
            var order = await s.CreateFromQuoteAsync(id, Etags.Parse(http.Request.Headers.IfMatch), ct);
            http.Response.Headers.ETag = Etags.Format(order.Version);
            return TypedResults.Created($"/api/v1/orders/{order.Id}", order);
        });

        api.MapRecordEndpoints("orders", new RecordApiSpec<OrderQuery, OrderListItem, OrderInput, OrderDto>(
            Order.Type,
            (sp, q, ct) => sp.GetRequiredService<OrderService>().ListAsync(q, ct),
            (sp, id, ct) => sp.GetRequiredService<OrderService>().GetAsync(id, ct),
            (sp, input, ct) => sp.GetRequiredService<OrderService>().CreateAsync(input, ct),
            (sp, id, v, input, ct) => sp.GetRequiredService<OrderService>().UpdateAsync(id, v, input, ct),
            OrderService.ToInput, o => (o.Id, o.Version)));

        api.MapGet("/forecast", async ([AsParameters] ForecastQuery query, ForecastService s, CancellationToken ct) => TypedResults.Ok(await s.GetAsync(query, ct))).WithTags("forecast");
        var quotas = api.MapGroup("/quotas").WithTags("forecast");
        quotas.MapGet("", async (int? year, ForecastService s, TimeProvider clock, CancellationToken ct) =>
            TypedResults.Ok(new { items = await s.ListQuotasAsync(year ?? clock.GetUtcNow().Year, ct) }));
        quotas.MapPut("", async (HttpContext http, ForecastService s, CancellationToken ct) => TypedResults.Ok(await s.SetQuotaAsync(await JsonBody.ReadAsync<QuotaInput>(http, null), ct)));

        var settings = api.MapGroup("/settings").WithTags("settings");
        settings.MapGet("/company", async (SettingsService s, CancellationToken ct) => TypedResults.Ok(await s.GetCompanyAsync(ct)));
        settings.MapPut("/company", async (HttpContext http, SettingsService s, CancellationToken ct) =>
            TypedResults.Ok(await s.SetCompanyAsync(await JsonBody.ReadAsync<CompanyProfile>(http, null), ct)));
    }
}
