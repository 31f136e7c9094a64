using Motiv.Core.Customers;

namespace Motiv.Web.Api;

/// <summary>Probable duplicates (a scan, or of one record), "not the same", and merging two records into one.</summary>
public static class DuplicateEndpoints
{
    public static void MapDuplicateApi(this RouteGroupBuilder api)
    {
        var duplicates = api.MapGroup("/duplicates").WithTags("duplicates");
        duplicates.MapGet("", async (string? entity, int? limit, DuplicateService s, CancellationToken ct) => TypedResults.Ok(new { items = await s.ScanAsync(entity, limit, ct) }));
        duplicates.MapPost("/dismiss", async (HttpContext http, DuplicateService s) =>
        {
            await s.DismissAsync(await JsonBody.ReadAsync<DismissInput>(http, null), http.RequestAborted);
            return TypedResults.NoContent();
        });
        api.MapGet("/people/{id:guid}/duplicates", async (Guid id, DuplicateService s, CancellationToken ct) => TypedResults.Ok(new { items = await s.OfAsync("people", id, ct) }))
            .WithTags("duplicates");
        api.MapGet("/organizations/{id:guid}/duplicates", async (Guid id, DuplicateService s, CancellationToken ct) =>
            TypedResults.Ok(new { items = await s.OfAsync("organizations", id, ct) })).WithTags("duplicates");
        api.MapPost("/merge", async (HttpContext http, MergeService s) =>
            TypedResults.Ok(await s.MergeAsync(await JsonBody.ReadAsync<MergeInput>(http, null), http.RequestAborted))).WithTags("duplicates");
    }
}
