namespace Motiv.Web.Api;

/// <summary>
/// The endpoints of settings-like things (views, mail templates, mailboxes, forms, webhooks) whose service has one
/// <c>SaveAsync(Guid? id, TInput)</c> that creates (id null) or changes: <c>POST</c> (201 with Location), <c>PATCH /{id}</c>,
/// and <c>DELETE /{id}</c> when the service can delete.
/// </summary>
public static class SaveEndpoints
{
    public static void MapSaveEndpoints<TService, TInput, TDto>(this RouteGroupBuilder group, string location,
        Func<TService, Guid?, TInput, CancellationToken, Task<TDto>> save, Func<TDto, Guid> idOf, Func<TService, Guid, CancellationToken, Task>? delete = null)
        where TService : notnull where TInput : class
    {
        group.MapPost("", async (HttpContext http, TService s, CancellationToken ct) =>
        {
            var saved = await save(s, null, await JsonBody.ReadAsync<TInput>(http, null), ct);
            return TypedResults.Created($"{location}/{idOf(saved)}", saved);
        });
        group.MapPatch("/{id:guid}", async (Guid id, HttpContext http, TService s, CancellationToken ct) =>
            TypedResults.Ok(await save(s, id, await JsonBody.ReadAsync<TInput>(http, null), ct)));
        if (delete is null) return;
        group.MapDelete("/{id:guid}", async (Guid id, TService s, CancellationToken ct) =>
        {
            await delete(s, id, ct);
            return TypedResults.NoContent();
        });
    }
}
