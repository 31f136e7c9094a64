using Microsoft.EntityFrameworkCore;
using Motiv.Core.Audit;
using Motiv.Core.Common;

namespace Motiv.Core.Data;

/// <summary>Loading a record to change it, with the caller's version checked before anything is changed.</summary>
internal static class Records
{
    public static async Task<T> FindAsync<T>(IQueryable<T> set, Guid id, CancellationToken ct) where T : Record =>
        await set.FirstOrDefaultAsync(r => r.Id == id, ct) ?? throw new NotFoundException(RecordTypeOf<T>(), id);

    /// <summary>The record as the current user may see it; a stale <paramref name="expectedVersion"/> fails with what changed since.</summary>
    public static async Task<T> FindForUpdateAsync<T>(MotivDbContext db, IQueryable<T> set, Guid id, long? expectedVersion, CancellationToken ct) where T : Record
    {
        var record = await FindAsync(set, id, ct);
        if (expectedVersion is { } expected && record.Version != expected)
        {
            var changes = await AuditService.QueryHistoryAsync(db, id, expected, ct);
            throw new ConcurrencyException(record.RecordType, id, expected, record.Version, changes);
        }
        return record;
    }

    private static string RecordTypeOf<T>() where T : Record => typeof(T).Name.ToLowerInvariant();
}
