using Microsoft.AspNetCore.Diagnostics;
using Motiv.Core;
using Motiv.Core.Common;

namespace Motiv.Web.Api;

/// <summary>Turns the domain's exceptions into RFC 9457 problem details, in the caller's language.</summary>
public sealed class ProblemExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken ct)
    {
        var (status, title, extensions) = exception switch
        {
            ValidationException v => (v.IsQuery ? StatusCodes.Status400BadRequest : StatusCodes.Status422UnprocessableEntity, Text.Get("Problem.Validation"),
                new Dictionary<string, object?> { ["errors"] = v.Errors }),
            Microsoft.AspNetCore.Antiforgery.AntiforgeryValidationException => (StatusCodes.Status400BadRequest, Text.Get("Problem.Antiforgery"), null),
            NotFoundException => (StatusCodes.Status404NotFound, Text.Get("Problem.NotFound"), null),
            Core.Communication.ConsentRequiredException c => (StatusCodes.Status422UnprocessableEntity, Text.Get("Problem.Consent"),
                new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { ["consent"] = [c.Message] } }),
            Core.Communication.MailDeliveryException m => (StatusCodes.Status502BadGateway, m.Message, null),
            AccessDeniedException a => (StatusCodes.Status403Forbidden, a.Message, null),
            ConcurrencyException c => (StatusCodes.Status412PreconditionFailed, Text.Get("Problem.Conflict"),
                new Dictionary<string, object?> { ["currentVersion"] = c.CurrentVersion, ["changes"] = c.Changes }),
            _ => (0, "", null),
        };
        if (status == 0) return false;
        context.Response.StatusCode = status;
        if (exception is ConcurrencyException ce) context.Response.Headers.ETag = Etags.Format(ce.CurrentVersion);
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            Exception = exception,
            ProblemDetails = { Status = status, Title = title, Extensions = extensions ?? new Dictionary<string, object?>() },
        });
    }
}

public static class Etags
{
    public static string Format(long version) => $"\"{version}\"";

    /// <summary>The version in an If-Match header ("3" or W/"3"); null when absent or not one of ours.</summary>
    public static long? Parse(string? header)
    {
        if (string.IsNullOrWhiteSpace(header)) return null;
        var v = header.Trim();
        if (v.StartsWith("W/", StringComparison.Ordinal)) v = v[2..];
        return long.TryParse(v.Trim('"'), out var version) ? version : null;
    }
}
