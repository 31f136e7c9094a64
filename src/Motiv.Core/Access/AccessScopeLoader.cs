using Microsoft.EntityFrameworkCore;
using Motiv.Core.Data;

namespace Motiv.Core.Access;

/// <summary>Reads a user's roles and teams into an <see cref="AccessScope"/>; an unknown or deactivated user gets none.</summary>
public static class AccessScopeLoader
{
    public static async Task<AccessScope?> LoadAsync(MotivDbContext db, Guid userId, CancellationToken ct = default)
    {
        var active = await db.Users.AsNoTracking().AnyAsync(u => u.Id == userId && u.IsActive, ct);
        if (!active) return null;
        var roles = await db.UserRoles.AsNoTracking().Where(ur => ur.UserId == userId)
            .Join(db.Roles, ur => ur.RoleId, r => r.Id, (ur, r) => r.Name!).ToListAsync(ct);
        var teams = await db.TeamMembers.AsNoTracking().Where(m => m.UserId == userId)
            .Join(db.Teams, m => m.TeamId, t => t.Id, (m, t) => new { t.Id, t.Name })
            .OrderBy(t => t.Name).Select(t => t.Id).ToListAsync(ct);
        return AccessScope.ForUser(userId, roles, teams);
    }
}
