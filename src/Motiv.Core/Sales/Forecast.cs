using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Motiv.Core.Common;
using Motiv.Core.Data;

namespace Motiv.Core.Sales;

/// <summary>A user's sales target for one month, in the base currency.</summary>
public sealed class Quota
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid UserId { get; set; }
    public int Year { get; set; }
    public int Month { get; set; }
    public decimal Amount { get; set; }
}

public sealed record QuotaInput(Guid? UserId, int? Year, int? Month, decimal? Amount);

public sealed record QuotaDto(Guid UserId, int Year, int Month, decimal Amount);

public sealed record ForecastQuery
{
    public DateOnly? From { get; set; }
    public DateOnly? To { get; set; }

    /// <summary>"month" (default) or "quarter".</summary>
    public string? Period { get; set; }
    public Guid? PipelineId { get; set; }
    public Guid? OwnerId { get; set; }
    public Guid? TeamId { get; set; }
}

public sealed record ForecastPeriod(string Period, DateOnly Start, DateOnly End, int OpenDeals, decimal Pipeline, decimal Weighted, int WonDeals, decimal Won, decimal Quota);

public sealed record ForecastOwner(Guid OwnerId, decimal Pipeline, decimal Weighted, decimal Won, decimal Quota);

public sealed record PipelineStats(Guid PipelineId, string Name, int Won, int Lost, double? WinRate, double? AverageCycleDays, decimal WonAmount);

/// <summary>
/// The weighted pipeline against quotas and won deals, in the base currency: open deals at today's rate by their expected
/// close date, won deals at the rate of the day they were won. Amounts without a rate are left out and named.
/// </summary>
public sealed record Forecast(string BaseCurrency, DateOnly From, DateOnly To, DateOnly RatesOf, IReadOnlyList<ForecastPeriod> Periods,
    IReadOnlyList<ForecastOwner> Owners, IReadOnlyList<PipelineStats> Pipelines, IReadOnlyList<string> Unconverted);

public sealed class ForecastService(IDbContextFactory<MotivDbContext> dbFactory, IOptions<SalesOptions> options)
{
    public async Task<Forecast> GetAsync(ForecastQuery query, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!db.Scope.IsAuthenticated) throw new AccessDeniedException(Text.Get("Access.SignIn"));
        var today = DateOnly.FromDateTime(db.Clock.GetUtcNow().UtcDateTime);
        var quarterly = query.Period switch
        {
            null or "" or "month" => false,
            "quarter" => true,
            _ => throw ValidationException.ForQuery("period", Text.Get("Validation.Choice")),
        };
        var from = query.From ?? new DateOnly(today.Year, 1, 1);
        var to = query.To ?? new DateOnly(today.Year, 12, 31);
        if (to < from) throw ValidationException.ForQuery("to", Text.Get("Validation.DateOrder"));
        if (to.DayNumber - from.DayNumber > 3660) throw ValidationException.ForQuery("to", Text.Get("Validation.Range", 1, 10));
        // Whole periods: the range widens to the first and last month (or quarter) it touches, so every period is complete.
        var step = quarterly ? 3 : 1;
        from = new DateOnly(from.Year, (from.Month - 1) / step * step + 1, 1);
        to = new DateOnly(to.Year, (to.Month - 1) / step * step + 1, 1).AddMonths(step).AddDays(-1);
        var rates = await RateTable.LoadAsync(db, options.Value.BaseCurrency, ct);
        var unconverted = new HashSet<string>(StringComparer.Ordinal);

        IQueryable<Deal> deals = db.Deals.AsNoTracking();
        if (query.PipelineId is { } pipeline) deals = deals.Where(d => d.PipelineId == pipeline);
        if (query.OwnerId is { } owner) deals = deals.Where(d => d.OwnerId == owner);
        if (query.TeamId is { } team) deals = deals.Where(d => d.TeamId == team);

        var open = await deals.Where(d => d.Status == DealStatus.Open && d.ExpectedCloseDate >= from && d.ExpectedCloseDate <= to)
            .GroupBy(d => new { d.ExpectedCloseDate, d.Currency, d.OwnerId, d.StageId, d.Probability })
            .Select(g => new { g.Key.ExpectedCloseDate, g.Key.Currency, g.Key.OwnerId, g.Key.StageId, g.Key.Probability, Count = g.Count(), Sum = g.Sum(d => d.Amount) })
            .ToListAsync(ct);
        var stageProbability = await db.Stages.AsNoTracking().ToDictionaryAsync(s => s.Id, s => s.Probability, ct);
        var fromInstant = new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var toInstant = new DateTimeOffset(to.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var closed = await deals.Where(d => d.Status != DealStatus.Open && d.ClosedAt >= fromInstant && d.ClosedAt < toInstant)
            .Select(d => new { d.PipelineId, d.Status, d.OwnerId, d.Amount, d.Currency, d.CreatedAt, ClosedAt = d.ClosedAt!.Value }).ToListAsync(ct);

        decimal ToBase(decimal amount, string currency, DateOnly date)
        {
            if (rates.Convert(new Money(amount, currency), date) is { } c) return c.Base.Amount;
            unconverted.Add(currency);
            return 0;
        }

        var openRows = open.Select(o =>
        {
            var amount = ToBase(o.Sum, o.Currency, today);
            var probability = o.Probability ?? stageProbability.GetValueOrDefault(o.StageId);
            return new { Date = o.ExpectedCloseDate!.Value, o.OwnerId, o.Count, Amount = amount, Weighted = Money.Round(amount * probability / 100m, rates.BaseCurrency) };
        }).ToList();
        var wonRows = closed.Where(c => c.Status == DealStatus.Won)
            .Select(c => new { Date = DateOnly.FromDateTime(c.ClosedAt.UtcDateTime), c.OwnerId, Amount = ToBase(c.Amount, c.Currency, DateOnly.FromDateTime(c.ClosedAt.UtcDateTime)) }).ToList();

        var quotaQuery = db.Quotas.AsNoTracking().Where(q => q.Year * 100 + q.Month >= from.Year * 100 + from.Month && q.Year * 100 + q.Month <= to.Year * 100 + to.Month);
        if (query.OwnerId is { } quotaOwner) quotaQuery = quotaQuery.Where(q => q.UserId == quotaOwner);
        if (query.TeamId is { } quotaTeam) quotaQuery = quotaQuery.Where(q => db.TeamMembers.Any(m => m.TeamId == quotaTeam && m.UserId == q.UserId));
        var quotas = await quotaQuery.ToListAsync(ct);

        var periods = new List<ForecastPeriod>();
        for (var start = from; start <= to; start = start.AddMonths(step))
        {
            var end = start.AddMonths(step).AddDays(-1);
            bool In(DateOnly d) => d >= start && d <= end;
            var label = quarterly ? $"{start.Year}-Q{(start.Month - 1) / 3 + 1}" : $"{start.Year}-{start.Month:00}";
            periods.Add(new ForecastPeriod(label, start, end,
                openRows.Where(r => In(r.Date)).Sum(r => r.Count), openRows.Where(r => In(r.Date)).Sum(r => r.Amount), openRows.Where(r => In(r.Date)).Sum(r => r.Weighted),
                wonRows.Count(r => In(r.Date)), wonRows.Where(r => In(r.Date)).Sum(r => r.Amount),
                quotas.Where(q => In(new DateOnly(q.Year, q.Month, 1))).Sum(q => q.Amount)));
        }
        var owners = openRows.Select(r => r.OwnerId).Concat(wonRows.Select(r => r.OwnerId)).Concat(quotas.Select(q => q.UserId)).Distinct()
            .Select(o => new ForecastOwner(o, openRows.Where(r => r.OwnerId == o).Sum(r => r.Amount), openRows.Where(r => r.OwnerId == o).Sum(r => r.Weighted),
                wonRows.Where(r => r.OwnerId == o).Sum(r => r.Amount), quotas.Where(q => q.UserId == o).Sum(q => q.Amount)))
            .OrderByDescending(o => o.Weighted + o.Won).ToList();
        var german = Text.IsGerman;
        var names = await db.Pipelines.AsNoTracking().ToDictionaryAsync(p => p.Id, p => german ? p.NameDe : p.NameEn, ct);
        var stats = closed.GroupBy(c => c.PipelineId).Select(g =>
        {
            var won = g.Where(c => c.Status == DealStatus.Won).ToList();
            var lost = g.Count(c => c.Status == DealStatus.Lost);
            return new PipelineStats(g.Key, names.GetValueOrDefault(g.Key) ?? "", won.Count, lost,
                won.Count + lost == 0 ? null : Math.Round((double)won.Count / (won.Count + lost), 3),
                won.Count == 0 ? null : Math.Round(won.Average(c => (c.ClosedAt - c.CreatedAt).TotalDays), 1),
                won.Sum(c => ToBase(c.Amount, c.Currency, DateOnly.FromDateTime(c.ClosedAt.UtcDateTime))));
        }).OrderBy(s => s.Name).ToList();
        return new Forecast(rates.BaseCurrency, from, to, today, periods, owners, stats, unconverted.Order(StringComparer.Ordinal).ToList());
    }

    public async Task<IReadOnlyList<QuotaDto>> ListQuotasAsync(int year, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!db.Scope.IsAuthenticated) throw new AccessDeniedException(Text.Get("Access.SignIn"));
        return await db.Quotas.AsNoTracking().Where(q => q.Year == year).OrderBy(q => q.UserId).ThenBy(q => q.Month)
            .Select(q => new QuotaDto(q.UserId, q.Year, q.Month, q.Amount)).ToListAsync(ct);
    }

    /// <summary>Sets a user's quota for a month: administrators for anyone, managers for members of the teams they manage.</summary>
    public async Task<QuotaDto> SetQuotaAsync(QuotaInput input, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var scope = db.Scope;
        var errors = new FieldErrors();
        if (input.UserId is not { } userId || !await db.Users.AnyAsync(u => u.Id == userId, ct)) errors.Add("userId", Text.Get("Validation.UnknownUser"));
        if (input.Year is not (>= 2000 and <= 2100)) errors.Add("year", Text.Get("Validation.Range", 2000, 2100));
        if (input.Month is not (>= 1 and <= 12)) errors.Add("month", Text.Get("Validation.Range", 1, 12));
        if (input.Amount is not { } amount || amount < 0) errors.Add("amount", Text.Get("Validation.NotNegative"));
        errors.ThrowIfAny();
        var managed = scope.ManagedTeamIds;
        var allowed = scope.CanAdminister || (!scope.IsReadOnly && await db.TeamMembers.AnyAsync(m => m.UserId == input.UserId && managed.Contains(m.TeamId), ct));
        if (!allowed) throw new AccessDeniedException(Text.Get("Access.QuotaManagers"));
        var row = await db.Quotas.FirstOrDefaultAsync(q => q.UserId == input.UserId && q.Year == input.Year && q.Month == input.Month, ct)
            ?? db.Quotas.Add(new Quota { UserId = input.UserId!.Value, Year = input.Year!.Value, Month = input.Month!.Value }).Entity;
        row.Amount = Money.Round(input.Amount!.Value, options.Value.BaseCurrency);
        await db.SaveChangesAsync(ct);
        return new QuotaDto(row.UserId, row.Year, row.Month, row.Amount);
    }
}
