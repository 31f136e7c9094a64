namespace Motiv.Web.Api;

/// <summary>Customer analytics: lifetime value (BG/NBD, Gamma-Gamma), churn risk, RFM and association rules over the orders the caller may read.</summary>
public static class InsightEndpoints
{
    /// <summary>A report's data as a CSV or XLSX download (for the API and the UI's download links).</summary>
    public static IResult ReportFile(Core.Analytics.Report report, string format, HttpContext http)
    {
        if (format is not ("csv" or "xlsx")) throw Core.Common.ValidationException.ForQuery("format", Core.Text.Get("Validation.Choice"));
        var name = $"motiv-{report.Key}-{report.From:yyyyMMdd}-{report.To:yyyyMMdd}.{format}";
        var rows = Core.Analytics.ReportService.RowsAsync(report);
        return format == "xlsx"
            ? Results.Stream(stream => Core.Analytics.ExportService.WriteXlsxAsync(rows, stream, http.RequestAborted), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", name)
            : Results.Stream(stream => Core.Analytics.ExportService.WriteCsvAsync(rows, raw: false, stream, http.RequestAborted), "text/csv; charset=utf-8", name);
    }

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

        var reports = api.MapGroup("/reports").WithTags("reports");
        reports.MapGet("", () => TypedResults.Ok(new { items = Core.Analytics.ReportService.Keys, groupings = Core.Analytics.ReportService.Groupings }));
        reports.MapGet("/{key}", async (string key, string? format, [AsParameters] Core.Analytics.ReportQuery q, Core.Analytics.ReportService s, HttpContext http) =>
        {
            var report = await s.RunAsync(key, q, http.RequestAborted);
            return format is null or "json" ? Results.Ok(report) : ReportFile(report, format, http);
        });
        api.MapGet("/dashboards", async (Core.Analytics.DashboardService s, CancellationToken ct) => TypedResults.Ok(new { widgets = await s.GetAsync(ct) })).WithTags("reports");
        api.MapPut("/dashboards", async (HttpContext http, Core.Analytics.DashboardService s) =>
            TypedResults.Ok(new { widgets = await s.SetAsync(await JsonBody.ReadAsync<Core.Analytics.DashboardInput>(http, null), http.RequestAborted) })).WithTags("reports");

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
        segments.MapGet("/{id:guid}/export.{format}", SegmentExportAsync);
        insights.MapGet("/association-rules", async ([AsParameters] Core.Analytics.InsightQuery q, double? minSupport, double? minConfidence, string? level,
            Core.Analytics.InsightsService s, CancellationToken ct) => TypedResults.Ok(new { items = await s.RulesAsync(q, minSupport, minConfidence, level, ct) }));
    }

    /// <summary>
    /// A segment's members as a CSV or XLSX download (<paramref name="format"/> "csv" or "xlsx"), for API clients and
    /// (with the sign-in cookie, at /segments/{id}/export.csv or .xlsx) for the browser. The members are those the
    /// caller may read, with the list's columns, as in POST /exports with a segment.
    /// </summary>
    public static async Task<IResult> SegmentExportAsync(Guid id, string format, HttpContext http, Core.Analytics.ExportService s, Core.Analytics.SegmentService segments, TimeProvider clock)
    {
        var (entity, filters, raw, checkedFormat) = await s.ValidateAsync(new Core.Analytics.ExportInput(null, null, format, SegmentId: id), http.RequestAborted);
        var segment = await segments.GetAsync(id, http.RequestAborted);
        var name = $"{FileName(segment.Name)}-{clock.GetUtcNow():yyyyMMdd-HHmm}.{checkedFormat}";
        return Results.Stream(stream => s.WriteAsync(entity, filters, raw, checkedFormat, id, stream, http.RequestAborted),
            checkedFormat == "xlsx" ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" : "text/csv; charset=utf-8", name);
    }

    /// <summary>A segment's name as a file name: characters that a file system refuses become hyphens.</summary>
    private static string FileName(string name)
    {
        var cleaned = new string([.. name.Select(c => c is '\\' or '/' or ':' or '*' or '?' or '"' or '<' or '>' or '|' || char.IsControl(c) ? '-' : c)]).Trim().Trim('.');
        return cleaned.Length == 0 ? "segment" : cleaned;
    }
}
