using Motiv.Core.Common;

namespace Motiv.Web.Api;

/// <summary>What the generic record endpoints need to know about one record type.</summary>
public sealed record RecordApiSpec<TQuery, TItem, TInput, TDto>(
    string Type,
    Func<IServiceProvider, TQuery, CancellationToken, Task<Page<TItem>>> List,
    Func<IServiceProvider, Guid, CancellationToken, Task<TDto>> Get,
    Func<IServiceProvider, TInput, CancellationToken, Task<TDto>> Create,
    Func<IServiceProvider, Guid, long, TInput, CancellationToken, Task<TDto>> Update,
    Func<TDto, TInput> ToInput,
    Func<TDto, (Guid Id, long Version)> Key);

/// <summary>A page in the API: <c>total</c> is exact when <c>totalExact</c>, else a lower bound (lists count at most 2,000 rows past the page's start).</summary>
public sealed record ListResponse<T>(IReadOnlyList<T> Items, string? NextCursor, int Total, bool TotalExact)
{
    public ListResponse(Page<T> page) : this(page.Items, page.NextCursor, page.Total, page.TotalExact) { }
}

/// <summary>
/// GET (list, one), POST, PATCH, DELETE and history for a record type, the same for every type:
/// ETags on reads and writes, If-Match required on PATCH, 201 with Location on POST.
/// </summary>
public static class RecordApi
{
    public static RouteGroupBuilder MapRecordEndpoints<TQuery, TItem, TInput, TDto>(this RouteGroupBuilder api, string segment, RecordApiSpec<TQuery, TItem, TInput, TDto> spec)
        where TInput : class
    {
        var group = api.MapGroup("/" + segment).WithTags(segment);

        group.MapGet("", async ([AsParameters] TQuery query, HttpContext http, CancellationToken ct) =>
        {
            if (query is ICustomFieldQuery<TQuery> withFields)
            {
                var filters = http.Request.Query.Where(q => q.Key.StartsWith("cf.", StringComparison.Ordinal))
                    .ToDictionary(q => q.Key[3..], q => q.Value.ToString(), StringComparer.Ordinal);
                if (filters.Count > 0) query = withFields.WithCustomFields(filters);
            }
            var page = await spec.List(http.RequestServices, query, ct);
            return TypedResults.Ok(new ListResponse<TItem>(page));
        });

        group.MapGet("/{id:guid}", async (Guid id, HttpContext http, CancellationToken ct) =>
        {
            var dto = await spec.Get(http.RequestServices, id, ct);
            http.Response.Headers.ETag = Etags.Format(spec.Key(dto).Version);
            return TypedResults.Ok(dto);
        });

        group.MapPost("", async (HttpContext http, CancellationToken ct) =>
        {
            var input = await JsonBody.ReadAsync<TInput>(http, null);
            var dto = await spec.Create(http.RequestServices, input, ct);
            var (id, version) = spec.Key(dto);
            http.Response.Headers.ETag = Etags.Format(version);
            return TypedResults.Created($"/api/v1/{segment}/{id}", dto);
        }).Accepts<TInput>("application/json");

        group.MapPatch("/{id:guid}", async (Guid id, HttpContext http, CancellationToken ct) =>
        {
            var expected = Etags.Parse(http.Request.Headers.IfMatch);
            if (expected is null)
                return Results.Problem(statusCode: StatusCodes.Status428PreconditionRequired, title: Core.Text.Get("Validation.IfMatch"));
            var current = await spec.Get(http.RequestServices, id, ct);
            var input = await JsonBody.ReadAsync(http, spec.ToInput(current));
            var dto = await spec.Update(http.RequestServices, id, expected.Value, input, ct);
            http.Response.Headers.ETag = Etags.Format(spec.Key(dto).Version);
            return Results.Ok(dto);
        }).Accepts<TInput>("application/merge-patch+json", "application/json");

        group.MapDelete("/{id:guid}", async (Guid id, HttpContext http, RecycleBinService bin, CancellationToken ct) =>
        {
            await bin.DeleteAsync(spec.Type, id, Etags.Parse(http.Request.Headers.IfMatch), ct);
            return TypedResults.NoContent();
        });

        group.MapGet("/{id:guid}/history", async (Guid id, Core.Audit.AuditService audit, CancellationToken ct) =>
            TypedResults.Ok(new { items = await audit.GetHistoryAsync(spec.Type, id, ct) }));

        return group;
    }
}
