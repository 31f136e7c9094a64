using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Motiv.Core;
using Motiv.Core.Common;

namespace Motiv.Web.Api;

/// <summary>
/// Reads a record's JSON body. POST starts from an empty record, PATCH from the current one (JSON
/// merge patch, RFC 7396): only the fields sent change. Unknown fields are refused by name; the
/// server's own fields (id, version, stamps) are ignored unless the record has them as input, so a client can send back what it read.
/// </summary>
public static class JsonBody
{
    private static readonly HashSet<string> ServerFields =
        ["id", "version", "createdAt", "createdById", "updatedAt", "updatedById", "displayName", "deletedAt", "deletedById"];

    public static async Task<T> ReadAsync<T>(HttpContext http, T? current)
    {
        var options = http.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        JsonNode? patch;
        try
        {
            patch = await JsonNode.ParseAsync(http.Request.Body, cancellationToken: http.RequestAborted);
        }
        catch (JsonException)
        {
            throw ValidationException.ForQuery("body", Text.Get("Validation.Json"));
        }
        if (patch is not JsonObject fields) throw ValidationException.ForQuery("body", Text.Get("Validation.Json"));

        var target = current is null ? new JsonObject() : JsonSerializer.SerializeToNode(current, options)!.AsObject();
        var known = options.GetTypeInfo(typeof(T)).Properties.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        var errors = new FieldErrors();
        foreach (var (name, value) in fields)
        {
            if (known.Contains(name)) target[name] = value?.DeepClone();
            else if (!ServerFields.Contains(name)) errors.Add(name, Text.Get("Validation.UnknownField"));
        }
        errors.ThrowIfAny();
        try
        {
            return target.Deserialize<T>(options) ?? throw ValidationException.ForQuery("body", Text.Get("Validation.Json"));
        }
        catch (JsonException e)
        {
            var field = e.Path is { Length: > 2 } path ? path[2..].Replace("['", ".").Replace("']", "") : "body";
            throw ValidationException.For(field, Text.Get("Validation.Json"));
        }
    }
}
