using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Motiv.Core.Import;

namespace Motiv.Web.Api;

/// <summary>Imports: upload a file as the request body, map, dry-run, run, cancel, undo, read the errors.</summary>
public static class ImportEndpoints
{
    /// <summary>
    /// One request that uploads, configures and starts an import: multipart/form-data with <c>file</c>, <c>entity</c>
    /// and optionally <c>mapping</c>, <c>duplicatePolicy</c>, <c>numberFormat</c>, <c>tag</c>, <c>createMissingCustomers</c>
    /// and <c>dryRun</c>. The file streams to a temporary file first (the fields may follow it). Refused options leave no
    /// import behind.
    /// </summary>
    private static async Task<IResult> MultipartAsync(HttpContext http, ImportService s)
    {
        var ct = http.RequestAborted;
        var boundary = Microsoft.Net.Http.Headers.HeaderUtilities.RemoveQuotes(Microsoft.Net.Http.Headers.MediaTypeHeaderValue.Parse(http.Request.ContentType).Boundary).Value;
        var reader = new Microsoft.AspNetCore.WebUtilities.MultipartReader(boundary ?? "", http.Request.Body);
        var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        string? temp = null;
        string? fileName = null;
        try
        {
            while (await reader.ReadNextSectionAsync(ct) is { } section)
            {
                if (!Microsoft.Net.Http.Headers.ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)) continue;
                if (disposition.FileName.HasValue || disposition.FileNameStar.HasValue)
                {
                    temp ??= Path.GetTempFileName();
                    fileName = disposition.FileNameStar.Value ?? disposition.FileName.Value;
                    await using var file = File.Create(temp);
                    await section.Body.CopyToAsync(file, ct);
                }
                else if (disposition.Name.HasValue)
                {
                    using var text = new StreamReader(section.Body);
                    var value = await text.ReadToEndAsync(ct);
                    fields[disposition.Name.Value ?? ""] = value.Length <= 100_000 ? value : throw Core.Common.ValidationException.For(disposition.Name.Value ?? "", Core.Text.Get("Validation.MaxLength", 100_000));
                }
            }
            if (temp is null) throw Core.Common.ValidationException.For("file", Core.Text.Get("Validation.Required"));
            ImportDto job;
            await using (var content = File.OpenRead(temp)) job = await s.UploadAsync(fields.GetValueOrDefault("entity"), fileName, content, ct);
            try
            {
                var policy = fields.GetValueOrDefault("duplicatePolicy") is { Length: > 0 } p
                    ? Enum.TryParse<DuplicatePolicy>(p, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) && !int.TryParse(p, out _) ? parsed
                        : throw Core.Common.ValidationException.For("duplicatePolicy", Core.Text.Get("Validation.Choice"))
                    : (DuplicatePolicy?)null;
                bool? Flag(string name) => fields.GetValueOrDefault(name) is { Length: > 0 } v
                    ? bool.TryParse(v, out var b) ? b : throw Core.Common.ValidationException.For(name, Core.Text.Get("Validation.Choice")) : null;
                var dryRun = Flag("dryRun") ?? false;
                job = await s.ConfigureAsync(job.Id, new ImportSettings(ImportService.Remap(job.Header, job.Mapping, fields.GetValueOrDefault("mapping")), policy,
                    fields.GetValueOrDefault("numberFormat"), fields.GetValueOrDefault("tag"), Flag("createMissingCustomers")), ct);
                job = await s.StartAsync(job.Id, dryRun, ct);
            }
            catch
            {
                await s.DeleteAsync(job.Id, CancellationToken.None);
                throw;
            }
            return TypedResults.Accepted($"/api/v1/imports/{job.Id}", job);
        }
        finally
        {
            if (temp is not null) File.Delete(temp);
        }
    }

    public static void MapImportApi(this RouteGroupBuilder api)
    {
        var imports = api.MapGroup("/imports").WithTags("imports");
        imports.MapPost("", async (HttpContext http, string? entity, string? fileName, ImportService s, IOptions<ImportOptions> options) =>
        {
            // The file streams to disk; its own limit replaces the server's default for request bodies.
            if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit) limit.MaxRequestBodySize = options.Value.MaxBytes + 1;
            if (http.Request.HasFormContentType) return await MultipartAsync(http, s);
            var import = await s.UploadAsync(entity, fileName, http.Request.Body, http.RequestAborted);
            return TypedResults.Created($"/api/v1/imports/{import.Id}", import);
        });
        imports.MapDelete("/{id:guid}", async (Guid id, ImportService s, CancellationToken ct) =>
        {
            await s.DeleteAsync(id, ct);
            return TypedResults.NoContent();
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
