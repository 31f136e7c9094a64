using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Motiv.Core.Data;

namespace Motiv.Core.Common;

public sealed class RecycleBinOptions
{
    /// <summary>Days a deleted record stays restorable before it is purged for good.</summary>
    public int RetentionDays { get; set; } = 30;
}

public sealed record DeletedItem(string Type, Guid Id, string Title, DateTimeOffset DeletedAt, Guid? DeletedById, DateTimeOffset PurgeAt, long Version);

/// <summary>Deleting moves a record to the recycle bin; it can be restored until it is purged after the retention period.</summary>
public sealed class RecycleBinService(IDbContextFactory<MotivDbContext> dbFactory, IOptions<RecycleBinOptions> options, TimeProvider clock)
{
    public async Task DeleteAsync(string type, Guid id, long? expectedVersion, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var record = await Records.FindForUpdateAsync(db, RecordTypes.Query(db, type), id, expectedVersion, ct);
        record.DeletedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
    }

    public async Task RestoreAsync(string type, Guid id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var record = await Records.FindAsync(RecordTypes.Query(db, type, includeDeleted: true).Where(r => r.DeletedAt != null), id, ct);
        record.DeletedAt = null;
        await db.SaveChangesAsync(ct);
    }

    /// <summary>What the user may see in the recycle bin, most recently deleted first.</summary>
    public async Task<IReadOnlyList<DeletedItem>> ListAsync(int limit = 200, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var days = options.Value.RetentionDays;
        var items = new List<DeletedItem>();
        foreach (var type in RecordTypes.All)
        {
            var rows = await RecordTypes.Query(db, type, includeDeleted: true).AsNoTracking().Where(r => r.DeletedAt != null)
                .OrderByDescending(r => r.DeletedAt).Take(limit).ToListAsync(ct);
            items.AddRange(rows.Select(r => new DeletedItem(type, r.Id, r.DisplayName, r.DeletedAt!.Value, r.DeletedById, r.DeletedAt.Value.AddDays(days), r.Version)));
        }
        return items.OrderByDescending(i => i.DeletedAt).Take(limit).ToList();
    }

    /// <summary>Erases records deleted longer ago than the retention period. Runs as Motiv itself (the caller's context must have the system scope).</summary>
    public async Task<int> PurgeExpiredAsync(MotivDbContext systemDb, CancellationToken ct = default)
    {
        var cutoff = clock.GetUtcNow().AddDays(-options.Value.RetentionDays);
        var purged = 0;
        // One transaction: the values deleted right away and the records removed by the save go together or not at all.
        await using var transaction = await systemDb.Database.BeginTransactionAsync(ct);
        foreach (var type in RecordTypes.All)
        {
            var expired = await RecordTypes.Query(systemDb, type, includeDeleted: true).Where(r => r.DeletedAt != null && r.DeletedAt < cutoff).ToListAsync(ct);
            if (type == Customers.Organization.Type)
            {
                // Quotes and orders are business documents that must be kept: their customer stays (in the recycle bin) with them.
                var candidates = expired.Select(r => r.Id).ToList();
                var kept = await systemDb.Quotes.IgnoreQueryFilters().Where(q => candidates.Contains(q.OrganizationId)).Select(q => q.OrganizationId)
                    .Union(systemDb.Orders.IgnoreQueryFilters().Where(o => candidates.Contains(o.OrganizationId)).Select(o => o.OrganizationId)).ToListAsync(ct);
                expired.RemoveAll(r => kept.Contains(r.Id));
            }
            var ids = expired.Select(r => r.Id).ToList();
            // What hangs on a record without a foreign key goes with it: its custom field values and relationships.
            await systemDb.CustomFieldValues.Where(v => ids.Contains(v.RecordId)).ExecuteDeleteAsync(ct);
            systemDb.RemoveRange(await systemDb.Relationships.IgnoreQueryFilters().Where(r => ids.Contains(r.FromId) || ids.Contains(r.ToId)).ToListAsync(ct));
            systemDb.RemoveRange(expired);
            purged += expired.Count;
        }
        await systemDb.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return purged;
    }
}
