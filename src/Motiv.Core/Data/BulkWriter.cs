using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace Motiv.Core.Data;

/// <summary>
/// Writes many new rows of one entity straight into its table, in the context's current transaction: one prepared
/// <c>INSERT</c> reused for every row on SQLite, binary <c>COPY</c> on PostgreSQL. Columns, names and value conversions
/// come from the EF Core model, so the rows are exactly what <c>SaveChanges</c> would have written — without change
/// tracking, and without the save pipeline: callers write audit entries and search documents themselves
/// (see <see cref="Search.SearchIndexer.IndexAsync"/>).
/// </summary>
public static class BulkWriter
{
    public static Task InsertAsync<T>(MotivDbContext db, IReadOnlyCollection<T> rows, CancellationToken ct) where T : class =>
        InsertAsync(db, db.Model.FindEntityType(typeof(T)) ?? throw new ArgumentException($"{typeof(T).Name} is not an entity."), rows, ct);

    /// <summary>The rows of an owned collection (such as an order's lines), each already carrying its owner's key.</summary>
    public static Task InsertOwnedAsync<TOwner, T>(MotivDbContext db, string navigation, IReadOnlyCollection<T> rows, CancellationToken ct) where T : class =>
        InsertAsync(db, db.Model.FindEntityType(typeof(TOwner))!.FindNavigation(navigation)!.TargetEntityType, rows, ct);

    /// <summary>Below this many new rows of one kind a save goes through EF Core's own batches.</summary>
    internal const int Threshold = 50;

    /// <summary>
    /// The new entities of a save that this writer inserts, by kind, principals before their dependents: kinds with at
    /// least <see cref="Threshold"/> new rows and nothing else changed in the save (so no unique value is freed first),
    /// whose rows are exactly their properties (no shadow, computed or defaulted columns, no other kind in the table, no
    /// temporary keys), and whose new principals are inserted here too. The rest is left to EF Core.
    /// </summary>
    internal static List<List<EntityEntry>> Inserts(MotivDbContext db)
    {
        var byType = db.ChangeTracker.Entries().Where(e => e.State != EntityState.Unchanged).GroupBy(e => e.Metadata).ToDictionary(g => g.Key, g => g.ToList());
        var added = byType.Where(t => t.Value.Any(e => e.State == EntityState.Added)).Select(t => t.Key).ToHashSet();
        var result = new List<List<EntityEntry>>();
        var done = new HashSet<IEntityType>();
        var left = added.ToList();
        // Kinds whose new principals are all placed, round by round (a cycle stays with EF Core).
        for (var progress = true; progress && left.Count > 0;)
        {
            progress = false;
            foreach (var type in left.ToList())
            {
                var principals = type.GetForeignKeys().Select(fk => fk.PrincipalEntityType).Where(p => p != type && added.Contains(p)).ToList();
                if (!principals.All(done.Contains)) continue;
                left.Remove(type);
                progress = true;
                var entries = byType[type];
                if (entries.Count < Threshold || entries.Any(e => e.State != EntityState.Added || e.Properties.Any(p => p.IsTemporary)) || !Plain(db, type)) continue;
                done.Add(type);
                result.Add(entries);
            }
        }
        return result;
    }

    private static bool Plain(MotivDbContext db, IEntityType type) =>
        !type.GetProperties().Any(p => p.IsShadowProperty() || p.GetComputedColumnSql() is not null || p.GetDefaultValueSql() is not null
            || p.TryGetDefaultValue(out _) || p.ValueGenerated is ValueGenerated.OnUpdate or ValueGenerated.OnAddOrUpdate)
        && !type.GetForeignKeys().Any(fk => fk.PrincipalEntityType == type)
        && db.Model.GetEntityTypes().Count(t => t.GetTableName() == type.GetTableName() && t.GetSchema() == type.GetSchema()) == 1;

    /// <summary>Inserts the entries (from <see cref="Inserts"/>) and marks them saved; a refusal of the database is a DbUpdateException, as from SaveChanges.</summary>
    internal static async Task<int> InsertAsync(MotivDbContext db, List<List<EntityEntry>> inserts, CancellationToken ct)
    {
        var count = 0;
        foreach (var entries in inserts)
        {
            try
            {
                await InsertAsync(db, entries[0].Metadata, entries.Select(e => e.Entity), ct);
            }
            catch (DbException e)
            {
                throw new DbUpdateException(e.Message, e, entries);
            }
            count += entries.Count;
        }
        foreach (var entry in inserts.SelectMany(e => e))
        {
            // Saved: what EF Core would do on accepting an insert, the stored values become the original ones (the version is a concurrency token).
            entry.State = EntityState.Unchanged;
            foreach (var p in entry.Properties) p.OriginalValue = p.Metadata.GetValueComparer().Snapshot(p.CurrentValue);
        }
        return count;
    }

    /// <summary>After a failed save: the entries are new again, so that nothing counts as saved that the rolled-back transaction lost.</summary>
    internal static void Undo(List<List<EntityEntry>> inserts)
    {
        foreach (var entry in inserts.SelectMany(e => e).Where(e => e.State == EntityState.Unchanged)) entry.State = EntityState.Added;
    }

    private static async Task InsertAsync(MotivDbContext db, IEntityType type, IEnumerable<object> rows, CancellationToken ct)
    {
        var table = StoreObjectIdentifier.Table(type.GetTableName()!, type.GetSchema());
        var columns = type.GetProperties().Select(p =>
        {
            if (p.IsShadowProperty()) throw new NotSupportedException($"{type.DisplayName()}.{p.Name} is a shadow property.");
            var mapping = (RelationalTypeMapping)p.GetTypeMapping();
            return new Column(p.GetColumnName(table)!, mapping, p.GetGetter(), p.IsNullable);
        }).ToList();
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            if (db.IsSqlite) await InsertSqliteAsync(db, table.Name, columns, rows, ct);
            else await CopyPostgresAsync(db, table.Name, columns, rows, ct);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private sealed record Column(string Name, RelationalTypeMapping Mapping, IClrPropertyGetter Getter, bool Nullable)
    {
        public object? Value(object row)
        {
            var value = Getter.GetClrValueUsingContainingEntity(row);
            return value is null ? null : Mapping.Converter is { } converter ? converter.ConvertToProvider(value) : value;
        }
    }

    private static async Task InsertSqliteAsync(MotivDbContext db, string table, List<Column> columns, IEnumerable<object> rows, CancellationToken ct)
    {
        await using var insert = db.Database.GetDbConnection().CreateCommand();
        insert.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        insert.CommandText = $"INSERT INTO \"{table}\" ({string.Join(", ", columns.Select(c => $"\"{c.Name}\""))}) VALUES ({string.Join(", ", columns.Select((_, i) => "@p" + i))})";
        var parameters = columns.Select((c, i) =>
        {
            var p = c.Mapping.CreateParameter(insert, "@p" + i, null, c.Nullable);
            insert.Parameters.Add(p);
            return p;
        }).ToArray();
        await insert.PrepareAsync(ct);
        foreach (var row in rows)
        {
            for (var i = 0; i < columns.Count; i++) parameters[i].Value = columns[i].Value(row) ?? DBNull.Value;
            await insert.ExecuteNonQueryAsync(ct);
        }
    }

    private static async Task CopyPostgresAsync(MotivDbContext db, string table, List<Column> columns, IEnumerable<object> rows, CancellationToken ct)
    {
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        var types = columns.Select(c => StoreType(c.Mapping.StoreType)).ToArray();
        await using var copy = await connection.BeginBinaryImportAsync(
            $"COPY \"{table}\" ({string.Join(", ", columns.Select(c => $"\"{c.Name}\""))}) FROM STDIN (FORMAT BINARY)", ct);
        foreach (var row in rows)
        {
            await copy.StartRowAsync(ct);
            for (var i = 0; i < columns.Count; i++)
            {
                if (columns[i].Value(row) is { } value) await copy.WriteAsync(value, types[i], ct);
                else await copy.WriteNullAsync(ct);
            }
        }
        await copy.CompleteAsync(ct);
    }

    /// <summary>"numeric(18,2)" is written as "numeric", "character varying(200)" as "character varying".</summary>
    private static string StoreType(string storeType) => storeType.IndexOf('(') is var open and > 0 ? storeType[..open] : storeType;
}
