using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Motiv.Core.Identity;

namespace Motiv.Web.Auth;

/// <summary>Authenticates "Authorization: Bearer motiv_…" against the hashed tokens in the database.</summary>
public sealed class BearerTokenHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, TokenService tokens)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Bearer";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return AuthenticateResult.NoResult();
        var principal = await tokens.ValidateAsync(header["Bearer ".Length..].Trim(), Context.RequestAborted);
        if (principal is null) return AuthenticateResult.Fail("Invalid, expired or revoked token.");
        var identity = new ClaimsIdentity(
        [
            new Claim(ClaimTypes.NameIdentifier, principal.UserId.ToString()),
            new Claim(CurrentUser.ReadOnlyTokenClaim, principal.ReadOnly ? "true" : "false"),
        ], SchemeName);
        // The user's row came with the token (same query, this request): CurrentUser need not read it again.
        Context.Items[CurrentUser.UserRowItem] = principal.User;
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }
}
