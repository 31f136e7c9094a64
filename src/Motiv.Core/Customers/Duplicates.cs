using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Motiv.Core.Common;
using Motiv.Core.Data;
using Motiv.Core.Search;

namespace Motiv.Core.Customers;

/// <summary>A pair someone marked as "not the same", so scans stop showing it.</summary>
public sealed class DuplicateDismissal
{
    public string Entity { get; set; } = "";
    public Guid FirstId { get; set; }
    public Guid SecondId { get; set; }
    public Guid DismissedById { get; set; }
    public DateTimeOffset DismissedAt { get; set; }
}

public sealed record DuplicatePair(Guid FirstId, string FirstName, Guid SecondId, string SecondName, double Score, IReadOnlyList<string> Reasons);

public sealed record DismissInput(string? Entity, Guid? FirstId, Guid? SecondId);

/// <summary>
/// Finds people and organisations that are probably the same: equal normalised e-mail address (the first), equal
/// E.164 phone number, equal VAT id (organisations), and similar names — people at the same organisation, organisations
/// next to each other when sorted by their normalised name (the sorted-neighbourhood method: no pair of all records
/// is compared). Only records the user may read are compared; dismissed pairs are left out.
/// </summary>
public sealed partial class DuplicateService(IDbContextFactory<MotivDbContext> dbFactory, TimeProvider clock)
{
    public static readonly IReadOnlyList<string> Entities = ["people", "organizations"];

    /// <summary>Names closer than this (Jaro-Winkler on normalised names) count as similar.</summary>
    public const double NameThreshold = 0.92;

    private const int Window = 4;

    /// <summary>Possible duplicates among everything the user may read, most certain first.</summary>
    public async Task<IReadOnlyList<DuplicatePair>> ScanAsync(string? entity, int? limit, CancellationToken ct = default)
    {
        var kind = Entity(entity);
        var take = limit is { } l ? (l is < 1 or > Paging.MaxLimit ? throw ValidationException.ForQuery("limit", Text.Get("Validation.Range", 1, Paging.MaxLimit)) : l) : 50;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var found = new Dictionary<(Guid, Guid), (double Score, List<string> Reasons)>();
        void Add(Guid a, Guid b, double score, string reason)
        {
            if (a == b) return;
            var key = a.CompareTo(b) < 0 ? (a, b) : (b, a);
            if (!found.TryGetValue(key, out var f)) found[key] = f = (0, []);
            if (!f.Reasons.Contains(reason)) f.Reasons.Add(reason);
            found[key] = (Math.Min(1, Math.Max(f.Score, score) + (f.Score > 0 ? 0.05 : 0)), f.Reasons);
        }
        if (kind == "people")
        {
            foreach (var g in await Groups(db.People.Where(p => p.PrimaryEmail != null).Select(p => new KeyId { Key = p.PrimaryEmail!, Id = p.Id }), ct)) Pairs(g, (a, b) => Add(a, b, 0.95, Text.Get("Duplicates.Email")));
            foreach (var g in await Groups(db.People.Where(p => p.PrimaryPhone != null).Select(p => new KeyId { Key = p.PrimaryPhone!, Id = p.Id }), ct)) Pairs(g, (a, b) => Add(a, b, 0.8, Text.Get("Duplicates.Phone")));
            // Similar names among the people of one organisation.
            var staff = await db.Employments.Join(db.People, e => e.PersonId, p => p.Id, (e, p) => new { e.OrganizationId, p.Id, p.FirstName, p.LastName })
                .OrderBy(x => x.OrganizationId).ToListAsync(ct);
            foreach (var org in staff.GroupBy(s => s.OrganizationId).Where(g => g.Count() > 1))
            {
                var people = org.Select(p => (p.Id, Name: PersonKey(p.FirstName, p.LastName))).ToList();
                for (var i = 0; i < people.Count; i++)
                    for (var j = i + 1; j < people.Count && j < i + 200; j++)
                        if (Similarity(people[i].Name, people[j].Name) is var s and >= NameThreshold) Add(people[i].Id, people[j].Id, 0.6 + 0.3 * s, Text.Get("Duplicates.NameAtOrganization"));
            }
        }
        else
        {
            foreach (var g in await Groups(db.Organizations.Where(o => o.VatId != null).Select(o => new KeyId { Key = o.VatId!, Id = o.Id }), ct)) Pairs(g, (a, b) => Add(a, b, 0.95, Text.Get("Duplicates.VatId")));
            foreach (var g in await Groups(db.Organizations.Where(o => o.PrimaryEmail != null).Select(o => new KeyId { Key = o.PrimaryEmail!, Id = o.Id }), ct)) Pairs(g, (a, b) => Add(a, b, 0.7, Text.Get("Duplicates.Email")));
            foreach (var g in await Groups(db.Organizations.Where(o => o.PrimaryPhone != null).Select(o => new KeyId { Key = o.PrimaryPhone!, Id = o.Id }), ct)) Pairs(g, (a, b) => Add(a, b, 0.7, Text.Get("Duplicates.Phone")));
            var names = (await db.Organizations.Select(o => new { o.Id, o.Name }).ToListAsync(ct)).Select(o => (o.Id, Key: OrganizationKey(o.Name))).OrderBy(o => o.Key, StringComparer.Ordinal).ToList();
            for (var i = 0; i < names.Count; i++)
                for (var j = i + 1; j < names.Count && j <= i + Window; j++)
                    if (names[i].Key.Length > 0 && Similarity(names[i].Key, names[j].Key) is var s and >= NameThreshold)
                        Add(names[i].Id, names[j].Id, s >= 1 ? 0.85 : 0.5 + 0.3 * s, Text.Get("Duplicates.Name"));
        }
        var dismissed = (await db.DuplicateDismissals.AsNoTracking().Where(d => d.Entity == kind).Select(d => new { d.FirstId, d.SecondId }).ToListAsync(ct))
            .Select(d => (d.FirstId, d.SecondId)).ToHashSet();
        var best = found.Where(f => !dismissed.Contains(f.Key)).OrderByDescending(f => f.Value.Score).ThenBy(f => f.Key.Item1).Take(take).ToList();
        var ids = best.SelectMany(b => new[] { b.Key.Item1, b.Key.Item2 }).Distinct().ToList();
        var display = kind == "people"
            ? (await db.People.AsNoTracking().Where(p => ids.Contains(p.Id)).ToListAsync(ct)).ToDictionary(p => p.Id, p => p.DisplayName)
            : await db.Organizations.AsNoTracking().Where(o => ids.Contains(o.Id)).ToDictionaryAsync(o => o.Id, o => o.Name, ct);
        return [.. best.Select(b => new DuplicatePair(b.Key.Item1, display[b.Key.Item1], b.Key.Item2, display[b.Key.Item2], Math.Round(b.Value.Score, 2), b.Value.Reasons))];
    }

    /// <summary>The probable duplicates of one record (shown when it is created and on its page).</summary>
    public async Task<IReadOnlyList<DuplicatePair>> OfAsync(string? entity, Guid id, CancellationToken ct = default)
    {
        var kind = Entity(entity);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var found = new Dictionary<Guid, (double Score, List<string> Reasons)>();
        void Add(Guid other, double score, string reason)
        {
            if (other == id) return;
            if (!found.TryGetValue(other, out var f)) found[other] = f = (0, []);
            f.Reasons.Add(reason);
            found[other] = (Math.Min(1, Math.Max(f.Score, score) + (f.Score > 0 ? 0.05 : 0)), f.Reasons);
        }
        string name;
        if (kind == "people")
        {
            var p = await Records.FindAsync(db.People.AsNoTracking().Include(x => x.Employments), id, ct);
            name = p.DisplayName;
            if (p.PrimaryEmail is { } email) foreach (var o in await db.People.Where(x => x.PrimaryEmail == email).Select(x => x.Id).ToListAsync(ct)) Add(o, 0.95, Text.Get("Duplicates.Email"));
            if (p.PrimaryPhone is { } phone) foreach (var o in await db.People.Where(x => x.PrimaryPhone == phone).Select(x => x.Id).ToListAsync(ct)) Add(o, 0.8, Text.Get("Duplicates.Phone"));
            var orgs = p.Employments.Select(e => e.OrganizationId).ToList();
            var key = PersonKey(p.FirstName, p.LastName);
            var colleagues = await db.Employments.Where(e => orgs.Contains(e.OrganizationId)).Join(db.People, e => e.PersonId, x => x.Id, (e, x) => new { x.Id, x.FirstName, x.LastName }).ToListAsync(ct);
            foreach (var c in colleagues)
                if (Similarity(key, PersonKey(c.FirstName, c.LastName)) is var s and >= NameThreshold) Add(c.Id, 0.6 + 0.3 * s, Text.Get("Duplicates.NameAtOrganization"));
        }
        else
        {
            var o = await Records.FindAsync(db.Organizations.AsNoTracking(), id, ct);
            name = o.Name;
            if (o.VatId is { } vat) foreach (var x in await db.Organizations.Where(x => x.VatId == vat).Select(x => x.Id).ToListAsync(ct)) Add(x, 0.95, Text.Get("Duplicates.VatId"));
            if (o.PrimaryEmail is { } email) foreach (var x in await db.Organizations.Where(x => x.PrimaryEmail == email).Select(x => x.Id).ToListAsync(ct)) Add(x, 0.7, Text.Get("Duplicates.Email"));
            if (o.PrimaryPhone is { } phone) foreach (var x in await db.Organizations.Where(x => x.PrimaryPhone == phone).Select(x => x.Id).ToListAsync(ct)) Add(x, 0.7, Text.Get("Duplicates.Phone"));
            var key = OrganizationKey(o.Name);
            // Candidates share the first word of the normalised name; the index on the folded name finds them.
            var first = key.Split(' ')[0];
            if (first.Length >= 2)
                foreach (var x in await db.Organizations.Where(x => x.SearchName.StartsWith(first)).Select(x => new { x.Id, x.Name }).Take(500).ToListAsync(ct))
                    if (Similarity(key, OrganizationKey(x.Name)) is var s and >= NameThreshold) Add(x.Id, s >= 1 ? 0.85 : 0.5 + 0.3 * s, Text.Get("Duplicates.Name"));
        }
        var dismissed = await db.DuplicateDismissals.AsNoTracking().Where(d => d.Entity == kind && (d.FirstId == id || d.SecondId == id))
            .Select(d => d.FirstId == id ? d.SecondId : d.FirstId).ToListAsync(ct);
        var others = found.Keys.Except(dismissed).ToList();
        var names = kind == "people"
            ? (await db.People.AsNoTracking().Where(p => others.Contains(p.Id)).ToListAsync(ct)).ToDictionary(p => p.Id, p => p.DisplayName)
            : await db.Organizations.AsNoTracking().Where(x => others.Contains(x.Id)).ToDictionaryAsync(x => x.Id, x => x.Name, ct);
        return [.. others.Where(names.ContainsKey).OrderByDescending(o => found[o].Score)
            .Select(o => new DuplicatePair(id, name, o, names[o], Math.Round(found[o].Score, 2), found[o].Reasons))];
    }

    /// <summary>Marks two records as not the same; both must be readable (and the user not read-only).</summary>
    public async Task DismissAsync(DismissInput input, CancellationToken ct = default)
    {
        var kind = Entity(input.Entity);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (db.Scope.IsReadOnly) throw new AccessDeniedException(Text.Get("Access.ReadOnly"));
        if (input.FirstId is not { } a || input.SecondId is not { } b || a == b) throw ValidationException.For("secondId", Text.Get("Validation.Required"));
        IQueryable<Record> set = kind == "people" ? db.People : db.Organizations;
        if (await set.CountAsync(r => r.Id == a || r.Id == b, ct) != 2) throw new NotFoundException(kind, b);
        var (first, second) = a.CompareTo(b) < 0 ? (a, b) : (b, a);
        if (await db.DuplicateDismissals.AnyAsync(d => d.Entity == kind && d.FirstId == first && d.SecondId == second, ct)) return;
        db.DuplicateDismissals.Add(new DuplicateDismissal { Entity = kind, FirstId = first, SecondId = second, DismissedById = db.Scope.UserId, DismissedAt = clock.GetUtcNow() });
        await db.SaveChangesAsync(ct);
    }

    private static string Entity(string? entity) => entity?.Trim().ToLowerInvariant() is { } e && Entities.Contains(e) ? e
        : throw ValidationException.ForQuery("entity", Text.Get("Validation.Choice"));

    /// <summary>Keys that occur more than once, found by the database (the columns are indexed), with their records.</summary>
    private static async Task<List<List<Guid>>> Groups(IQueryable<KeyId> rows, CancellationToken ct)
    {
        var keys = await rows.GroupBy(r => r.Key).Where(g => g.Count() > 1).Select(g => g.Key).Take(10_000).ToListAsync(ct);
        var members = new List<KeyId>();
        foreach (var chunk in keys.Chunk(500)) members.AddRange(await rows.Where(r => chunk.Contains(r.Key)).ToListAsync(ct));
        return [.. members.GroupBy(m => m.Key).Select(g => g.Select(x => x.Id).Distinct().ToList())];
    }

    private sealed class KeyId
    {
        public string Key { get; init; } = "";
        public Guid Id { get; init; }
    }

    private static void Pairs(List<Guid> group, Action<Guid, Guid> add)
    {
        for (var i = 0; i < group.Count && i < 50; i++)
            for (var j = i + 1; j < group.Count && j < 50; j++) add(group[i], group[j]);
    }

    /// <summary>"Dr. Jürgen  Müller" → "jurgen muller" (folded, title left out).</summary>
    public static string PersonKey(string? first, string? last) => SearchText.Fold($"{first} {last}").Trim();

    /// <summary>"Müller & Söhne GmbH & Co. KG" → "muller sohne": folded, legal forms and punctuation left out.</summary>
    public static string OrganizationKey(string? name)
    {
        var folded = NonWord().Replace(SearchText.Fold(name), " ");
        return string.Join(' ', folded.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(w => !LegalForms.Contains(w)));
    }

    private static readonly HashSet<string> LegalForms =
        ["gmbh", "ag", "kg", "ohg", "gbr", "ug", "haftungsbeschrankt", "co", "kgaa", "se", "ev", "e", "v", "mbh", "ltd", "limited", "inc", "llc", "plc", "corp", "corporation", "sa", "sarl", "bv", "nv", "und", "and"];

    [GeneratedRegex(@"[^\p{L}\p{Nd}]+")]
    private static partial Regex NonWord();

    /// <summary>Jaro-Winkler similarity (1 = equal).</summary>
    public static double Similarity(string a, string b)
    {
        if (a == b) return 1;
        if (a.Length == 0 || b.Length == 0) return 0;
        var range = Math.Max(0, Math.Max(a.Length, b.Length) / 2 - 1);
        var aMatched = new bool[a.Length];
        var bMatched = new bool[b.Length];
        var matches = 0;
        for (var i = 0; i < a.Length; i++)
        {
            for (var j = Math.Max(0, i - range); j < Math.Min(b.Length, i + range + 1); j++)
            {
                if (bMatched[j] || a[i] != b[j]) continue;
                aMatched[i] = bMatched[j] = true;
                matches++;
                break;
            }
        }
        if (matches == 0) return 0;
        var transpositions = 0;
        for (int i = 0, k = 0; i < a.Length; i++)
        {
            if (!aMatched[i]) continue;
            while (!bMatched[k]) k++;
            if (a[i] != b[k]) transpositions++;
            k++;
        }
        var m = (double)matches;
        var jaro = (m / a.Length + m / b.Length + (m - transpositions / 2.0) / m) / 3;
        var prefix = 0;
        while (prefix < Math.Min(4, Math.Min(a.Length, b.Length)) && a[prefix] == b[prefix]) prefix++;
        return jaro + prefix * 0.1 * (1 - jaro);
    }
}
