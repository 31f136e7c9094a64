using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.EntityFrameworkCore;
using Motiv.Core.Access;
using Motiv.Core.Data;

namespace Motiv.Web.Auth;

/// <summary>
/// The signed-in user of this request (API, form post) or Blazor circuit. The scope is read from the
/// database on every request and every circuit event, so role and team changes and deactivation
/// take effect at once.
/// </summary>
public sealed class CurrentUser(IDbContextFactory<MotivDbContext> dbFactory) : ICurrentUser
{
    public const string ReadOnlyTokenClaim = "motiv:token_readonly";

    /// <summary>HttpContext item: the user's row as read with the bearer token in this request.</summary>
    public const string UserRowItem = "motiv:user_row";

    public AccessScope Scope { get; private set; } = AccessScope.Anonymous;

    /// <summary>True when the request came with a read-only personal access token.</summary>
    public bool ReadOnlyToken { get; private set; }

    public Guid? UserId => Scope.IsAuthenticated ? Scope.UserId : null;

    public string DisplayName { get; private set; } = "";

    /// <summary>The user's time zone: every instant is shown in it.</summary>
    public TimeZoneInfo TimeZone { get; private set; } = TimeZoneInfo.Utc;

    /// <summary>The user's wall-clock time of an instant.</summary>
    public DateTime ToLocal(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, TimeZone).DateTime;

    /// <summary>The instant of a wall-clock time in the user's time zone.</summary>
    public DateTimeOffset FromLocal(DateTime local) =>
        new(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), TimeZone.GetUtcOffset(DateTime.SpecifyKind(local, DateTimeKind.Unspecified)));

    public string Local(DateTimeOffset at, string format = "g") => TimeZoneInfo.ConvertTime(at, TimeZone).ToString(format, System.Globalization.CultureInfo.CurrentCulture);

    /// <summary>
    /// Loads the scope of <paramref name="principal"/>; false when the user is unknown or deactivated.
    /// The scope is replaced in one step at the end, because in a Blazor circuit other work may read it
    /// while this one waits for the database.
    /// </summary>
    public async Task<bool> LoadAsync(ClaimsPrincipal principal, CancellationToken ct = default, UserRow? row = null)
    {
        if (principal.Identity?.IsAuthenticated != true || !Guid.TryParse(principal.FindFirstValue(ClaimTypes.NameIdentifier), out var userId))
        {
            (Scope, ReadOnlyToken) = (AccessScope.Anonymous, false);
            return true;
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var user = row is not null ? await AccessScopeLoader.WithMembershipsAsync(db, userId, row, ct) : await AccessScopeLoader.LoadUserAsync(db, userId, ct);
        if (user is null)
        {
            (Scope, ReadOnlyToken) = (AccessScope.Anonymous, false);
            return false;
        }
        var readOnlyToken = principal.HasClaim(ReadOnlyTokenClaim, "true");
        DisplayName = user.DisplayName;
        TimeZone = TimeZoneInfo.TryFindSystemTimeZoneById(user.TimeZone, out var tz) ? tz : TimeZoneInfo.Utc;
        ReadOnlyToken = readOnlyToken;
        var scope = user.Scope;
        Scope = readOnlyToken ? new AccessScope(scope.UserId, true, scope.IsAdministrator, true, scope.TeamIds, scope.ManagedTeamIds, scope.Roles) : scope;
        return true;
    }

    public Task<bool> LoadAsync(AuthenticationStateProvider provider, CancellationToken ct = default) =>
        provider.GetAuthenticationStateAsync().ContinueWith(t => LoadAsync(t.Result.User, ct), ct, TaskContinuationOptions.None, TaskScheduler.Current).Unwrap();
}
