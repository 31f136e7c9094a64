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
            var input = await JsonBody.ReadAsync<Core.Analytics.ExportInput>(http, null);
            var (entity, filters, raw, format) = await s.ValidateAsync(input, http.RequestAborted);
            var name = $"motiv-{entity}-{clock.GetUtcNow():yyyyMMdd-HHmm}.{format}";
            return Results.Stream(stream => s.WriteAsync(entity, filters, raw, format, input.SegmentId, stream, http.RequestAborted),
                format == "xlsx" ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" : "text/csv; charset=utf-8", name);
        }).WithTags("exports");
        insights.MapGet("/cohorts", async ([AsParameters] Core.Analytics.InsightQuery q, Core.Analytics.InsightsService s, CancellationToken ct) =>
            TypedResults.Ok(new { items = await s.CohortsAsync(q, ct) }));
        insights.MapGet("/rfm", async ([AsParameters] Core.Analytics.InsightQuery q, Core.Analytics.InsightsService s, CancellationToken ct) => TypedResults.Ok(await s.RfmAsync(q, ct)));
        insights.MapPost("/runs", async (Core.Analytics.AnalyticsRunService s, CancellationToken ct) => TypedResults.Accepted("/api/v1/insights/runs/latest", await s.StartAsync(ct)));
        insights.MapGet("/runs/latest", async (Core.Analytics.AnalyticsRunService s, CancellationToken ct) => TypedResults.Ok(await s.LatestAsync(ct)));
        insights.MapGet("/settings", async (Core.Analytics.AnalyticsRunService s, CancellationToken ct) => TypedResults.Ok(await s.GetSettingsAsync(ct)));
        insights.MapPut("/settings", async (HttpContext http, Core.Analytics.AnalyticsRunService s) =>
            TypedResults.Ok(await s.SetSettingsAsync(await JsonBody.ReadAsync<Core.Analytics.AnalyticsSettings>(http, null), http.RequestAborted)));

        var segments = api.MapGroup("/segments").WithTags("segments");
        segments.MapGet("", async (Core.Analytics.SegmentService s, CancellationToken ct) => TypedResults.Ok(new { items = await s.ListAsync(ct) }));
        segments.MapGet("/fields", () => TypedResults.Ok(new { items = Core.Analytics.SegmentService.Fields }));
        segments.MapPost("", async (HttpContext http, Core.Analytics.SegmentService s) =>
        {
            var segment = await s.SaveAsync(null, await JsonBody.ReadAsync<Core.Analytics.SegmentInput>(http, null), http.RequestAborted);
            return TypedResults.Created($"/api/v1/segments/{segment.Id}", segment);
        });
        segments.MapPost("/count", async (HttpContext http, Core.Analytics.SegmentService s) =>
            TypedResults.Ok(new { count = await s.CountAsync(null, await JsonBody.ReadAsync<Core.Analytics.SegmentInput>(http, null), http.RequestAborted) }));
        segments.MapGet("/{id:guid}", async (Guid id, Core.Analytics.SegmentService s, CancellationToken ct) => TypedResults.Ok(await s.GetAsync(id, ct)));
        segments.MapPut("/{id:guid}", async (Guid id, HttpContext http, Core.Analytics.SegmentService s) =>
            TypedResults.Ok(await s.SaveAsync(id, await JsonBody.ReadAsync<Core.Analytics.SegmentInput>(http, null), http.RequestAborted)));
        segments.MapDelete("/{id:guid}", async (Guid id, Core.Analytics.SegmentService s, CancellationToken ct) =>
        {
            await s.DeleteAsync(id, ct);
            return TypedResults.NoContent();
        });
        segments.MapGet("/{id:guid}/count", async (Guid id, Core.Analytics.SegmentService s, CancellationToken ct) => TypedResults.Ok(new { count = await s.CountAsync(id, null, ct) }));
        segments.MapGet("/{id:guid}/members", async (Guid id, string? cursor, int? limit, Core.Analytics.SegmentService s, CancellationToken ct) =>
            TypedResults.Ok(await s.MembersAsync(id, cursor, limit, ct)));
        insights.MapGet("/association-rules", async ([AsParameters] Core.Analytics.InsightQuery q, double? minSupport, double? minConfidence, string? level,
            Core.Analytics.InsightsService s, CancellationToken ct) => TypedResults.Ok(new { items = await s.RulesAsync(q, minSupport, minConfidence, level, ct) }));
    }
}
