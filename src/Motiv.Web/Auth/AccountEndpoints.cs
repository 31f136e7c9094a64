using System.Security.Claims;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Localization;
using Microsoft.EntityFrameworkCore;
using Motiv.Core.Common;
using Motiv.Core.Identity;

namespace Motiv.Web.Auth;

/// <summary>The plain form posts behind the login, logout, first-run setup and language switch.</summary>
public static class AccountEndpoints
{
    public static void MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/account/login", async (HttpContext http, SignInManager<MotivUser> signIn, UserManager<MotivUser> users) =>
        {
            var form = await ReadFormAsync(http);
            var returnUrl = LocalUrl(form["returnUrl"]);
            var user = await users.FindByEmailAsync(form["email"].ToString().Trim());
            if (user is null || !user.IsActive) return Results.LocalRedirect(LoginUrl("invalid", returnUrl));
            var result = await signIn.PasswordSignInAsync(user, form["password"].ToString(), isPersistent: false, lockoutOnFailure: true);
            if (result.IsLockedOut) return Results.LocalRedirect(LoginUrl("locked", returnUrl));
            if (!result.Succeeded) return Results.LocalRedirect(LoginUrl("invalid", returnUrl));
            if (user.Culture is { Length: > 0 } culture) SetCultureCookie(http, culture);
            return Results.LocalRedirect(returnUrl);
        });

        app.MapPost("/account/logout", async (HttpContext http, SignInManager<MotivUser> signIn) =>
        {
            await ReadFormAsync(http);
            await signIn.SignOutAsync();
            return Results.LocalRedirect("/login");
        });

        // Only sets the cookie (a link anyone could forge changes nothing stored); the signed-in user's
        // preference is saved by the user menu itself (UserAdminService.SetMyCultureAsync).
        app.MapGet("/account/culture", (string culture, string? returnUrl, HttpContext http) =>
        {
            if (culture is not ("de" or "en")) return Results.BadRequest();
            SetCultureCookie(http, culture);
            return Results.LocalRedirect(LocalUrl(returnUrl));
        });

        app.MapPost("/account/setup", async (HttpContext http, UserAdminService admin, SignInManager<MotivUser> signIn, UserManager<MotivUser> users) =>
        {
            var form = await ReadFormAsync(http);
            try
            {
                var created = await admin.SetupFirstAdministratorAsync(new UserInput
                {
                    Email = form["email"], DisplayName = form["displayName"], Password = form["password"],
                });
                http.RequestServices.GetRequiredService<SetupState>().Done = true;
                await signIn.SignInAsync((await users.FindByIdAsync(created.Id.ToString()))!, isPersistent: false);
                return Results.LocalRedirect("/");
            }
            catch (ValidationException e)
            {
                var errors = string.Join(" ", e.Errors.SelectMany(x => x.Value));
                return Results.LocalRedirect("/setup?error=" + Uri.EscapeDataString(errors));
            }
            catch (AccessDeniedException)
            {
                return Results.LocalRedirect("/login");
            }
        });
    }

    /// <summary>The posted form, after its antiforgery token was checked (a forged post fails with 400).</summary>
    private static async Task<IFormCollection> ReadFormAsync(HttpContext http)
    {
        await http.RequestServices.GetRequiredService<IAntiforgery>().ValidateRequestAsync(http);
        return await http.Request.ReadFormAsync();
    }

    /// <summary>Until the first administrator exists, every page leads to the setup page.</summary>
    public static async Task RedirectToSetupAsync(HttpContext http, Func<Task> next)
    {
        var path = http.Request.Path;
        var state = http.RequestServices.GetRequiredService<SetupState>();
        if (!state.Done && !path.StartsWithSegments("/setup") && !path.StartsWithSegments("/account/setup") && !path.StartsWithSegments("/api")
            && !path.StartsWithSegments("/health") && !path.StartsWithSegments("/_content") && !path.StartsWithSegments("/_framework") && !Path.HasExtension(path))
        {
            var users = http.RequestServices.GetRequiredService<UserManager<MotivUser>>();
            state.Done = await users.Users.AnyAsync(http.RequestAborted);
            if (!state.Done)
            {
                http.Response.Redirect("/setup");
                return;
            }
        }
        await next();
    }

    /// <summary>Loads the request user's scope; a deactivated user's cookie is dropped on the spot.</summary>
    public static async Task LoadCurrentUserAsync(HttpContext http, Func<Task> next)
    {
        var current = http.RequestServices.GetRequiredService<CurrentUser>();
        var row = http.User.Identity?.AuthenticationType == BearerTokenHandler.SchemeName ? http.Items[CurrentUser.UserRowItem] as Core.Access.UserRow : null;
        if (!await current.LoadAsync(http.User, http.RequestAborted, row))
        {
            await http.RequestServices.GetRequiredService<SignInManager<MotivUser>>().SignOutAsync();
            http.User = new ClaimsPrincipal(new ClaimsIdentity());
        }
        await next();
    }

    public static void SetCultureCookie(HttpContext http, string culture) =>
        http.Response.Cookies.Append(CookieRequestCultureProvider.DefaultCookieName,
            CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(culture)),
            new CookieOptions { Expires = DateTimeOffset.UnixEpoch.AddYears(100), IsEssential = true, SameSite = SameSiteMode.Lax, HttpOnly = true });

    private static string LocalUrl(string? url) => url is { Length: > 0 } u && u.StartsWith('/') && !u.StartsWith("//", StringComparison.Ordinal) && !u.StartsWith("/\\", StringComparison.Ordinal) ? u : "/";

    private static string LoginUrl(string error, string returnUrl) => $"/login?error={error}&returnUrl={Uri.EscapeDataString(returnUrl)}";
}

/// <summary>Whether the first administrator exists; once true, the setup check costs nothing.</summary>
public sealed class SetupState
{
    public volatile bool Done;
}
