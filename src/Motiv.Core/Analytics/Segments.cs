using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Motiv.Core.Common;
using Motiv.Core.Communication;
using Motiv.Core.Customers;
using Motiv.Core.Data;
using Motiv.Core.Empathy;

namespace Motiv.Core.Analytics;

/// <summary>One condition of a segment: a field from the allow-list, an operator and a value.</summary>
public sealed record SegmentCondition(string Field, string? Op, string? Value);

/// <summary>A saved dynamic filter over people or organisations; its members are found anew whenever it is used.</summary>
public sealed class Segment
{
    public Guid Id { get; set; }
    public string Name { get; set; } = "";
    public string Entity { get; set; } = "";
    public List<SegmentCondition> Conditions { get; set; } = [];
    public Guid OwnerId { get; set; }

    /// <summary>Shared segments are listed for everyone (each sees only the members they may read).</summary>
    public bool Shared { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

public sealed record SegmentInput(string? Name, string? Entity, List<SegmentCondition>? Conditions, bool? Shared);

public sealed record SegmentDto(Guid Id, string Name, string Entity, IReadOnlyList<SegmentCondition> Conditions, Guid OwnerId, bool Shared, DateTimeOffset UpdatedAt);

public sealed record SegmentMember(Guid Id, string Name);

/// <summary>What a condition can be, for the editor: field, kind of value, operators.</summary>
public sealed record SegmentFieldDto(string Entity, string Field, string Kind, IReadOnlyList<string> Ops, IReadOnlyList<string>? Choices);

/// <summary>
/// Segments: conditions on list fields (tag, city, country, industry, role) and analytic attributes — RFM segment,
/// churn risk, predicted and historic value, orders, product breadth and products bought or not (from the stored
/// customer scores), relationship health, consent per channel and purpose, and motives (the latest profile). All
/// conditions must hold. Counted and listed live over the records the user may read.
/// </summary>
public sealed class SegmentService(IDbContextFactory<MotivDbContext> dbFactory, TimeProvider clock)
{
    private static readonly string[] Numeric = ["gte", "lte"];

    public static readonly IReadOnlyList<SegmentFieldDto> Fields =
    [
        new("organizations", "tag", "text", ["eq"], null),
        new("organizations", "city", "text", ["eq"], null),
        new("organizations", "country", "text", ["eq"], null),
        new("organizations", "industry", "text", ["eq"], null),
        new("organizations", "role", "choice", ["eq"], [.. Enum.GetNames<OrganizationRoles>().Skip(1).Select(Camel)]),
        new("organizations", "rfmSegment", "choice", ["in"], [.. Enum.GetNames<RfmSegment>().Select(Camel)]),
        new("organizations", "churnRisk", "number", Numeric, null),
        new("organizations", "value", "number", Numeric, null),
        new("organizations", "historicValue", "number", Numeric, null),
        new("organizations", "orders", "number", Numeric, null),
        new("organizations", "products", "number", Numeric, null),
        new("organizations", "categories", "number", Numeric, null),
        new("organizations", "bought", "text", ["eq"], null),
        new("organizations", "notBought", "text", ["eq"], null),
        new("organizations", "healthScore", "number", Numeric, null),
        new("people", "tag", "text", ["eq"], null),
        new("people", "city", "text", ["eq"], null),
        new("people", "country", "text", ["eq"], null),
        new("people", "consent", "choice", ["eq"], [.. Enum.GetNames<ConsentChannel>().SelectMany(c => Enum.GetNames<ConsentPurpose>().Select(p => $"{Camel(c)}/{Camel(p)}"))]),
        new("people", "motive", "motive", ["gte"], null),
        new("people", "healthScore", "number", Numeric, null),
        new("people", "organization.rfmSegment", "choice", ["in"], [.. Enum.GetNames<RfmSegment>().Select(Camel)]),
        new("people", "organization.churnRisk", "number", Numeric, null),
    ];

    private static string Camel(string s) => char.ToLowerInvariant(s[0]) + s[1..];

    public async Task<IReadOnlyList<SegmentDto>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var user = RequireUser(db);
        var rows = await db.Segments.AsNoTracking().Where(s => s.OwnerId == user || s.Shared).OrderBy(s => s.Name).ToListAsync(ct);
        return [.. rows.Select(ToDto)];
    }

    public async Task<SegmentDto> GetAsync(Guid id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return ToDto(await FindAsync(db, id, forWrite: false, ct));
    }

    public async Task<SegmentDto> SaveAsync(Guid? id, SegmentInput input, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var user = RequireUser(db);
        if (db.Scope.IsReadOnly) throw new AccessDeniedException(Text.Get("Access.ReadOnly"));
        var (name, entity, conditions) = Validate(input);
        var segment = id is { } existing ? await FindAsync(db, existing, forWrite: true, ct) : db.Segments.Add(new Segment
        {
            Id = Guid.CreateVersion7(), OwnerId = user, CreatedAt = clock.GetUtcNow(),
        }).Entity;
        (segment.Name, segment.Entity, segment.Conditions, segment.Shared, segment.UpdatedAt) = (name, entity, conditions, input.Shared ?? segment.Shared, clock.GetUtcNow());
        await db.SaveChangesAsync(ct);
        return ToDto(segment);
    }

    public async Task DeleteAsync(Guid id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        db.Segments.Remove(await FindAsync(db, id, forWrite: true, ct));
        await db.SaveChangesAsync(ct);
    }

    /// <summary>How many records the user may read match (a saved segment, or conditions not yet saved).</summary>
    public async Task<int> CountAsync(Guid? id, SegmentInput? draft, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var (entity, conditions) = await ConditionsAsync(db, id, draft, ct);
        return await CountAsync(db, entity, conditions, ct);
    }

    /// <summary>The members, by id (keyset paging with the last id as cursor).</summary>
    public async Task<Page<SegmentMember>> MembersAsync(Guid id, string? cursor, int? limit, CancellationToken ct = default)
    {
        var take = limit is { } l ? (l is < 1 or > Paging.MaxLimit ? throw ValidationException.ForQuery("limit", Text.Get("Validation.Range", 1, Paging.MaxLimit)) : l) : 50;
        Guid? after = cursor is null ? null : Guid.TryParse(cursor, out var g) ? g : throw ValidationException.ForQuery("cursor", Text.Get("Validation.Cursor"));
        return await PageAsync(id, after, take, withTotal: true, ct);
    }

    /// <summary>A page of members after an id; the total (a second pass over the segment) only when the caller shows it.</summary>
    private async Task<Page<SegmentMember>> PageAsync(Guid id, Guid? after, int take, bool withTotal, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var (entity, conditions) = await ConditionsAsync(db, id, null, ct);
        var (motives, rest) = Split(conditions);
        var items = new List<SegmentMember>();
        var last = after;
        // Motive conditions are checked on the latest profile in memory; the rest in the database.
        while (items.Count < take)
        {
            var page = entity == "people"
                ? await Apply(db, PeopleAfter(db, last), rest).OrderBy(p => p.Id).Take(500).Select(p => new { p.Id, Name = p.FirstName + " " + p.LastName }).ToListAsync(ct)
                : (await Apply(db, OrganizationsAfter(db, last), rest).OrderBy(o => o.Id).Take(500).Select(o => new { o.Id, o.Name }).ToListAsync(ct));
            if (page.Count == 0) break;
            var keep = await MotivesHoldAsync(db, [.. page.Select(p => p.Id)], motives, ct);
            foreach (var p in page)
            {
                last = p.Id;
                if (!keep.Contains(p.Id)) continue;
                items.Add(new SegmentMember(p.Id, p.Name));
                if (items.Count == take) break;
            }
            if (page.Count < 500) { if (items.Count < take) last = null; break; }
        }
        var total = withTotal ? await CountAsync(db, entity, conditions, ct) : items.Count;
        return new Page<SegmentMember>(items, items.Count == take && last is { } next ? next.ToString() : null, total);
    }

    /// <summary>The members' ids page by page, for export.</summary>
    public async IAsyncEnumerable<Guid> MemberIdsAsync(Guid id, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
    {
        // Pages without the total: an export would otherwise count the whole segment again for every page.
        Guid? after = null;
        do
        {
            var page = await PageAsync(id, after, Paging.MaxLimit, withTotal: false, ct);
            foreach (var m in page.Items) yield return m.Id;
            after = page.NextCursor is { } next ? Guid.Parse(next) : null;
        }
        while (after is not null);
    }

    public async Task<string> EntityOfAsync(Guid id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return (await FindAsync(db, id, forWrite: false, ct)).Entity;
    }

    private static IQueryable<Person> PeopleAfter(MotivDbContext db, Guid? after) => after is { } a ? db.People.AsNoTracking().Where(p => p.Id > a) : db.People.AsNoTracking();

    private static IQueryable<Organization> OrganizationsAfter(MotivDbContext db, Guid? after) => after is { } a ? db.Organizations.AsNoTracking().Where(o => o.Id > a) : db.Organizations.AsNoTracking();

    private static async Task<int> CountAsync(MotivDbContext db, string entity, List<SegmentCondition> conditions, CancellationToken ct)
    {
        var (motives, rest) = Split(conditions);
        if (motives.Count == 0)
            return entity == "people" ? await Apply(db, db.People.AsNoTracking(), rest).CountAsync(ct) : await Apply(db, db.Organizations.AsNoTracking(), rest).CountAsync(ct);
        // Only people with a motive profile can match: those are read in batches and checked.
        var count = 0;
        Guid? last = null;
        while (true)
        {
            var ids = await Apply(db, PeopleAfter(db, last), rest).Where(p => db.MotiveSnapshots.Any(s => s.PersonId == p.Id)).OrderBy(p => p.Id).Select(p => p.Id).Take(1000).ToListAsync(ct);
            if (ids.Count == 0) return count;
            count += (await MotivesHoldAsync(db, ids, motives, ct)).Count;
            last = ids[^1];
        }
    }

    private static (List<SegmentCondition> Motives, List<SegmentCondition> Others) Split(List<SegmentCondition> conditions) =>
        ([.. conditions.Where(c => c.Field == "motive")], [.. conditions.Where(c => c.Field != "motive")]);

    /// <summary>The ids whose latest motive profile has every motive at or above its score ("security:0.6"), known (confident enough).</summary>
    private static async Task<HashSet<Guid>> MotivesHoldAsync(MotivDbContext db, List<Guid> ids, List<SegmentCondition> motives, CancellationToken ct)
    {
        if (motives.Count == 0) return [.. ids];
        var settings = await MotiveTaxonomyService.ReadAsync(db, ct);
        var snapshots = await db.MotiveSnapshots.AsNoTracking().Where(s => ids.Contains(s.PersonId)).GroupBy(s => s.PersonId)
            .Select(g => g.OrderByDescending(s => s.Day).First()).ToListAsync(ct);
        return [.. snapshots.Where(s => motives.All(m =>
        {
            var (code, min) = MotiveCondition(m.Value!);
            return s.Scores.FirstOrDefault(x => x.Motive == code) is { Score: { } score } x && score >= min && x.Confidence >= settings.ConfidenceThreshold;
        })).Select(s => s.PersonId)];
    }

    private static (string Code, double Min) MotiveCondition(string value)
    {
        var parts = value.Split(':');
        return (parts[0], parts.Length > 1 ? double.Parse(parts[1], CultureInfo.InvariantCulture) : 0.5);
    }

    private static IQueryable<Organization> Apply(MotivDbContext db, IQueryable<Organization> q, List<SegmentCondition> conditions)
    {
        foreach (var c in conditions)
        {
            var v = c.Value ?? "";
            var n = decimal.TryParse(v, NumberStyles.Number, CultureInfo.InvariantCulture, out var d) ? d : 0m;
            var x = (double)n;
            var ge = c.Op != "lte";
            var scores = db.CustomerScores;
            q = c.Field switch
            {
                "tag" => q.Where(o => o.Tags.Contains(TagList.Needle(v))),
                "city" => q.Where(o => o.City == v),
                "country" => q.Where(o => o.Country == v.ToUpperInvariant()),
                "industry" => q.Where(o => o.Industry == v),
                "role" => q.Where(o => (o.Roles & Enum.Parse<OrganizationRoles>(v, true)) != 0),
                "rfmSegment" => WhereRfm(q, scores, v),
                "churnRisk" => ge ? q.Where(o => scores.Any(s => s.OrganizationId == o.Id && s.ChurnRisk >= x)) : q.Where(o => scores.Any(s => s.OrganizationId == o.Id && s.ChurnRisk <= x)),
                "value" => ge ? q.Where(o => scores.Any(s => s.OrganizationId == o.Id && s.Value >= x)) : q.Where(o => scores.Any(s => s.OrganizationId == o.Id && s.Value <= x)),
                "historicValue" => ge ? q.Where(o => scores.Any(s => s.OrganizationId == o.Id && s.HistoricValue >= n)) : q.Where(o => scores.Any(s => s.OrganizationId == o.Id && s.HistoricValue <= n)),
                "orders" => ge ? q.Where(o => scores.Any(s => s.OrganizationId == o.Id && s.Orders >= n)) : q.Where(o => !scores.Any(s => s.OrganizationId == o.Id && s.Orders > n)),
                "products" => ge ? q.Where(o => scores.Any(s => s.OrganizationId == o.Id && s.Products >= n)) : q.Where(o => !scores.Any(s => s.OrganizationId == o.Id && s.Products > n)),
                "categories" => ge ? q.Where(o => scores.Any(s => s.OrganizationId == o.Id && s.Categories >= n)) : q.Where(o => !scores.Any(s => s.OrganizationId == o.Id && s.Categories > n)),
                "bought" => q.Where(o => db.Orders.IgnoreQueryFilters().Any(r => r.OrganizationId == o.Id && r.DeletedAt == null && r.Lines.Any(l => l.Sku == v))),
                "notBought" => q.Where(o => !db.Orders.IgnoreQueryFilters().Any(r => r.OrganizationId == o.Id && r.DeletedAt == null && r.Lines.Any(l => l.Sku == v))),
                "healthScore" => ge ? q.Where(o => db.HealthScores.Any(h => h.SubjectId == o.Id && h.Score >= n)) : q.Where(o => db.HealthScores.Any(h => h.SubjectId == o.Id && h.Score <= n)),
                _ => q,
            };
        }
        return q;
    }

    private static IQueryable<Organization> WhereRfm(IQueryable<Organization> q, IQueryable<CustomerScore> scores, string value)
    {
        var segments = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(s => Enum.Parse<RfmSegment>(s, true)).ToList();
        return q.Where(o => scores.Any(s => s.OrganizationId == o.Id && segments.Contains(s.Segment)));
    }

    private static IQueryable<Person> Apply(MotivDbContext db, IQueryable<Person> q, List<SegmentCondition> conditions)
    {
        foreach (var c in conditions)
        {
            var v = c.Value ?? "";
            var n = decimal.TryParse(v, NumberStyles.Number, CultureInfo.InvariantCulture, out var d) ? d : 0m;
            var ge = c.Op != "lte";
            switch (c.Field)
            {
                case "tag": q = q.Where(p => p.Tags.Contains(TagList.Needle(v))); break;
                case "city": q = q.Where(p => p.City == v); break;
                case "country": q = q.Where(p => p.Country == v.ToUpperInvariant()); break;
                case "healthScore":
                    q = ge ? q.Where(p => db.HealthScores.Any(h => h.SubjectId == p.Id && h.Score >= n)) : q.Where(p => db.HealthScores.Any(h => h.SubjectId == p.Id && h.Score <= n));
                    break;
                case "consent":
                    var (channel, purpose) = Consent(v);
                    var entries = db.ConsentEntries;
                    // The latest entry that decides (not a pending request) grants: a grant or confirmation with no withdrawal after it.
                    q = q.Where(p => entries.Any(e => e.PersonId == p.Id && e.Channel == channel && e.Purpose == purpose
                        && (e.Action == ConsentAction.Granted || e.Action == ConsentAction.Confirmed)
                        && !entries.Any(w => w.PersonId == p.Id && w.Channel == channel && w.Purpose == purpose && w.Action == ConsentAction.Withdrawn && w.At >= e.At)));
                    break;
                case "organization.rfmSegment":
                    var segments = v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(s => Enum.Parse<RfmSegment>(s, true)).ToList();
                    q = q.Where(p => p.Employments.Any(e => e.IsPrimary && db.CustomerScores.Any(s => s.OrganizationId == e.OrganizationId && segments.Contains(s.Segment))));
                    break;
                case "organization.churnRisk":
                    var x = (double)n;
                    q = ge ? q.Where(p => p.Employments.Any(e => e.IsPrimary && db.CustomerScores.Any(s => s.OrganizationId == e.OrganizationId && s.ChurnRisk >= x)))
                        : q.Where(p => p.Employments.Any(e => e.IsPrimary && db.CustomerScores.Any(s => s.OrganizationId == e.OrganizationId && s.ChurnRisk <= x)));
                    break;
            }
        }
        return q;
    }

    private static (ConsentChannel, ConsentPurpose) Consent(string value)
    {
        var parts = value.Split('/');
        return (Enum.Parse<ConsentChannel>(parts[0], true), Enum.Parse<ConsentPurpose>(parts[1], true));
    }

    /// <summary>Name, list and conditions checked against the allow-list; each wrong part is named (conditions[2].value).</summary>
    private static (string Name, string Entity, List<SegmentCondition> Conditions) Validate(SegmentInput input)
    {
        var errors = new FieldErrors();
        var name = errors.Required("name", input.Name, 100);
        var entity = input.Entity?.Trim().ToLowerInvariant() ?? "";
        if (entity is not ("people" or "organizations")) errors.Add("entity", Text.Get("Validation.Choice"));
        var conditions = CheckConditions(errors, entity, input.Conditions);
        errors.ThrowIfAny();
        return (name, entity, conditions);
    }

    private static List<SegmentCondition> CheckConditions(FieldErrors errors, string entity, List<SegmentCondition>? input)
    {
        var result = new List<SegmentCondition>();
        if (input?.Count > 20) errors.Add("conditions", Text.Get("Validation.TooMany", 20));
        foreach (var (c, i) in (input ?? []).Select((c, i) => (c, i)))
        {
            var field = Fields.FirstOrDefault(f => f.Entity == entity && f.Field == c?.Field);
            if (c is null || field is null) { errors.Add($"conditions[{i}].field", Text.Get("Validation.UnknownFilter", c?.Field ?? "")); continue; }
            var op = c.Op?.Trim().ToLowerInvariant() ?? field.Ops[0];
            if (!field.Ops.Contains(op)) errors.Add($"conditions[{i}].op", Text.Get("Validation.Choice"));
            var value = c.Value?.Trim() ?? "";
            var ok = field.Kind switch
            {
                "number" => decimal.TryParse(value, NumberStyles.Number, CultureInfo.InvariantCulture, out _),
                "choice" => value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) is { Length: > 0 } parts
                    && parts.All(p => field.Choices!.Contains(p, StringComparer.OrdinalIgnoreCase)),
                "motive" => value.Split(':') is [{ Length: > 0 }, var min] && double.TryParse(min, NumberStyles.Float, CultureInfo.InvariantCulture, out var m) && m is >= 0 and <= 1
                    || value.Split(':') is [{ Length: > 0 }],
                _ => value.Length is > 0 and <= 100,
            };
            if (!ok) errors.Add($"conditions[{i}].value", Text.Get("Segments.BadValue"));
            result.Add(new SegmentCondition(field.Field, op, value));
        }
        return result;
    }

    private async Task<(string Entity, List<SegmentCondition> Conditions)> ConditionsAsync(MotivDbContext db, Guid? id, SegmentInput? draft, CancellationToken ct)
    {
        if (id is { } segmentId)
        {
            var s = await FindAsync(db, segmentId, forWrite: false, ct);
            return (s.Entity, s.Conditions);
        }
        RequireUser(db);
        var errors = new FieldErrors();
        var entity = draft?.Entity?.Trim().ToLowerInvariant() ?? "";
        if (entity is not ("people" or "organizations")) errors.Add("entity", Text.Get("Validation.Choice"));
        var conditions = CheckConditions(errors, entity, draft?.Conditions);
        errors.ThrowIfAny();
        return (entity, conditions);
    }

    private static Guid RequireUser(MotivDbContext db) => db.Scope.IsAuthenticated ? db.Scope.UserId : throw new AccessDeniedException(Text.Get("Access.SignIn"));

    private static async Task<Segment> FindAsync(MotivDbContext db, Guid id, bool forWrite, CancellationToken ct)
    {
        var user = RequireUser(db);
        var segment = await db.Segments.FirstOrDefaultAsync(s => s.Id == id, ct);
        if (segment is null || (segment.OwnerId != user && !segment.Shared)) throw new NotFoundException("segment", id);
        // A shared segment is changed by its owner or an administrator.
        if (forWrite && (db.Scope.IsReadOnly || (segment.OwnerId != user && !db.Scope.CanAdminister))) throw new AccessDeniedException(Text.Get("Segments.OwnerOnly"));
        return segment;
    }

    private static SegmentDto ToDto(Segment s) => new(s.Id, s.Name, s.Entity, s.Conditions, s.OwnerId, s.Shared, s.UpdatedAt);
}
