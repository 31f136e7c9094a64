using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Motiv.Core.Common;
using Motiv.Core.Customers;
using Motiv.Core.Data;

namespace Motiv.Core.Search;

/// <summary>
/// Keeps the search index (SQLite FTS5 tables, PostgreSQL tsvector + pg_trgm table) in step with
/// the records, inside the same transaction as the save. Records in the recycle bin are not indexed.
/// </summary>
public static class SearchIndexer
{
    /// <summary>A record's search document to write (or to remove: no title); <paramref name="New"/>: the record has none yet.</summary>
    internal sealed record Work(Guid Id, string Type, string? Title, string? Body, bool New = false)
    {
        public bool Remove => Title is null;
    }

    internal static List<Work> Collect(MotivDbContext db) =>
        db.ChangeTracker.Entries<Record>()
            .Where(e => e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted && IsIndexed(e.Entity))
            .Select(e => e.State == EntityState.Deleted || e.Entity.DeletedAt is not null
                ? new Work(e.Entity.Id, e.Entity.RecordType, null, null)
                : Document(e.Entity) with { New = e.State == EntityState.Added })
            .ToList();

    /// <summary>The records global search finds.</summary>
    private static bool IsIndexed(Record r) =>
        r is Organization or Person or Sales.Lead or Sales.Deal or Sales.Quote or Sales.Order or Communication.Interaction;

    private static Work Document(Record r)
    {
        var body = new List<string?> { string.Join(' ', TagList.FromStored(r.Tags)) };
        switch (r)
        {
            case Organization o:
                body.AddRange([o.VatId, o.TaxNumber, o.ExternalId, o.Industry, o.City, o.Website]);
                body.AddRange(o.Emails.Select(e => e.Address));
                body.AddRange(o.Phones.SelectMany(p => SearchText.PhoneTerms(p.Number)));
                break;
            case Person p:
                body.AddRange([p.ExternalId, p.City]);
                body.AddRange(p.Emails.Select(e => e.Address));
                body.AddRange(p.Phones.SelectMany(n => SearchText.PhoneTerms(n.Number)));
                break;
            case Sales.Lead l:
                body.AddRange([l.Email, l.VatId, l.City, l.Industry]);
                if (l.Phone is not null) body.AddRange(SearchText.PhoneTerms(l.Phone));
                break;
            case Sales.Deal d:
                body.Add(d.Competitor);
                break;
            case Communication.Interaction i:
                body.Add(i.BodyText is { Length: > 20_000 } text ? text[..20_000] : i.BodyText);
                body.Add(i.Outcome);
                break;
        }
        return new Work(r.Id, r.RecordType, SearchText.Fold(r.DisplayName), SearchText.Fold(string.Join(' ', body.Where(s => !string.IsNullOrEmpty(s)))));
    }

    /// <summary>Indexes new records written without the save pipeline (see <see cref="BulkWriter"/>), in the context's current transaction.</summary>
    public static Task IndexAsync(MotivDbContext db, IEnumerable<Record> records, CancellationToken ct) =>
        ApplyAsync(db, [.. records.Where(r => IsIndexed(r) && r.DeletedAt is null).Select(r => Document(r) with { New = true })], ct);

    /// <summary>
    /// Writes the documents in the context's current transaction: changed and removed records' old documents go first,
    /// then the new documents with statements prepared once and reused for every record on SQLite, binary COPY on PostgreSQL.
    /// </summary>
    internal static async Task ApplyAsync(MotivDbContext db, List<Work> work, CancellationToken ct)
    {
        if (work.Count == 0) return;
        var connection = db.Database.GetDbConnection();
        var tx = db.Database.CurrentTransaction?.GetDbTransaction();
        var changed = work.Where(w => !w.New).ToList();
        var added = work.Where(w => !w.Remove).ToList();
        if (db.IsSqlite)
        {
            if (changed.Count > 0)
            {
                await using var remove = Command(connection, tx, """
                    DELETE FROM search_fts WHERE rowid = (SELECT rowid FROM search_docs WHERE entity_id = @id);
                    DELETE FROM search_trgm WHERE rowid = (SELECT rowid FROM search_docs WHERE entity_id = @id);
                    DELETE FROM search_docs WHERE entity_id = @id;
                    """, ("@id", ""));
                foreach (var w in changed)
                {
                    remove.Parameters[0].Value = w.Id.ToString().ToUpperInvariant();
                    await remove.ExecuteNonQueryAsync(ct);
                }
            }
            if (added.Count == 0) return;
            await using var doc = Command(connection, tx, "INSERT INTO search_docs(entity_id, entity_type) VALUES (@id, @type)", ("@id", ""), ("@type", ""));
            await using var fts = Command(connection, tx, "INSERT INTO search_fts(rowid, title, body) VALUES (last_insert_rowid(), @title, @body)", ("@title", ""), ("@body", ""));
            await using var trgm = Command(connection, tx, "INSERT INTO search_trgm(rowid, title) VALUES ((SELECT rowid FROM search_docs WHERE entity_id = @id), @title)", ("@id", ""), ("@title", ""));
            foreach (var w in added)
            {
                doc.Parameters[0].Value = w.Id.ToString().ToUpperInvariant();
                doc.Parameters[1].Value = w.Type;
                await doc.ExecuteNonQueryAsync(ct);
                fts.Parameters[0].Value = w.Title;
                fts.Parameters[1].Value = w.Body ?? (object)DBNull.Value;
                await fts.ExecuteNonQueryAsync(ct);
                trgm.Parameters[0].Value = doc.Parameters[0].Value;
                trgm.Parameters[1].Value = w.Title;
                await trgm.ExecuteNonQueryAsync(ct);
            }
            return;
        }
        foreach (var w in changed)
        {
            if (w.Remove) await Exec(connection, tx, "DELETE FROM search_documents WHERE entity_id = @id", ct, ("@id", w.Id));
            else await Exec(connection, tx, """
                INSERT INTO search_documents(entity_id, entity_type, title, body) VALUES (@id, @type, @title, @body)
                ON CONFLICT (entity_id) DO UPDATE SET title = excluded.title, body = excluded.body
                """, ct, ("@id", w.Id), ("@type", w.Type), ("@title", w.Title), ("@body", w.Body));
        }
        var fresh = added.Where(w => w.New).ToList();
        if (fresh.Count == 0) return;
        await using var copy = await ((Npgsql.NpgsqlConnection)connection).BeginBinaryImportAsync("COPY search_documents (entity_id, entity_type, title, body) FROM STDIN (FORMAT BINARY)", ct);
        foreach (var w in fresh)
        {
            await copy.StartRowAsync(ct);
            await copy.WriteAsync(w.Id, NpgsqlTypes.NpgsqlDbType.Uuid, ct);
            await copy.WriteAsync(w.Type, NpgsqlTypes.NpgsqlDbType.Text, ct);
            await copy.WriteAsync(w.Title ?? "", NpgsqlTypes.NpgsqlDbType.Text, ct);
            await copy.WriteAsync(w.Body ?? "", NpgsqlTypes.NpgsqlDbType.Text, ct);
        }
        await copy.CompleteAsync(ct);
    }

    internal static async Task Exec(DbConnection c, DbTransaction? tx, string sql, CancellationToken ct, params (string Name, object? Value)[] parameters)
    {
        await using var cmd = Command(c, tx, sql, parameters);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    internal static DbCommand Command(DbConnection c, DbTransaction? tx, string sql, params (string Name, object? Value)[] parameters)
    {
        var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.Transaction = tx;
        foreach (var (name, value) in parameters)
        {
            var p = cmd.CreateParameter();
            p.ParameterName = name;
            p.Value = value ?? DBNull.Value;
            cmd.Parameters.Add(p);
        }
        return cmd;
    }
}
