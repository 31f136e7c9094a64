using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Motiv.Core.Common;
using Motiv.Core.CustomFields;
using Motiv.Core.Customers;
using Motiv.Core.Data;
using Motiv.Core.Views;

namespace Motiv.Core.Sales;

public enum DealStatus
{
    Open = 0,
    Won = 1,
    Lost = 2,
}

/// <summary>The part a person plays in a buying decision.</summary>
public enum BuyingRole
{
    DecisionMaker = 0,
    Influencer = 1,
    User = 2,
    Gatekeeper = 3,
}

/// <summary>A sales opportunity moving through the stages of a pipeline.</summary>
public sealed class Deal : Record
{
    public const string Type = "deal";
    public override string RecordType => Type;
    public override string DisplayName => Title;

    public string Title { get; set; } = "";
    public Guid? OrganizationId { get; set; }
    public Guid PipelineId { get; set; }
    public Guid StageId { get; set; }
    public DateTimeOffset StageEnteredAt { get; set; }
    public decimal Amount { get; set; }
    public string Currency { get; set; } = Money.DefaultCurrency;
    public DateOnly? ExpectedCloseDate { get; set; }

    /// <summary>The deal's own win probability in percent; null means the stage's default.</summary>
    public int? Probability { get; set; }

    public DealStatus Status { get; set; }
    public DateTimeOffset? ClosedAt { get; set; }
    public string? LostReason { get; set; }
    public string? Competitor { get; set; }
    public string? Notes { get; set; }

    /// <summary>The lead this deal was converted from.</summary>
    public Guid? LeadId { get; set; }

    public List<DealContact> Contacts { get; set; } = [];
    public List<LineItem> Lines { get; set; } = [];
}

public sealed class DealContact : IRecordPart
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid DealId { get; set; }
    public Guid PersonId { get; set; }
    public BuyingRole Role { get; set; }

    Guid IRecordPart.PartOf => DealId;
    string IRecordPart.AuditField => "contacts";
    string IRecordPart.Describe() => $"{PersonId}: {Role}";
}

/// <summary>One stay of a deal in a stage: entered, and left (null while it is still there). Cycle times and stage conversion are computed from these.</summary>
public sealed class DealStageChange
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid DealId { get; set; }
    public Guid PipelineId { get; set; }
    public Guid StageId { get; set; }
    public DateTimeOffset EnteredAt { get; set; }
    public DateTimeOffset? LeftAt { get; set; }
    public Guid ById { get; set; }
}

public sealed record DealContactInput(Guid PersonId, BuyingRole Role = BuyingRole.Influencer);

public sealed record DealInput : IOwnedInput
{
    public string? Title { get; set; }
    public Guid? OrganizationId { get; set; }
    public List<DealContactInput>? Contacts { get; set; }
    public decimal? Amount { get; set; }
    public string? Currency { get; set; }
    public DateOnly? ExpectedCloseDate { get; set; }
    public Guid? PipelineId { get; set; }
    public Guid? StageId { get; set; }
    public int? Probability { get; set; }
    public List<LineInput>? Lines { get; set; }
    public string? LostReason { get; set; }
    public string? Competitor { get; set; }
    public string? Notes { get; set; }
    public List<string>? Tags { get; set; }
    public Dictionary<string, JsonElement>? CustomFields { get; set; }
    public Guid? OwnerId { get; set; }
    public Guid? TeamId { get; set; }
    public Visibility? Visibility { get; set; }
}

public sealed record DealContactDto(Guid PersonId, string Name, BuyingRole Role);

public sealed record DealDto(Guid Id, string Title, Guid? OrganizationId, string? OrganizationName, IReadOnlyList<DealContactDto> Contacts,
    decimal Amount, string Currency, DateOnly? ExpectedCloseDate, Guid PipelineId, Guid StageId, string StageName, DateTimeOffset StageEnteredAt,
    int? Probability, int EffectiveProbability, DealStatus Status, DateTimeOffset? ClosedAt, string? LostReason, string? Competitor, string? Notes,
    bool IsRotting, Guid? LeadId, IReadOnlyList<LineDto> Lines, IReadOnlyList<string> Tags, Guid OwnerId, Guid? TeamId, Visibility Visibility,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, long Version, IReadOnlyDictionary<string, object?> CustomFields);

public sealed record DealListItem(Guid Id, string Title, Guid? OrganizationId, string? OrganizationName, decimal Amount, string Currency,
    DateOnly? ExpectedCloseDate, Guid PipelineId, Guid StageId, int Probability, DealStatus Status, DateTimeOffset StageEnteredAt,
    IReadOnlyList<string> Tags, Guid OwnerId, DateTimeOffset UpdatedAt, long Version);

public sealed record DealQuery
{
    /// <summary>The filter names a saved view may hold, as in the API's query string.</summary>
    public static readonly IReadOnlyList<string> FilterNames = ["q", "pipelineId", "stageId", "status", "organizationId", "ownerId", "teamId", "closeFrom", "closeTo", "tag"];

    public Dictionary<string, string> ToFilters() => ViewFilters.Build(
        ("q", Q), ("pipelineId", PipelineId?.ToString()), ("stageId", StageId?.ToString()), ("status", Status is { } s ? ViewFilters.Name(s) : null),
        ("organizationId", OrganizationId?.ToString()), ("ownerId", OwnerId?.ToString()), ("teamId", TeamId?.ToString()),
        ("closeFrom", CloseFrom?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)), ("closeTo", CloseTo?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)), ("tag", Tag));

    public static DealQuery FromFilters(IReadOnlyDictionary<string, string> f) => new()
    {
        Q = f.GetValueOrDefault("q"), PipelineId = ViewFilters.Id(f, "pipelineId"), StageId = ViewFilters.Id(f, "stageId"), Status = ViewFilters.Enum<DealStatus>(f, "status"),
        OrganizationId = ViewFilters.Id(f, "organizationId"), OwnerId = ViewFilters.Id(f, "ownerId"), TeamId = ViewFilters.Id(f, "teamId"),
        CloseFrom = f.TryGetValue("closeFrom", out var from) && DateOnly.TryParse(from, CultureInfo.InvariantCulture, out var a) ? a : null,
        CloseTo = f.TryGetValue("closeTo", out var to) && DateOnly.TryParse(to, CultureInfo.InvariantCulture, out var b) ? b : null, Tag = f.GetValueOrDefault("tag"),
    };

    public string? Q { get; set; }
    public Guid? PipelineId { get; set; }
    public Guid? StageId { get; set; }
    public DealStatus? Status { get; set; }
    public Guid? OrganizationId { get; set; }
    public Guid? OwnerId { get; set; }
    public Guid? TeamId { get; set; }
    public DateOnly? CloseFrom { get; set; }
    public DateOnly? CloseTo { get; set; }
    public string? Tag { get; set; }
    public string? Sort { get; set; }
    public string? Cursor { get; set; }
    public int? Limit { get; set; }
}

public sealed record StageStayDto(Guid StageId, string StageName, DateTimeOffset EnteredAt, DateTimeOffset? LeftAt, Guid ById, double Days);

/// <summary>A deal on the board: what a card shows.</summary>
public sealed record DealCard(Guid Id, Guid StageId, string Title, string? OrganizationName, Money Amount, Money? BaseAmount, int Probability, DateOnly? ExpectedCloseDate,
    Guid OwnerId, bool IsRotting, int DaysInStage, long Version);

public sealed record BoardColumn(StageDto Stage, int Count, Money Sum, Money Weighted, IReadOnlyList<string> Unconverted, IReadOnlyList<DealCard> Deals);

public sealed record Board(PipelineDto Pipeline, IReadOnlyList<BoardColumn> Columns, DateOnly RatesOf, string BaseCurrency);

/// <summary>Deals: records with a pipeline stage, a stage history, contacts with buying roles and line items.</summary>
public sealed class DealService(IDbContextFactory<MotivDbContext> dbFactory, IOptions<SalesOptions> options)
{
    public const int CardsPerColumn = 100;

    public static readonly SortFields<Deal> Sorts = new SortFields<Deal>("-updatedAt")
        .Add("title", d => d.Title)
        .Add("expectedCloseDate", d => d.ExpectedCloseDate ?? DateOnly.MaxValue)
        .Add("stageEnteredAt", d => d.StageEnteredAt)
        .Add("createdAt", d => d.CreatedAt)
        .Add("updatedAt", d => d.UpdatedAt);

    public async Task<Page<DealListItem>> ListAsync(DealQuery query, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var q = Filter(db.Deals.AsNoTracking(), query);
        if (query.StageId is { } stage) q = q.Where(d => d.StageId == stage);
        if (query.Status is { } status) q = q.Where(d => d.Status == status);
        if (query.OrganizationId is { } org) q = q.Where(d => d.OrganizationId == org);
        return await Paging.PageAsync(q, Sorts, query.Sort, query.Cursor, query.Limit,
            d => new DealListItem(d.Id, d.Title,
                db.Organizations.Where(o => o.Id == d.OrganizationId).Select(o => (Guid?)o.Id).FirstOrDefault(),
                db.Organizations.Where(o => o.Id == d.OrganizationId).Select(o => o.Name).FirstOrDefault(),
                d.Amount, d.Currency, d.ExpectedCloseDate, d.PipelineId, d.StageId,
                db.Stages.Where(s => s.Id == d.StageId).Select(s => s.Kind != StageKind.Open ? s.Probability : d.Probability ?? s.Probability).FirstOrDefault(),
                d.Status, d.StageEnteredAt, TagList.FromStored(d.Tags), d.OwnerId, d.UpdatedAt, d.Version), ct);
    }

    private static IQueryable<Deal> Filter(IQueryable<Deal> q, DealQuery query)
    {
        if (!string.IsNullOrWhiteSpace(query.Q))
        {
            var text = query.Q.Trim().ToLowerInvariant();
            q = q.Where(d => d.Title.ToLower().Contains(text));
        }
        if (query.PipelineId is { } pipeline) q = q.Where(d => d.PipelineId == pipeline);
        if (query.OwnerId is { } owner) q = q.Where(d => d.OwnerId == owner);
        if (query.TeamId is { } team) q = q.Where(d => d.TeamId == team);
        if (query.CloseFrom is { } from) q = q.Where(d => d.ExpectedCloseDate >= from);
        if (query.CloseTo is { } to) q = q.Where(d => d.ExpectedCloseDate <= to);
        if (!string.IsNullOrWhiteSpace(query.Tag)) q = q.Where(d => d.Tags.Contains(TagList.Needle(query.Tag)));
        return q;
    }

    public async Task<DealDto> GetAsync(Guid id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await ToDtoAsync(db, await Records.FindAsync(db.Deals.AsNoTracking().Include(d => d.Contacts).AsSplitQuery(), id, ct), ct);
    }

    public async Task<DealDto> CreateAsync(DealInput input, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var deal = await AddAsync(db, input, leadId: null, ct);
        await db.SaveChangesAsync(ct);
        return await ToDtoAsync(db, deal, ct);
    }

    /// <summary>Validates and adds a new deal to <paramref name="db"/> without saving (lead conversion saves it with the rest).</summary>
    internal async Task<Deal> AddAsync(MotivDbContext db, DealInput input, Guid? leadId, CancellationToken ct)
    {
        var deal = new Deal { LeadId = leadId };
        await ApplyAsync(db, deal, input, isNew: true, ct);
        db.Deals.Add(deal);
        return deal;
    }

    public async Task<DealDto> UpdateAsync(Guid id, long? expectedVersion, DealInput input, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var deal = await Records.FindForUpdateAsync(db, db.Deals.Include(d => d.Contacts).AsSplitQuery(), id, expectedVersion, ct);
        await ApplyAsync(db, deal, input, isNew: false, ct);
        await db.SaveChangesAsync(ct);
        return await ToDtoAsync(db, deal, ct);
    }

    public async Task<IReadOnlyList<StageStayDto>> StageHistoryAsync(Guid id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await Records.FindAsync(db.Deals.AsNoTracking(), id, ct);
        var now = db.Clock.GetUtcNow();
        var german = Text.IsGerman;
        var rows = await db.DealStageChanges.AsNoTracking().Where(c => c.DealId == id)
            .Join(db.Stages, c => c.StageId, s => s.Id, (c, s) => new { c, s.NameDe, s.NameEn }).ToListAsync(ct);
        return rows.OrderBy(r => r.c.EnteredAt).ThenBy(r => r.c.Id)
            .Select(r => new StageStayDto(r.c.StageId, german ? r.NameDe : r.NameEn, r.c.EnteredAt, r.c.LeftAt, r.c.ById,
                Math.Round(((r.c.LeftAt ?? now) - r.c.EnteredAt).TotalDays, 1))).ToList();
    }

    public static DealInput ToInput(DealDto d) => new()
    {
        Title = d.Title, OrganizationId = d.OrganizationId, Contacts = [.. d.Contacts.Select(c => new DealContactInput(c.PersonId, c.Role))],
        Amount = d.Amount, Currency = d.Currency, ExpectedCloseDate = d.ExpectedCloseDate, PipelineId = d.PipelineId, StageId = d.StageId,
        Probability = d.Probability, Lines = [.. d.Lines.Select(LineItems.ToInput)], LostReason = d.LostReason, Competitor = d.Competitor, Notes = d.Notes,
        Tags = [.. d.Tags], CustomFields = CustomFieldService.ToInput(d.CustomFields), OwnerId = d.OwnerId, TeamId = d.TeamId, Visibility = d.Visibility,
    };

    /// <summary>The board of a pipeline: per stage the count, the sum and the weighted sum in the base currency, and the first cards.</summary>
    public async Task<Board> BoardAsync(Guid pipelineId, DealQuery filter, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var pipeline = await db.Pipelines.AsNoTracking().Include(p => p.Stages).FirstOrDefaultAsync(p => p.Id == pipelineId, ct)
            ?? throw new NotFoundException("pipeline", pipelineId);
        var now = db.Clock.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var rates = await RateTable.LoadAsync(db, options.Value.BaseCurrency, ct);
        var deals = Filter(db.Deals.AsNoTracking(), filter with { PipelineId = pipelineId });
        // Sums are taken in SQL per stage and currency, then converted once per currency at today's rate.
        var sums = await deals.GroupBy(d => new { d.StageId, d.Currency, d.Probability })
            .Select(g => new { g.Key.StageId, g.Key.Currency, g.Key.Probability, Count = g.Count(), Sum = g.Sum(d => d.Amount) })
            .ToListAsync(ct);
        var stages = pipeline.Stages.Where(s => s.IsActive).OrderBy(s => s.SortOrder).ToList();
        var ids = stages.Select(s => s.Id).ToList();
        var cards = await deals.Where(d => ids.Contains(d.StageId))
            .OrderBy(d => d.ExpectedCloseDate == null).ThenBy(d => d.ExpectedCloseDate).ThenBy(d => d.Id)
            .Select(d => new { d.Id, d.Title, d.StageId, Org = db.Organizations.Where(o => o.Id == d.OrganizationId).Select(o => o.Name).FirstOrDefault(), d.Amount, d.Currency, d.Probability, d.ExpectedCloseDate, d.OwnerId, d.StageEnteredAt, d.Version })
            .ToListAsync(ct);
        var pipelineDto = PipelineService.ToDto(pipeline, includeInactive: false);
        var columns = new List<BoardColumn>();
        foreach (var stage in stages)
        {
            var stageDto = pipelineDto.Stages.First(s => s.Id == stage.Id);
            decimal sum = 0, weighted = 0;
            var unconverted = new List<string>();
            foreach (var s in sums.Where(x => x.StageId == stage.Id))
            {
                var weightedRaw = s.Sum * Effective(stage, s.Probability) / 100m;
                if (rates.Convert(new Money(s.Sum, s.Currency), today) is { } total && rates.Convert(new Money(weightedRaw, s.Currency), today) is { } w)
                {
                    sum += total.Base.Amount;
                    weighted += w.Base.Amount;
                }
                else if (!unconverted.Contains(s.Currency)) unconverted.Add(s.Currency);
            }
            var stageCards = cards.Where(c => c.StageId == stage.Id).Take(CardsPerColumn).Select(c =>
            {
                var days = (int)(now - c.StageEnteredAt).TotalDays;
                return new DealCard(c.Id, c.StageId, c.Title, c.Org, new Money(c.Amount, c.Currency), rates.Convert(new Money(c.Amount, c.Currency), today)?.Base,
                    Effective(stage, c.Probability), c.ExpectedCloseDate, c.OwnerId,
                    stage.Kind == StageKind.Open && stage.RottingDays is { } rot && days > rot, days, c.Version);
            }).ToList();
            columns.Add(new BoardColumn(stageDto, sums.Where(x => x.StageId == stage.Id).Sum(x => x.Count),
                new Money(sum, rates.BaseCurrency), new Money(Money.Round(weighted, rates.BaseCurrency), rates.BaseCurrency), unconverted, stageCards));
        }
        return new Board(pipelineDto, columns, today, rates.BaseCurrency);
    }

    /// <summary>A closed deal counts at its stage's 100 % or 0 %; an open one at its own probability, else the stage's.</summary>
    private static int Effective(Stage stage, int? own) => stage.Kind != StageKind.Open ? stage.Probability : own ?? stage.Probability;

    internal async Task ApplyAsync(MotivDbContext db, Deal deal, DealInput input, bool isNew, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var now = db.Clock.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        deal.Title = errors.Required("title", input.Title, 200);
        if (input.OrganizationId is { } org && org != deal.OrganizationId && !await db.Organizations.AnyAsync(o => o.Id == org, ct))
            errors.Add("organizationId", Text.Get("Validation.UnknownOrganization"));
        // A reader who may not see the organisation got null for it: their save keeps it rather than clearing it.
        if (input.OrganizationId is not null || isNew || !await Hidden.IsHiddenAsync(db.Organizations, deal.OrganizationId, ct)) deal.OrganizationId = input.OrganizationId;
        var currency = input.Currency?.Trim().ToUpperInvariant() ?? options.Value.BaseCurrency;
        if (!Money.IsKnownCurrency(currency)) errors.Add("currency", Text.Get("Validation.Currency"));
        else if (currency != deal.Currency || isNew) await RateTable.RequireAsync(db, errors, "currency", currency, today, options.Value.BaseCurrency, ct);
        deal.Currency = currency;
        deal.ExpectedCloseDate = input.ExpectedCloseDate;
        deal.Probability = input.Probability;
        if (input.Probability is < 0 or > 100) errors.Add("probability", Text.Get("Validation.Percent"));
        deal.Competitor = errors.Optional("competitor", input.Competitor, 200);
        deal.Notes = errors.Optional("notes", input.Notes, 10000);
        deal.Tags = Contacts.Tags(errors, input.Tags);

        await ApplyContactsAsync(db, errors, deal, input.Contacts ?? [], ct);
        if (input.Lines is { Count: > 0 } lines)
        {
            var totals = await LineItems.ApplyAsync(db, errors, deal.Id, deal.Lines, lines, currency, null, Text.IsGerman ? "de" : "en", options.Value.VatRates, ct);
            deal.Amount = totals.Net;
        }
        else
        {
            deal.Lines.Clear();
            deal.Amount = Money.IsKnownCurrency(currency) ? Money.Round(input.Amount ?? 0, currency) : input.Amount ?? 0;
            if (deal.Amount < 0) errors.Add("amount", Text.Get("Validation.NotNegative"));
        }

        // Pipeline and stage: the stage must be one of the pipeline's; entering a stage is recorded in the stage history.
        var pipelineId = input.PipelineId ?? (isNew ? null : deal.PipelineId);
        var pipeline = pipelineId is { } pid ? await db.Pipelines.Include(p => p.Stages).FirstOrDefaultAsync(p => p.Id == pid, ct) : null;
        if (pipeline is null) errors.Add("pipelineId", Text.Get(pipelineId is null ? "Validation.Required" : "Validation.UnknownPipeline"));
        var stageId = input.StageId ?? (input.PipelineId != deal.PipelineId || isNew ? pipeline?.Stages.Where(s => s.IsActive && s.Kind == StageKind.Open).MinBy(s => s.SortOrder)?.Id : deal.StageId);
        var stage = pipeline?.Stages.FirstOrDefault(s => s.Id == stageId);
        if (pipeline is not null && stage is null)
        {
            var elsewhere = stageId is { } sid && await db.Stages.AnyAsync(s => s.Id == sid, ct);
            errors.Add("stageId", Text.Get(elsewhere ? "Validation.StageOfOtherPipeline" : "Validation.UnknownStage"));
        }
        else if (stage is { IsActive: false } && stage.Id != deal.StageId) errors.Add("stageId", Text.Get("Validation.UnknownStage"));
        deal.LostReason = errors.Optional("lostReason", input.LostReason, 500);
        if (stage is not null && stage.Kind != StageKind.Lost) deal.LostReason = null;
        await CustomFieldService.ApplyAsync(db, errors, deal, input.CustomFields, isNew, ct);
        await Ownership.ApplyAsync(db, errors, deal, input, isNew, ct);
        errors.ThrowIfAny();

        if (isNew || deal.StageId != stage!.Id || deal.PipelineId != pipeline!.Id)
        {
            if (!isNew)
            {
                var open = await db.DealStageChanges.Where(c => c.DealId == deal.Id && c.LeftAt == null).ToListAsync(ct);
                foreach (var c in open) c.LeftAt = now;
            }
            deal.PipelineId = pipeline!.Id;
            deal.StageId = stage!.Id;
            deal.StageEnteredAt = now;
            db.DealStageChanges.Add(new DealStageChange { DealId = deal.Id, PipelineId = pipeline.Id, StageId = stage.Id, EnteredAt = now, ById = db.Scope.UserId });
            var status = stage.Kind switch { StageKind.Won => DealStatus.Won, StageKind.Lost => DealStatus.Lost, _ => DealStatus.Open };
            if (status != deal.Status || isNew) deal.ClosedAt = status == DealStatus.Open ? null : now;
            deal.Status = status;
        }
    }

    private static async Task ApplyContactsAsync(MotivDbContext db, FieldErrors errors, Deal deal, List<DealContactInput> input, CancellationToken ct)
    {
        var ids = input.Select(c => c.PersonId).Concat(deal.Contacts.Select(c => c.PersonId)).Distinct().ToList();
        var visible = await db.People.Where(p => ids.Contains(p.Id)).Select(p => p.Id).ToListAsync(ct);
        // Contacts the user cannot see are not shown to them, so they stay as they are.
        var kept = deal.Contacts.Where(c => !visible.Contains(c.PersonId)).ToList();
        foreach (var (c, i) in input.Select((c, i) => (c, i)))
        {
            if (!visible.Contains(c.PersonId)) { errors.Add($"contacts[{i}].personId", Text.Get("Validation.UnknownPerson")); continue; }
            if (!Enum.IsDefined(c.Role)) errors.Add($"contacts[{i}].role", Text.Get("Validation.Choice"));
            if (kept.Any(k => k.PersonId == c.PersonId)) { errors.Add($"contacts[{i}].personId", Text.Get("Validation.DuplicatePerson")); continue; }
            var row = deal.Contacts.FirstOrDefault(x => x.PersonId == c.PersonId) ?? new DealContact { DealId = deal.Id, PersonId = c.PersonId };
            row.Role = c.Role;
            kept.Add(row);
        }
        foreach (var gone in deal.Contacts.Except(kept).ToList()) deal.Contacts.Remove(gone);
        foreach (var added in kept.Except(deal.Contacts).ToList()) deal.Contacts.Add(added);
    }

    internal static async Task<DealDto> ToDtoAsync(MotivDbContext db, Deal d, CancellationToken ct)
    {
        var personIds = d.Contacts.Select(c => c.PersonId).ToList();
        var people = await db.People.AsNoTracking().Where(p => personIds.Contains(p.Id)).Select(p => new { p.Id, p.FirstName, p.LastName }).ToDictionaryAsync(p => p.Id, ct);
        var orgName = d.OrganizationId is { } oid ? await db.Organizations.Where(o => o.Id == oid).Select(o => o.Name).FirstOrDefaultAsync(ct) : null;
        var stage = await db.Stages.AsNoTracking().FirstAsync(s => s.Id == d.StageId, ct);
        var values = await CustomFieldService.ValuesAsync(db, [d.Id], ct);
        var days = (db.Clock.GetUtcNow() - d.StageEnteredAt).TotalDays;
        return new DealDto(d.Id, d.Title, orgName is null ? null : d.OrganizationId, orgName,
            d.Contacts.Where(c => people.ContainsKey(c.PersonId)).Select(c => new DealContactDto(c.PersonId, $"{people[c.PersonId].FirstName} {people[c.PersonId].LastName}", c.Role)).ToList(),
            d.Amount, d.Currency, d.ExpectedCloseDate, d.PipelineId, d.StageId, Text.IsGerman ? stage.NameDe : stage.NameEn, d.StageEnteredAt,
            d.Probability, Effective(stage, d.Probability), d.Status, d.ClosedAt, d.LostReason, d.Competitor, d.Notes,
            d.Status == DealStatus.Open && stage.RottingDays is { } rot && days > rot, d.LeadId, LineItems.ToDtos(d.Lines),
            TagList.FromStored(d.Tags), d.OwnerId, d.TeamId, d.Visibility, d.CreatedAt, d.UpdatedAt, d.Version, values.GetValueOrDefault(d.Id) ?? []);
    }
}

/// <summary>All exchange rates, loaded once, for converting many amounts by the one rule of <see cref="ExchangeRateService"/>.</summary>
public sealed class RateTable(string baseCurrency, IReadOnlyDictionary<string, List<(DateOnly Date, decimal Rate)>> rates)
{
    public string BaseCurrency { get; } = baseCurrency;

    public static async Task<RateTable> LoadAsync(MotivDbContext db, string baseCurrency, CancellationToken ct)
    {
        var rows = await db.ExchangeRates.AsNoTracking().Select(r => new { r.Currency, r.Date, r.Rate }).ToListAsync(ct);
        return new RateTable(baseCurrency, rows.GroupBy(r => r.Currency).ToDictionary(g => g.Key, g => g.OrderBy(r => r.Date).Select(r => (r.Date, r.Rate)).ToList()));
    }

    /// <summary>The amount in the base currency at the latest rate on or before <paramref name="date"/>; null when there is none.</summary>
    public Converted? Convert(Money amount, DateOnly date)
    {
        if (amount.Currency == BaseCurrency) return new Converted(amount, amount with { Amount = Money.Round(amount.Amount, BaseCurrency) }, 1m, date);
        if (!rates.TryGetValue(amount.Currency, out var list)) return null;
        var index = list.FindLastIndex(r => r.Date <= date);
        return index < 0 ? null : ExchangeRateService.Convert(amount, list[index].Rate, list[index].Date, BaseCurrency);
    }

    /// <summary>A field error when an amount in <paramref name="currency"/> could not be converted on <paramref name="date"/>.</summary>
    internal static async Task RequireAsync(MotivDbContext db, FieldErrors errors, string field, string currency, DateOnly date, string baseCurrency, CancellationToken ct)
    {
        if (currency == baseCurrency) return;
        if (!await db.ExchangeRates.AnyAsync(r => r.Currency == currency && r.Date <= date, ct))
            errors.Add(field, Text.Get("Validation.NoRate", currency, date.ToString("d", CultureInfo.CurrentCulture)));
    }
}
