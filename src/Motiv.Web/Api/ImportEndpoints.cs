using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Motiv.Core.Import;

namespace Motiv.Web.Api;

/// <summary>Imports: upload a file as the request body, map, dry-run, run, cancel, undo, read the errors.</summary>
public static class ImportEndpoints
{
    public static void MapImportApi(this RouteGroupBuilder api)
    {
        var imports = api.MapGroup("/imports").WithTags("imports");
        imports.MapPost("", async (HttpContext http, string? entity, string? fileName, ImportService s, IOptions<ImportOptions> options) =>
        {
            // The file streams to disk; its own limit replaces the server's default for request bodies.
            if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit) limit.MaxRequestBodySize = options.Value.MaxBytes + 1;
            var import = await s.UploadAsync(entity, fileName, http.Request.Body, http.RequestAborted);
            return TypedResults.Created($"/api/v1/imports/{import.Id}", import);
        });
        imports.MapGet("", async (ImportService s, CancellationToken ct) => TypedResults.Ok(new { items = await s.ListAsync(ct) }));
        imports.MapGet("/{id:guid}", async (Guid id, ImportService s, CancellationToken ct) => TypedResults.Ok(await s.GetAsync(id, ct)));
        imports.MapGet("/{id:guid}/preview", async (Guid id, ImportService s, CancellationToken ct) => TypedResults.Ok(await s.PreviewAsync(id, ct)));
        imports.MapPut("/{id:guid}", async (Guid id, HttpContext http, ImportService s) =>
            TypedResults.Ok(await s.ConfigureAsync(id, await JsonBody.ReadAsync<ImportSettings>(http, null), http.RequestAborted)));
        imports.MapPost("/{id:guid}/dry-run", async (Guid id, ImportService s, CancellationToken ct) => TypedResults.Accepted($"/api/v1/imports/{id}", await s.StartAsync(id, dryRun: true, ct)));
        imports.MapPost("/{id:guid}/run", async (Guid id, ImportService s, CancellationToken ct) => TypedResults.Accepted($"/api/v1/imports/{id}", await s.StartAsync(id, dryRun: false, ct)));
        imports.MapPost("/{id:guid}/cancel", async (Guid id, ImportService s, CancellationToken ct) => TypedResults.Ok(await s.CancelAsync(id, ct)));
        imports.MapPost("/{id:guid}/undo", async (Guid id, ImportService s, CancellationToken ct) => TypedResults.Accepted($"/api/v1/imports/{id}", await s.UndoAsync(id, ct)));
        imports.MapGet("/{id:guid}/errors", async (Guid id, int? after, int? limit, ImportService s, CancellationToken ct) => TypedResults.Ok(await s.ErrorsAsync(id, after, limit, ct)));
        imports.MapGet("/{id:guid}/errors.csv", ErrorReportAsync);
    }

    /// <summary>
    /// The failed rows as a CSV download, for API clients and (with the sign-in cookie, at /imports/{id}/errors.csv) for the browser.
    /// The service answers only the import's uploader and administrators.
    /// </summary>
    public static async Task<IResult> ErrorReportAsync(Guid id, HttpContext http, ImportService s)
    {
        var import = await s.GetAsync(id, http.RequestAborted);
        return Results.Stream(stream => s.WriteErrorReportAsync(id, stream, http.RequestAborted), "text/csv; charset=utf-8",
            $"{Path.GetFileNameWithoutExtension(import.FileName)}-errors.csv");
    }
}
