using Microsoft.EntityFrameworkCore;
using Motiv.Core.Common;
using Motiv.Core.Data;
using Motiv.Core.Sales;

namespace Motiv.Core.Analytics;

/// <summary>What to analyse: the customers' orders up to a day, in weeks or days, optionally only customers with a tag.</summary>
public sealed record InsightQuery
{
    public DateOnly? AsOf { get; set; }
    public string? Unit { get; set; }
    public string? Tag { get; set; }

    /// <summary>Only the customers in this segment of organisations.</summary>
    public Guid? SegmentId { get; set; }
    public int? Limit { get; set; }
}

public sealed record BgNbdDto(double R, double Alpha, double A, double B, double LogLikelihood);

public sealed record GammaGammaDto(double P, double Q, double V, double LogLikelihood);

public sealed record ClvModelDto(DateOnly AsOf, string Unit, int Customers, int Repeaters, BgNbdDto Bgnbd, GammaGammaDto? GammaGamma);

public sealed record ClvCustomerDto(Guid OrganizationId, string Name, int Frequency, double Recency, double Age, double ProbabilityAlive, double ExpectedPurchases,
    double? ExpectedSpend, double? Value, decimal HistoricValue);

public sealed record RuleDto(IReadOnlyList<string> Antecedent, IReadOnlyList<string> Consequent, double Support, double Confidence, double Lift, double Leverage, double? Conviction);

public sealed record RfmDto(DateOnly AsOf, IReadOnlyDictionary<RfmSegment, int> Segments, IReadOnlyList<RfmCustomerDto> Customers);

public sealed record RfmCustomerDto(Guid OrganizationId, string Name, int RecencyDays, int Frequency, decimal Monetary, int R, int F, int M, RfmSegment Segment);

/// <summary>
/// Customer analytics over the orders (not cancelled) of the organisations the user may read, in the base currency:
/// BG/NBD and Gamma-Gamma (lifetime value, P(alive), churn risk), RFM and association rules. Computed on request for
/// now; the nightly job and stored results follow with the rest of the analytics.
/// </summary>
public sealed class InsightsService(IDbContextFactory<MotivDbContext> dbFactory, SegmentService segments)
{
    public const int MinimumCustomers = 10;

    public async Task<ClvModelDto> ModelAsync(InsightQuery query, CancellationToken ct = default)
    {
        var (asOf, unit, histories, _) = await HistoriesAsync(query, ct);
        var (bg, gg) = Fit(histories);
        return new ClvModelDto(asOf, unit, histories.Count, histories.Count(h => h.Frequency > 0), new BgNbdDto(bg.R, bg.Alpha, bg.A, bg.B, bg.LogLikelihood),
            gg is null ? null : new GammaGammaDto(gg.P, gg.Q, gg.V, gg.LogLikelihood));
    }

    /// <summary>
    /// Per customer: P(alive), expected purchases over <paramref name="horizon"/> units, expected spend per purchase and
    /// their product discounted to today at <paramref name="discountRate"/> per year (a purchase counts as made in the
    /// middle of the horizon), highest value first.
    /// </summary>
    public async Task<IReadOnlyList<ClvCustomerDto>> CustomersAsync(InsightQuery query, double? horizon, double? discountRate, bool byChurnRisk, CancellationToken ct = default)
    {
        var h = horizon ?? 52;
        var d = discountRate ?? 0.1;
        if (h is <= 0 or > 520) throw ValidationException.ForQuery("horizon", Text.Get("Validation.Range", 1, 520));
        if (d is < 0 or > 1) throw ValidationException.ForQuery("discountRate", Text.Get("Validation.Range", 0, 1));
        var (_, unit, histories, names) = await HistoriesAsync(query, ct);
        var (bg, gg) = Fit(histories);
        var years = h * (unit == "week" ? 7 : 1) / 365.25;
        var factor = Math.Pow(1 + d, -years / 2);
        var rows = histories.Select(c =>
        {
            var purchases = BgNbd.ExpectedPurchases(bg, c.Frequency, c.Recency, c.Age, h);
            double? spend = gg is null ? null : c.Frequency > 0 ? GammaGamma.ExpectedSpend(gg, c.Frequency, c.MonetaryValue) : gg.P * gg.V / (gg.Q - 1);
            return new ClvCustomerDto(c.CustomerId, names.GetValueOrDefault(c.CustomerId, ""), c.Frequency, Math.Round(c.Recency, 2), Math.Round(c.Age, 2),
                Math.Round(BgNbd.ProbabilityAlive(bg, c.Frequency, c.Recency, c.Age), 4), Math.Round(purchases, 3), spend is { } s ? Math.Round(s, 2) : null,
                spend is { } v ? Math.Round(purchases * v * factor, 2) : null, c.Total);
        });
        var ordered = byChurnRisk ? rows.OrderBy(r => r.ProbabilityAlive).ThenByDescending(r => r.HistoricValue) : rows.OrderByDescending(r => r.Value ?? 0).ThenByDescending(r => r.HistoricValue);
        return [.. ordered.ThenBy(r => r.OrganizationId).Take(Limit(query))];
    }

    public async Task<RfmDto> RfmAsync(InsightQuery query, CancellationToken ct = default)
    {
        var (asOf, _, histories, names) = await HistoriesAsync(query, ct);
        var scores = Rfm.Score(histories, asOf);
        return new RfmDto(asOf, Enum.GetValues<RfmSegment>().ToDictionary(s => s, s => scores.Count(x => x.Segment == s)),
            [.. scores.OrderByDescending(s => s.R + s.F + s.M).ThenBy(s => s.CustomerId).Take(Limit(query))
                .Select(s => new RfmCustomerDto(s.CustomerId, names.GetValueOrDefault(s.CustomerId, ""), s.RecencyDays, s.Frequency, s.Monetary, s.R, s.F, s.M, s.Segment))]);
    }

    /// <summary>Retention by month of first order (customers = organisations).</summary>
    public async Task<IReadOnlyList<Cohort>> CohortsAsync(InsightQuery query, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!db.Scope.IsAuthenticated) throw new AccessDeniedException(Text.Get("Access.SignIn"));
        var asOf = query.AsOf ?? DateOnly.FromDateTime(db.Clock.GetUtcNow().UtcDateTime);
        return Cohorts.Retention(await PurchasesAsync(db, query, asOf, ct), asOf);
    }

    /// <summary>Rules between products (or categories) bought in the same order.</summary>
    public async Task<IReadOnlyList<RuleDto>> RulesAsync(InsightQuery query, double? minSupport, double? minConfidence, string? level, CancellationToken ct = default)
    {
        var support = minSupport ?? 0.01;
        var confidence = minConfidence ?? 0.3;
        if (support is <= 0 or > 1) throw ValidationException.ForQuery("minSupport", Text.Get("Validation.Range", 0, 1));
        if (confidence is < 0 or > 1) throw ValidationException.ForQuery("minConfidence", Text.Get("Validation.Range", 0, 1));
        if (level is not (null or "product" or "category")) throw ValidationException.ForQuery("level", Text.Get("Validation.Choice"));
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var asOf = query.AsOf ?? DateOnly.FromDateTime(db.Clock.GetUtcNow().UtcDateTime);
        var data = await ProductBaskets.ReadAsync(await OrdersAsync(db, query, asOf, ct), withCustomers: false, ct);
        // Every product bought names its rules, also one the user may not read or that is in the recycle bin since.
        var products = await db.Products.IgnoreQueryFilters().AsNoTracking().Where(p => data.Products.Contains(p.Id))
            .ToDictionaryAsync(p => p.Id, p => (Name: Text.IsGerman ? p.NameDe : p.NameEn, Category: p.Category ?? "–"), ct);
        var names = data.Products.Select(id => level == "category" ? products[id].Category : products[id].Name).ToArray();
        var baskets = data.Baskets;
        if (level == "category")
        {
            // Products of one category become one item: number the categories and map each order's products onto them.
            var categories = names.Distinct().ToList();
            var category = names.Select(c => categories.IndexOf(c)).ToArray();
            baskets = [.. baskets.Select(b => b.Select(p => category[p]).Distinct().ToArray())];
            names = [.. categories];
        }
        return [.. AssociationRules.Rules(baskets, support, confidence).Take(Limit(query)).Select(r => r.Map(n => names[n]))
            .Select(r => new RuleDto([.. r.Antecedent.Order()], [.. r.Consequent.Order()], Math.Round(r.Support, 4), Math.Round(r.Confidence, 4), Math.Round(r.Lift, 4), Math.Round(r.Leverage, 4),
                r.Conviction is { } c ? Math.Round(c, 4) : null))];
    }

    private static int Limit(InsightQuery query) => query.Limit is { } l ? (l is < 1 or > Paging.MaxLimit
        ? throw ValidationException.ForQuery("limit", Text.Get("Validation.Range", 1, Paging.MaxLimit)) : l) : 50;

    private static (BgNbdParameters, GammaGammaParameters?) Fit(List<CustomerHistory> histories)
    {
        if (histories.Count < MinimumCustomers) throw ValidationException.ForQuery("customers", Text.Get("Insights.TooFewCustomers", MinimumCustomers, histories.Count));
        try
        {
            var bg = BgNbd.Fit(histories);
            var gg = histories.Count(h => h.Frequency > 0 && h.MonetaryValue > 0) >= MinimumCustomers ? GammaGamma.Fit(histories) : null;
            return (bg, gg);
        }
        catch (InvalidOperationException)
        {
            throw ValidationException.ForQuery("customers", Text.Get("Insights.NoConvergence"));
        }
    }

    /// <summary>Orders the user may read, not cancelled, up to the day; only of organisations with the tag, or in the segment, when one is asked for.</summary>
    private async Task<IQueryable<Order>> OrdersAsync(MotivDbContext db, InsightQuery query, DateOnly asOf, CancellationToken ct)
    {
        var orders = db.Orders.AsNoTracking().Where(o => o.Status != OrderStatus.Cancelled && o.OrderDate <= asOf);
        if (!string.IsNullOrWhiteSpace(query.Tag))
        {
            var needle = TagList.Needle(query.Tag);
            orders = orders.Where(o => db.Organizations.Any(x => x.Id == o.OrganizationId && x.Tags.Contains(needle)));
        }
        if (query.SegmentId is { } segment)
        {
            if (await segments.EntityOfAsync(segment, ct) != "organizations") throw ValidationException.ForQuery("segmentId", Text.Get("Insights.SegmentOfOrganizations"));
            var members = new List<Guid>();
            await foreach (var id in segments.MemberIdsAsync(segment, ct)) members.Add(id);
            orders = orders.Where(o => members.Contains(o.OrganizationId));
        }
        return orders;
    }

    /// <summary>Each order as a purchase of its organisation on its date, for its net amount in the base currency.</summary>
    private async Task<List<Purchase>> PurchasesAsync(MotivDbContext db, InsightQuery query, DateOnly asOf, CancellationToken ct) =>
        await (await OrdersAsync(db, query, asOf, ct)).Select(o => new Purchase(o.OrganizationId, o.OrderDate, o.BaseNet)).ToListAsync(ct);

    private async Task<(DateOnly AsOf, string Unit, List<CustomerHistory> Histories, Dictionary<Guid, string> Names)> HistoriesAsync(InsightQuery query, CancellationToken ct)
    {
        var unit = query.Unit?.Trim().ToLowerInvariant() ?? "week";
        if (unit is not ("week" or "day")) throw ValidationException.ForQuery("unit", Text.Get("Validation.Choice"));
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!db.Scope.IsAuthenticated) throw new AccessDeniedException(Text.Get("Access.SignIn"));
        var asOf = query.AsOf ?? DateOnly.FromDateTime(db.Clock.GetUtcNow().UtcDateTime);
        var histories = CustomerHistories.Summarise(await PurchasesAsync(db, query, asOf, ct), asOf, unit == "week" ? 7 : 1);
        var ids = histories.Select(h => h.CustomerId).ToList();
        var names = await db.Organizations.AsNoTracking().Where(o => ids.Contains(o.Id)).ToDictionaryAsync(o => o.Id, o => o.Name, ct);
        return (asOf, unit, histories, names);
    }
}
