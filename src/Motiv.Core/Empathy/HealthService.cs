using System.Text;
using Microsoft.EntityFrameworkCore;
using Motiv.Core.Activities;
using Motiv.Core.Common;
using Motiv.Core.Customers;
using Motiv.Core.Data;
using Motiv.Core.Sales;

namespace Motiv.Core.Empathy;

public sealed record HealthDto(Guid SubjectId, string SubjectType, int Score, IReadOnlyList<HealthComponent> Components, int UsualRhythmDays, int? DaysSinceContact,
    int? Previous, int Drop, IReadOnlyList<HealthPoint> History);

public sealed record HealthPoint(DateOnly Day, int Score);

public sealed record AtRiskItem(Guid SubjectId, string SubjectType, string Name, int Score, int? Previous, int Drop, string? Weakest, Guid OwnerId, DateTimeOffset ComputedAt);

public sealed record AtRiskQuery
{
    public string? Type { get; set; }
    public Guid? OwnerId { get; set; }
    public Guid? TeamId { get; set; }
    public string? Cursor { get; set; }
    public int? Limit { get; set; }
}

/// <summary>
/// Relationship health of people and organisations: computed now on request (the user must be able to read the subject),
/// and for everyone by the nightly job, which keeps the history and the drop over about 30 days for "relationships at risk".
/// The score is computed from all interactions, tasks, deals and orders, past the access filter, since it tells no content.
/// </summary>
public sealed class HealthService(IDbContextFactory<MotivDbContext> dbFactory)
{
    public const int RiskScore = 50;
    public const int RiskDrop = 10;

    public async Task<HealthDto> GetAsync(string subjectType, Guid id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (subjectType == Person.Type) await Records.FindAsync(db.People.AsNoTracking(), id, ct);
        else await Records.FindAsync(db.Organizations.AsNoTracking(), id, ct);
        // The signals are read past the access filter: the score counts everything and shows no content.
        var now = db.Clock.GetUtcNow();
        var subject = (await SubjectsAsync(db, subjectType, [id], ct)).Single();
        var result = HealthModel.Compute((await SignalsAsync(db, [subject], now, ct))[id], now);
        var history = (await db.HealthHistory.AsNoTracking().Where(h => h.SubjectId == id).OrderByDescending(h => h.Day).Take(400).ToListAsync(ct)).AsEnumerable().Reverse().ToList();
        var previous = Previous(history, DateOnly.FromDateTime(now.UtcDateTime));
        return new HealthDto(id, subjectType, result.Score, result.Components, result.UsualRhythmDays, result.DaysSinceContact, previous,
            previous is { } p ? p - result.Score : 0, [.. history.Select(h => new HealthPoint(h.Day, h.Score))]);
    }

    /// <summary>
    /// People and organisations we have been in touch with whose health is below 50 or fell by ten points or more in
    /// about 30 days, by drop, then by score; only those the user may read.
    /// </summary>
    public async Task<Page<AtRiskItem>> AtRiskAsync(AtRiskQuery query, CancellationToken ct = default)
    {
        var take = query.Limit ?? 50;
        if (take is < 1 or > Paging.MaxLimit) throw ValidationException.ForQuery("limit", Text.Get("Validation.Range", 1, Paging.MaxLimit));
        var type = query.Type ?? Person.Type;
        if (type is not (Person.Type or Organization.Type)) throw ValidationException.ForQuery("type", Text.Get("Validation.Choice"));
        (int Drop, int Score, Guid Id)? after = null;
        if (query.Cursor is not null)
        {
            var parts = DecodeCursor(query.Cursor);
            after = parts ?? throw ValidationException.ForQuery("cursor", Text.Get("Validation.Cursor"));
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var scores = db.HealthScores.AsNoTracking().Where(h => h.SubjectType == type && h.HasContact && (h.Score < RiskScore || h.Drop >= RiskDrop));
        IQueryable<AtRiskRow> rows = type == Person.Type
            ? scores.Join(db.People, h => h.SubjectId, p => p.Id, (h, p) => new AtRiskRow
            {
                Health = h, Name = p.FirstName + " " + p.LastName, OwnerId = p.OwnerId, TeamId = p.TeamId,
            })
            : scores.Join(db.Organizations, h => h.SubjectId, o => o.Id, (h, o) => new AtRiskRow { Health = h, Name = o.Name, OwnerId = o.OwnerId, TeamId = o.TeamId });
        if (query.OwnerId is { } owner) rows = rows.Where(r => r.OwnerId == owner);
        if (query.TeamId is { } team) rows = rows.Where(r => r.TeamId == team);
        var total = await rows.CountAsync(ct);
        if (after is var (d, s, i))
            rows = rows.Where(r => r.Health.Drop < d || (r.Health.Drop == d && (r.Health.Score > s || (r.Health.Score == s && r.Health.SubjectId.CompareTo(i) > 0))));
        var list = await rows.OrderByDescending(r => r.Health.Drop).ThenBy(r => r.Health.Score).ThenBy(r => r.Health.SubjectId).Take(take + 1).ToListAsync(ct);
        var items = list.Take(take).Select(r => new AtRiskItem(r.Health.SubjectId, type, r.Name, r.Health.Score, r.Health.Previous, r.Health.Drop,
            r.Health.Components.Where(c => c.Points < c.MaxPoints).OrderByDescending(c => c.MaxPoints - c.Points).FirstOrDefault()?.Explanation, r.OwnerId, r.Health.ComputedAt)).ToList();
        var next = list.Count > take ? EncodeCursor(list[take - 1].Health) : null;
        return new Page<AtRiskItem>(items, next, total);
    }

    private sealed class AtRiskRow
    {
        public HealthScore Health { get; init; } = null!;
        public string Name { get; init; } = "";
        public Guid OwnerId { get; init; }
        public Guid? TeamId { get; init; }
    }

    private static string EncodeCursor(HealthScore h) => Convert.ToBase64String(Encoding.UTF8.GetBytes($"{h.Drop}|{h.Score}|{h.SubjectId:N}"));

    private static (int, int, Guid)? DecodeCursor(string cursor)
    {
        try
        {
            var parts = Encoding.UTF8.GetString(Convert.FromBase64String(cursor)).Split('|');
            return parts.Length == 3 && int.TryParse(parts[0], out var d) && int.TryParse(parts[1], out var s) && Guid.TryParseExact(parts[2], "N", out var id) ? (d, s, id) : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>The nightly job: every person and organisation, in batches, stored with today's point of the history. Returns how many were computed.</summary>
    public static async Task<int> RecomputeAllAsync(MotivDbContext systemDb, CancellationToken ct = default) => await RecomputeAllAsync(systemDb, systemDb.Clock.GetUtcNow(), ct);

    /// <summary>As of <paramref name="now"/> (the demo fills the history with earlier days); also forgets the health of subjects that were erased.</summary>
    public static async Task<int> RecomputeAllAsync(MotivDbContext systemDb, DateTimeOffset now, CancellationToken ct)
    {
        var people = systemDb.People.IgnoreQueryFilters();
        var organizations = systemDb.Organizations.IgnoreQueryFilters();
        await systemDb.HealthScores.Where(h => !people.Any(p => p.Id == h.SubjectId) && !organizations.Any(o => o.Id == h.SubjectId)).ExecuteDeleteAsync(ct);
        await systemDb.HealthHistory.Where(h => !people.Any(p => p.Id == h.SubjectId) && !organizations.Any(o => o.Id == h.SubjectId)).ExecuteDeleteAsync(ct);
        var count = 0;
        foreach (var type in new[] { Person.Type, Organization.Type })
        {
            Guid? after = null;
            while (true)
            {
                var ids = type == Person.Type
                    ? await systemDb.People.AsNoTracking().Where(p => after == null || p.Id.CompareTo(after.Value) > 0).OrderBy(p => p.Id).Select(p => p.Id).Take(200).ToListAsync(ct)
                    : await systemDb.Organizations.AsNoTracking().Where(p => after == null || p.Id.CompareTo(after.Value) > 0).OrderBy(p => p.Id).Select(p => p.Id).Take(200).ToListAsync(ct);
                if (ids.Count == 0) break;
                count += await StoreAsync(systemDb, type, ids, now, ct);
                systemDb.ChangeTracker.Clear();
                after = ids[^1];
            }
        }
        return count;
    }

    /// <summary>Computes and stores the health of the given subjects for today (idempotent within a day).</summary>
    public static async Task<int> StoreAsync(MotivDbContext systemDb, string type, IReadOnlyList<Guid> ids, DateTimeOffset now, CancellationToken ct)
    {
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var subjects = await SubjectsAsync(systemDb, type, ids, ct);
        var signals = await SignalsAsync(systemDb, subjects, now, ct);
        var stored = await systemDb.HealthScores.Where(h => ids.Contains(h.SubjectId)).ToDictionaryAsync(h => h.SubjectId, ct);
        var since = today.AddDays(-60);
        var history = (await systemDb.HealthHistory.Where(h => ids.Contains(h.SubjectId) && h.Day >= since).ToListAsync(ct)).ToLookup(h => h.SubjectId);
        foreach (var s in subjects)
        {
            var result = HealthModel.Compute(signals[s.Id], now);
            var points = history[s.Id].ToList();
            var previous = Previous(points, today);
            var row = stored.GetValueOrDefault(s.Id) ?? systemDb.HealthScores.Add(new HealthScore { SubjectId = s.Id, SubjectType = type }).Entity;
            row.Score = result.Score;
            row.HasContact = result.DaysSinceContact is not null;
            row.Components = [.. result.Components];
            row.Previous = previous;
            row.Drop = previous is { } p ? p - result.Score : 0;
            row.ComputedAt = now;
            if (points.FirstOrDefault(h => h.Day == today) is { } point) point.Score = result.Score;
            else systemDb.HealthHistory.Add(new HealthHistory { SubjectId = s.Id, Day = today, Score = result.Score });
        }
        await systemDb.SaveChangesAsync(ct);
        return subjects.Count;
    }

    /// <summary>The score about 30 days before <paramref name="today"/>: the latest point at least 30 days old, else the oldest point before today.</summary>
    private static int? Previous(IEnumerable<HealthHistory> history, DateOnly today)
    {
        var points = history.Where(h => h.Day < today).OrderBy(h => h.Day).ToList();
        return (points.LastOrDefault(h => h.Day <= today.AddDays(-30)) ?? points.FirstOrDefault())?.Score;
    }

    /// <summary>Whose contacts count for a subject: a person's own; an organisation's, and those of its people. Orders of a person's primary employer count for them too.</summary>
    internal sealed record Subject(Guid Id, List<Guid> People, List<Guid> Organizations, List<Guid> OrderOrganizations, int? Rhythm);

    internal static async Task<List<Subject>> SubjectsAsync(MotivDbContext db, string type, IReadOnlyList<Guid> ids, CancellationToken ct)
    {
        if (type == Person.Type)
        {
            var people = await db.People.IgnoreQueryFilters().AsNoTracking().Where(p => ids.Contains(p.Id))
                .Select(p => new { p.Id, p.KeepInTouchDays, Org = p.Employments.Where(e => e.IsPrimary).Select(e => (Guid?)e.OrganizationId).FirstOrDefault() }).ToListAsync(ct);
            return [.. people.Select(p => new Subject(p.Id, [p.Id], [], p.Org is { } o ? [o] : [], p.KeepInTouchDays))];
        }
        var staff = (await db.Employments.AsNoTracking().Where(e => ids.Contains(e.OrganizationId)).Select(e => new { e.OrganizationId, e.PersonId }).ToListAsync(ct))
            .ToLookup(e => e.OrganizationId, e => e.PersonId);
        return [.. ids.Select(id => new Subject(id, [.. staff[id]], [id], [id], null))];
    }

    internal static async Task<Dictionary<Guid, HealthSignals>> SignalsAsync(MotivDbContext db, IReadOnlyList<Subject> subjects, DateTimeOffset now, CancellationToken ct)
    {
        var people = subjects.SelectMany(s => s.People).Distinct().ToList();
        var orgs = subjects.SelectMany(s => s.Organizations).Distinct().ToList();
        var orderOrgs = subjects.SelectMany(s => s.OrderOrganizations).Distinct().ToList();
        var since = now.AddDays(-365);
        var interactions = db.Interactions.IgnoreQueryFilters([MotivDbContext.AccessFilter]).AsNoTracking();
        var byPerson = await interactions.Where(i => i.OccurredAt >= since && i.OccurredAt <= now)
            .SelectMany(i => i.Participants.Where(p => p.PersonId != null && people.Contains(p.PersonId.Value)), (i, p) => new { i.Id, Key = p.PersonId!.Value, i.OccurredAt, i.Direction, i.Channel })
            .ToListAsync(ct);
        var byOrg = await interactions.Where(i => i.OccurredAt >= since && i.OccurredAt <= now && i.OrganizationId != null && orgs.Contains(i.OrganizationId.Value))
            .Select(i => new { i.Id, Key = i.OrganizationId!.Value, i.OccurredAt, i.Direction, i.Channel }).ToListAsync(ct);
        var lastEver = await interactions.SelectMany(i => i.Participants.Where(p => p.PersonId != null && people.Contains(p.PersonId.Value)), (i, p) => new { Key = p.PersonId!.Value, i.OccurredAt, i.Direction })
            .Where(x => x.Direction != Communication.InteractionDirection.Internal && x.OccurredAt <= now).GroupBy(x => x.Key).Select(g => new { g.Key, Last = g.Max(x => x.OccurredAt) }).ToDictionaryAsync(x => x.Key, x => x.Last, ct);
        var related = people.Concat(orgs).ToList();
        var overdue = await db.Tasks.IgnoreQueryFilters([MotivDbContext.AccessFilter]).AsNoTracking()
            .Where(t => t.State == TaskState.Open && t.DueAt < now && t.RelatedId != null && related.Contains(t.RelatedId.Value))
            .GroupBy(t => t.RelatedId!.Value).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.Count, ct);
        var deals = db.Deals.IgnoreQueryFilters([MotivDbContext.AccessFilter]).AsNoTracking();
        var dealsByPerson = await deals.SelectMany(d => d.Contacts.Where(c => people.Contains(c.PersonId)), (d, c) => new { d.Id, Key = c.PersonId, d.Status, d.UpdatedAt, d.ClosedAt }).ToListAsync(ct);
        var dealsByOrg = await deals.Where(d => d.OrganizationId != null && orgs.Contains(d.OrganizationId.Value))
            .Select(d => new { d.Id, Key = d.OrganizationId!.Value, d.Status, d.UpdatedAt, d.ClosedAt }).ToListAsync(ct);
        var orders = await db.Orders.IgnoreQueryFilters([MotivDbContext.AccessFilter]).AsNoTracking()
            .Where(o => o.Status != OrderStatus.Cancelled && ((o.PersonId != null && people.Contains(o.PersonId.Value)) || orderOrgs.Contains(o.OrganizationId)))
            .Select(o => new { o.Id, o.PersonId, o.OrganizationId, o.OrderDate }).ToListAsync(ct);
        var result = new Dictionary<Guid, HealthSignals>();
        foreach (var s in subjects)
        {
            var contacts = byPerson.Where(x => s.People.Contains(x.Key)).Select(x => (x.Id, x.OccurredAt, x.Direction, x.Channel))
                .Concat(byOrg.Where(x => s.Organizations.Contains(x.Key)).Select(x => (x.Id, x.OccurredAt, x.Direction, x.Channel)))
                .DistinctBy(x => x.Id).Select(x => new ContactSignal(x.OccurredAt, x.Direction, x.Channel)).ToList();
            var last = s.People.Select(p => lastEver.TryGetValue(p, out var l) ? l : (DateTimeOffset?)null).Max();
            var dealSignals = dealsByPerson.Where(x => s.People.Contains(x.Key)).Select(x => (x.Id, x.Status, x.UpdatedAt, x.ClosedAt))
                .Concat(dealsByOrg.Where(x => s.Organizations.Contains(x.Key)).Select(x => (x.Id, x.Status, x.UpdatedAt, x.ClosedAt)))
                .DistinctBy(x => x.Id).Select(x => new DealSignal(x.Status, x.UpdatedAt, x.ClosedAt)).ToList();
            var orderDates = orders.Where(o => (o.PersonId is { } p && s.People.Contains(p)) || s.OrderOrganizations.Contains(o.OrganizationId)).Select(o => o.OrderDate).ToList();
            var open = s.People.Concat(s.Organizations).Sum(k => overdue.GetValueOrDefault(k));
            result[s.Id] = new HealthSignals(contacts, last, s.Rhythm, open, dealSignals, orderDates);
        }
        return result;
    }
}
