using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Motiv.Core.Customers;
using Motiv.Core.Data;

namespace Motiv.Core.Search;

public sealed record SearchHit(string Type, Guid Id, string Title, string? Subtitle);

/// <summary>
/// The global search: prefix matches from the full-text index first, then typo-tolerant trigram
/// matches. The index only proposes candidates; which of them the user sees is decided by loading
/// them through the access-filtered sets, so search never shows (or counts) a hidden record.
/// </summary>
public sealed class SearchService(IDbContextFactory<MotivDbContext> dbFactory)
{
    private const int CandidateBatch = 200;
    private const double MinSimilarity = 0.3;
    private static readonly (bool TitlesOnly, bool Prefix)[] Phases = [(true, false), (true, true), (false, false), (false, true)];

    public async Task<IReadOnlyList<SearchHit>> SearchAsync(string? query, int limit = 20, CancellationToken ct = default)
    {
        limit = Math.Clamp(limit, 1, 100);
        var tokens = SearchText.Tokens(query);
        if (tokens.Count == 0) return [];
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await db.Database.OpenConnectionAsync(ct);
        // PostgreSQL, asked for a page of a word it thinks common, plans a sequential scan that stops after the page.
        // Several searches at once would join one another's scan mid-table (synchronize_seqscans) and each read most
        // of the table before it found its page: 3–30 s per search under load at full scale. In the search's own
        // (reading) transaction each scan starts at the table's start instead (ADR-007 decision 24).
        await using var tx = db.IsSqlite ? null : await db.Database.BeginTransactionAsync(ct);
        if (tx is not null) await db.Database.ExecuteSqlRawAsync("SET LOCAL synchronize_seqscans = off", ct);

        var hits = new List<SearchHit>();
        var seen = new HashSet<Guid>();
        var folded = SearchText.Fold(query);
        // Names first, then all text; whole words before prefixes (a whole word is one doclist read backwards, a prefix
        // merges every word it starts); each newest first. No global ranking: at a million records a common name matches
        // a hundred thousand of them, and ranking them all costs more than the page; each batch is ordered in memory instead.
        foreach (var (titlesOnly, prefix) in Phases)
        {
            for (var offset = 0; offset < CandidateBatch * 5 && hits.Count < limit; offset += CandidateBatch)
            {
                var batch = await CandidatesAsync(db, tokens, titlesOnly, prefix, offset, ct);
                var ranked = batch.Where(c => seen.Add(c.Id)).OrderBy(c => Closeness(c.Title, folded, tokens)).ThenBy(c => c.Title.Length).ToList();
                hits.AddRange(await VisibleAsync(db, ranked, ct));
                if (batch.Count < CandidateBatch) break;
            }
        }
        // Typo tolerance only when nothing starts with what was typed: otherwise near misses would crowd out exact hits.
        if (hits.Count == 0 && !SearchText.LooksLikePhone(query))
        {
            var fuzzy = await FuzzyCandidatesAsync(db, folded, ct);
            hits.AddRange(await VisibleAsync(db, fuzzy.Where(c => seen.Add(c.Id)).ToList(), ct));
        }
        if (tx is not null) await tx.CommitAsync(ct);
        return hits.Take(limit).ToList();
    }

    /// <summary>How closely a (folded) title matches: the whole query, its start, every word's start, the text only.</summary>
    private static int Closeness(string title, string folded, IReadOnlyList<string> tokens) =>
        title == folded ? 0
        : title.StartsWith(folded, StringComparison.Ordinal) ? 1
        : tokens.All(t => title.StartsWith(t, StringComparison.Ordinal) || title.Contains(" " + t, StringComparison.Ordinal)) ? 2
        : 3;

    /// <summary>A record the index proposes: its id, type (so only the sets of the types found are asked) and folded title.</summary>
    private readonly record struct Candidate(Guid Id, string Type, string Title);

    private static async Task<List<Candidate>> CandidatesAsync(MotivDbContext db, IReadOnlyList<string> tokens, bool titlesOnly, bool prefix, int offset, CancellationToken ct)
    {
        // Newest first by the index's own order, so the database stops after one batch (FTS5 reads rowids backwards; PostgreSQL stops the scan).
        var sql = db.IsSqlite
            ? "SELECT d.entity_id, d.entity_type, f.title FROM search_fts f JOIN search_docs d ON d.rowid = f.rowid WHERE search_fts MATCH @q ORDER BY f.rowid DESC LIMIT @n OFFSET @o"
            : titlesOnly
                ? "SELECT entity_id, entity_type, title FROM search_documents WHERE title_tsv @@ to_tsquery('simple', @q) LIMIT @n OFFSET @o"
                : "SELECT entity_id, entity_type, title FROM search_documents WHERE tsv @@ to_tsquery('simple', @q) LIMIT @n OFFSET @o";
        var star = prefix ? (db.IsSqlite ? "*" : ":*") : "";
        var match = db.IsSqlite
            ? string.Join(" AND ", tokens.Select(t => $"\"{t}\"{star}"))
            : string.Join(" & ", tokens.Select(t => $"{t}{star}"));
        if (titlesOnly && db.IsSqlite) match = $"title : ({match})";
        return await ReadIdsAsync(db, sql, ct, ("@q", match), ("@n", CandidateBatch), ("@o", offset));
    }

    private static async Task<List<Candidate>> FuzzyCandidatesAsync(MotivDbContext db, string folded, CancellationToken ct)
    {
        if (folded.Length < 3) return [];
        if (!db.IsSqlite)
        {
            return await ReadIdsAsync(db,
                "SELECT entity_id, entity_type, title FROM search_documents WHERE title % @q ORDER BY similarity(title, @q) DESC LIMIT @n",
                ct, ("@q", folded), ("@n", CandidateBatch));
        }
        // SQLite: the trigram index finds titles sharing any trigram; the similarity decides, as pg_trgm does.
        var grams = folded.Split(' ').Where(w => w.Length >= 3)
            .SelectMany(w => Enumerable.Range(0, w.Length - 2).Select(i => w.Substring(i, 3))).Distinct().ToList();
        if (grams.Count == 0) return [];
        var match = string.Join(" OR ", grams.Select(g => $"\"{g}\""));
        var result = new List<(Candidate Candidate, double Score)>();
        await using var cmd = SearchIndexer.Command(db.Database.GetDbConnection(), null,
            "SELECT d.entity_id, t.title, d.entity_type FROM search_trgm t JOIN search_docs d ON d.rowid = t.rowid WHERE search_trgm MATCH @q ORDER BY t.rank LIMIT @n",
            ("@q", match), ("@n", CandidateBatch));
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var score = SearchText.Similarity(folded, reader.GetString(1));
            if (score >= MinSimilarity) result.Add((new Candidate(Guid.Parse(reader.GetString(0)), reader.GetString(2), reader.GetString(1)), score));
        }
        return result.OrderByDescending(r => r.Score).Select(r => r.Candidate).ToList();
    }

    private static async Task<List<Candidate>> ReadIdsAsync(MotivDbContext db, string sql, CancellationToken ct, params (string, object?)[] parameters)
    {
        var ids = new List<Candidate>();
        await using var cmd = SearchIndexer.Command(db.Database.GetDbConnection(), db.Database.CurrentTransaction?.GetDbTransaction(), sql, parameters);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            ids.Add(new Candidate(db.IsSqlite ? Guid.Parse(reader.GetString(0)) : reader.GetGuid(0), reader.GetString(1), reader.GetString(2)));
        return ids;
    }

    private static async Task<List<SearchHit>> VisibleAsync(MotivDbContext db, List<Candidate> candidates, CancellationToken ct)
    {
        if (candidates.Count == 0) return [];
        var hits = new List<SearchHit>();
        // One query per type found among the candidates, through the access-filtered set of that type.
        foreach (var group in candidates.GroupBy(c => c.Type))
        {
            var ids = group.Select(c => c.Id).ToList();
            hits.AddRange(group.Key switch
            {
                Organization.Type => await db.Organizations.AsNoTracking().Where(o => ids.Contains(o.Id))
                    .Select(o => new SearchHit(Organization.Type, o.Id, o.Name, o.City)).ToListAsync(ct),
                Person.Type => await db.People.AsNoTracking().Where(p => ids.Contains(p.Id))
                    .Select(p => new SearchHit(Person.Type, p.Id, p.FirstName + " " + p.LastName, p.PrimaryEmail ?? p.City)).ToListAsync(ct),
                Sales.Lead.Type => await db.Leads.AsNoTracking().Where(l => ids.Contains(l.Id))
                    .Select(l => new SearchHit(Sales.Lead.Type, l.Id, (l.FirstName == null ? "" : l.FirstName + " ") + l.LastName, l.CompanyName ?? l.Email)).ToListAsync(ct),
                Sales.Deal.Type => await db.Deals.AsNoTracking().Where(d => ids.Contains(d.Id))
                    .Select(d => new SearchHit(Sales.Deal.Type, d.Id, d.Title, db.Organizations.Where(o => o.Id == d.OrganizationId).Select(o => o.Name).FirstOrDefault())).ToListAsync(ct),
                Sales.Quote.Type => await db.Quotes.AsNoTracking().Where(q => ids.Contains(q.Id))
                    .Select(q => new SearchHit(Sales.Quote.Type, q.Id, q.Number, db.Organizations.Where(o => o.Id == q.OrganizationId).Select(o => o.Name).FirstOrDefault())).ToListAsync(ct),
                Sales.Order.Type => await db.Orders.AsNoTracking().Where(o => ids.Contains(o.Id))
                    .Select(x => new SearchHit(Sales.Order.Type, x.Id, x.Number, db.Organizations.Where(o => o.Id == x.OrganizationId).Select(o => o.Name).FirstOrDefault())).ToListAsync(ct),
                Communication.Interaction.Type => await db.Interactions.AsNoTracking().Where(x => ids.Contains(x.Id))
                    .Select(x => new SearchHit(Communication.Interaction.Type, x.Id, x.Subject, x.BodyText == null ? null : x.BodyText.Substring(0, Math.Min(x.BodyText.Length, 80)))).ToListAsync(ct),
                _ => [],
            });
        }
        var order = candidates.Select((c, i) => (c.Id, i)).ToDictionary(x => x.Id, x => x.i);
        return hits.OrderBy(h => order[h.Id]).ToList();
    }
}
