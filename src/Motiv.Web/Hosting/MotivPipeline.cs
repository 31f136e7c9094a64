using Motiv.Web.Api;
using Motiv.Web.Auth;
using Motiv.Web.Components;
using Scalar.AspNetCore;

namespace Motiv.Web.Hosting;

/// <summary>Motiv's request pipeline and endpoints: the program's and the benchmark's host are the same.</summary>
public static class MotivPipeline
{
    public static void UseMotiv(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseRequestLocalization(o =>
        {
            o.SetDefaultCulture("en").AddSupportedCultures("en", "de", "de-DE", "en-GB", "en-US").AddSupportedUICultures("en", "de");
            o.FallBackToParentUICultures = true;
            o.FallBackToParentCultures = true;
        });
        app.UseStaticFiles();
        app.Use(Motiv.Web.Api.ApiEndpoints.NormaliseEnumQueryAsync);
        app.UseAuthentication();
        app.Use(AccountEndpoints.LoadCurrentUserAsync);
        app.Use(AccountEndpoints.RedirectToSetupAsync);
        app.UseAuthorization();
        app.UseAntiforgery();
        app.UseRateLimiter();

        app.MapHealthChecks("/health");
        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapScalarApiReference("/api/docs", o => o.WithOpenApiRoutePattern("/openapi/{documentName}.json").WithTitle("Motiv API"));
        app.MapMotivApi();
        app.MapAccountEndpoints();
        app.MapPublicPages();
        app.MapGet("/quotes/{id:guid}/pdf", Motiv.Web.Api.SalesEndpoints.DownloadPdfAsync).RequireAuthorization();
        app.MapGet("/attachments/{id:guid}/{attachmentId:guid}", Motiv.Web.Api.CommunicationEndpoints.DownloadAsync).RequireAuthorization();
        app.MapGet("/meetings/{id:guid}.ics", Motiv.Web.Api.CommunicationEndpoints.MeetingIcsAsync).RequireAuthorization();
        app.MapGet("/imports/{id:guid}/errors.csv", Motiv.Web.Api.ImportEndpoints.ErrorReportAsync).RequireAuthorization();
        // A report as CSV or XLSX for the dashboard's download links (the API under /api/v1 takes bearer tokens only).
        app.MapGet("/reports/{key}.{format}", async (string key, string format, [Microsoft.AspNetCore.Http.AsParameters] Motiv.Core.Analytics.ReportQuery query,
            Motiv.Core.Analytics.ReportService reports, HttpContext http) =>
            Motiv.Web.Api.InsightEndpoints.ReportFile(await reports.RunAsync(key, query, http.RequestAborted), format, http)).RequireAuthorization();
        app.MapGet("/segments/{id:guid}/export.{format}", Motiv.Web.Api.InsightEndpoints.SegmentExportAsync).RequireAuthorization();
        app.MapGet("/calendar/{file}", Motiv.Web.Api.CommunicationEndpoints.FeedAsync).AllowAnonymous();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
    }
}
