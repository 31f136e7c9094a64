using Microsoft.EntityFrameworkCore;
using Motiv.Core.Common;
using Motiv.Core.Data;

namespace Motiv.Core.Audit;

/// <summary>Reads the audit log. Entries are written by the save pipeline only.</summary>
public sealed class AuditService(IDbContextFactory<MotivDbContext> dbFactory)
{
    /// <summary>The history of a record the current user may see (also while it is in the recycle bin), newest first.</summary>
    public async Task<IReadOnlyList<HistoryEntry>> GetHistoryAsync(string type, Guid id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await RecordTypes.Query(db, type, includeDeleted: true).AnyAsync(r => r.Id == id, ct))
            throw new NotFoundException(type, id);
        return await QueryHistoryAsync(db, id, sinceVersion: 0, ct);
    }

    internal static async Task<IReadOnlyList<HistoryEntry>> QueryHistoryAsync(MotivDbContext db, Guid id, long sinceVersion, CancellationToken ct)
    {
        var entries = await db.AuditEntries.AsNoTracking()
            .Where(a => a.RecordId == id && a.Version > sinceVersion)
            .OrderByDescending(a => a.Version)
            .ToListAsync(ct);
        var userIds = entries.Select(e => e.UserId).Distinct().ToList();
        var names = await db.Users.AsNoTracking().Where(u => userIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
        return entries.Select(e => new HistoryEntry(e.At, e.UserId, names.GetValueOrDefault(e.UserId) ?? "Motiv", e.Action, e.Version, e.Changes)).ToList();
    }
}
