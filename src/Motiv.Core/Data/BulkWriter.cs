using System.Data.Common;
using Microsoft.EntityFrameworkCore;
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
