using Microsoft.EntityFrameworkCore;
using Motiv.Core.Data;

namespace Motiv.Core.Access;

/// <summary>An active user's scope with the name and time zone the UI shows.</summary>
public sealed record LoadedUser(AccessScope Scope, string DisplayName, string TimeZone);

/// <summary>What a request needs of the user's own row; <see cref="Stamp"/> is ASP.NET Identity's concurrency stamp.</summary>
public sealed record UserRow(string DisplayName, string TimeZone, string Stamp);

/// <summary>
/// Reads a user's roles and teams into an <see cref="AccessScope"/>; an unknown or deactivated user gets none. This runs on every
/// request, so the user's row is read every time (active or not, and its concurrency stamp) while the roles and teams are kept in
/// memory under that stamp: every change to them changes the stamp (<see cref="ChangedAsync"/>; ASP.NET Identity does so for roles),
/// so a node never uses what another node has changed since, and a request after the change sees it.
/// </summary>
public static class AccessScopeLoader
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(Guid User, string Stamp), (List<string> Roles, List<Guid> Teams)> Memberships = new();

    public static async Task<AccessScope?> LoadAsync(MotivDbContext db, Guid userId, CancellationToken ct = default) =>
        (await LoadUserAsync(db, userId, ct))?.Scope;

    /// <summary>The user (with name and time zone), roles and teams: null when the user does not exist or is deactivated.</summary>
    public static async Task<LoadedUser?> LoadUserAsync(MotivDbContext db, Guid userId, CancellationToken ct = default)
    {
        var user = await db.Users.AsNoTracking().Where(u => u.Id == userId && u.IsActive)
            .Select(u => new UserRow(u.DisplayName, u.TimeZone, u.ConcurrencyStamp ?? "")).FirstOrDefaultAsync(ct);
        return user is null ? null : await WithMembershipsAsync(db, userId, user, ct);
    }

    /// <summary>The scope of an active user whose row was just read (with the bearer token, in one query).</summary>
    public static async Task<LoadedUser> WithMembershipsAsync(MotivDbContext db, Guid userId, UserRow user, CancellationToken ct = default)
    {
        var key = (userId, user.Stamp);
        if (!Memberships.TryGetValue(key, out var memberships))
        {
            var roles = await db.UserRoles.AsNoTracking().Where(ur => ur.UserId == userId)
                .Join(db.Roles, ur => ur.RoleId, r => r.Id, (ur, r) => r.Name!).ToListAsync(ct);
            var teams = await db.TeamMembers.AsNoTracking().Where(m => m.UserId == userId)
                .Join(db.Teams, m => m.TeamId, t => t.Id, (m, t) => new { t.Id, t.Name })
                .OrderBy(t => t.Name).Select(t => t.Id).ToListAsync(ct);
            memberships = (roles, teams);
            // Stale stamps are never asked for again; the map is simply started afresh when it grows large.
            if (Memberships.Count > 10_000) Memberships.Clear();
            Memberships[key] = memberships;
        }
        return new LoadedUser(AccessScope.ForUser(userId, memberships.Roles, memberships.Teams), user.DisplayName, user.TimeZone);
    }

    /// <summary>Gives the users a new concurrency stamp after their team memberships changed (call it after the change is saved).</summary>
    public static Task ChangedAsync(MotivDbContext db, IReadOnlyCollection<Guid> userIds, CancellationToken ct) =>
        db.Users.Where(u => userIds.Contains(u.Id)).ExecuteUpdateAsync(s => s.SetProperty(u => u.ConcurrencyStamp, Guid.CreateVersion7().ToString()), ct);
}
