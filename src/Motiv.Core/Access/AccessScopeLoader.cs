using Microsoft.EntityFrameworkCore;
using Motiv.Core.Data;

namespace Motiv.Core.Access;

/// <summary>An active user's scope with the name and time zone the UI shows.</summary>
public sealed record LoadedUser(AccessScope Scope, string DisplayName, string TimeZone);

/// <summary>Reads a user's roles and teams into an <see cref="AccessScope"/>; an unknown or deactivated user gets none.</summary>
public static class AccessScopeLoader
{
    public static async Task<AccessScope?> LoadAsync(MotivDbContext db, Guid userId, CancellationToken ct = default) =>
        (await LoadUserAsync(db, userId, ct))?.Scope;

    /// <summary>The user (with name and time zone), roles and teams: null when the user does not exist or is deactivated.</summary>
    public static async Task<LoadedUser?> LoadUserAsync(MotivDbContext db, Guid userId, CancellationToken ct = default)
    {
        var user = await db.Users.AsNoTracking().Where(u => u.Id == userId && u.IsActive).Select(u => new { u.DisplayName, u.TimeZone }).FirstOrDefaultAsync(ct);
        if (user is null) return null;
        var roles = await db.UserRoles.AsNoTracking().Where(ur => ur.UserId == userId)
            .Join(db.Roles, ur => ur.RoleId, r => r.Id, (ur, r) => r.Name!).ToListAsync(ct);
        var teams = await db.TeamMembers.AsNoTracking().Where(m => m.UserId == userId)
            .Join(db.Teams, m => m.TeamId, t => t.Id, (m, t) => new { t.Id, t.Name })
            .OrderBy(t => t.Name).Select(t => t.Id).ToListAsync(ct);
        return new LoadedUser(AccessScope.ForUser(userId, roles, teams), user.DisplayName, user.TimeZone);
    }
}
