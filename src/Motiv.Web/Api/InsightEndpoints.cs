namespace Motiv.Web.Api;

/// <summary>Customer analytics: lifetime value (BG/NBD, Gamma-Gamma), churn risk, RFM and association rules over the orders the caller may read.</summary>
public static class InsightEndpoints
{
    public static void MapInsightsApi(this RouteGroupBuilder api)
    {
        var insights = api.MapGroup("/insights").WithTags("insights");
        insights.MapGet("/clv/model", async ([AsParameters] Core.Analytics.InsightQuery q, Core.Analytics.InsightsService s, CancellationToken ct) => TypedResults.Ok(await s.ModelAsync(q, ct)));
        insights.MapGet("/clv/customers", async ([AsParameters] Core.Analytics.InsightQuery q, double? horizon, double? discountRate, Core.Analytics.InsightsService s, CancellationToken ct) =>
            TypedResults.Ok(new { items = await s.CustomersAsync(q, horizon, discountRate, byChurnRisk: false, ct) }));
        insights.MapGet("/churn", async ([AsParameters] Core.Analytics.InsightQuery q, Core.Analytics.InsightsService s, CancellationToken ct) =>
            TypedResults.Ok(new { items = await s.CustomersAsync(q, null, null, byChurnRisk: true, ct) }));
        api.MapPost("/exports", async (HttpContext http, Core.Analytics.ExportService s, TimeProvider clock) =>
        {
            var (entity, filters, raw, format) = s.Validate(await JsonBody.ReadAsync<Core.Analytics.ExportInput>(http, null));
            var name = $"motiv-{entity}-{clock.GetUtcNow():yyyyMMdd-HHmm}.{format}";
            return Results.Stream(stream => s.WriteAsync(entity, filters, raw, format, stream, http.RequestAborted),
                format == "xlsx" ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" : "text/csv; charset=utf-8", name);
        }).WithTags("exports");
        insights.MapGet("/cohorts", async ([AsParameters] Core.Analytics.InsightQuery q, Core.Analytics.InsightsService s, CancellationToken ct) =>
            TypedResults.Ok(new { items = await s.CohortsAsync(q, ct) }));
        insights.MapGet("/rfm", async ([AsParameters] Core.Analytics.InsightQuery q, Core.Analytics.InsightsService s, CancellationToken ct) => TypedResults.Ok(await s.RfmAsync(q, ct)));
        insights.MapGet("/association-rules", async ([AsParameters] Core.Analytics.InsightQuery q, double? minSupport, double? minConfidence, string? level,
            Core.Analytics.InsightsService s, CancellationToken ct) => TypedResults.Ok(new { items = await s.RulesAsync(q, minSupport, minConfidence, level, ct) }));
    }
}
