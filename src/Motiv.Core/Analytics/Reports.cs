using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Motiv.Core.Common;
using Motiv.Core.Communication;
using Motiv.Core.Data;
using Motiv.Core.Sales;

namespace Motiv.Core.Analytics;

/// <summary>What a report covers: a period, a team or owner, a pipeline, and how revenue is grouped.</summary>
public sealed record ReportQuery
{
    public DateOnly? From { get; set; }
    public DateOnly? To { get; set; }
    public Guid? TeamId { get; set; }
    public Guid? OwnerId { get; set; }
    public Guid? PipelineId { get; set; }

    /// <summary>Revenue: month (default), quarter, customer, product, category, segment.</summary>
    public string? GroupBy { get; set; }
}

/// <summary>A column: its key, its label in the user's language, and its kind (text, number, money, percent, days).</summary>
public sealed record ReportColumn(string Key, string Label, string Kind);

/// <summary>A report's data as a table, with the chart that shows it best (bar, line, funnel, none).</summary>
public sealed record Report(string Key, string Title, string Chart, DateOnly From, DateOnly To, string Currency, IReadOnlyList<ReportColumn> Columns, IReadOnlyList<IReadOnlyList<object?>> Rows);

/// <summary>
/// The sales and activity reports: pipeline funnel (conversion per stage, median days in stage), win rate, sales
/// cycle, sales velocity, weighted forecast against won, revenue by period, customer, product, category or RFM
/// segment, and activity by user and channel. Every report reads only what the user may read, in the base currency.
/// </summary>
public sealed class ReportService(IDbContextFactory<MotivDbContext> dbFactory, ForecastService forecasts, IOptions<SalesOptions> options)
{
    public static readonly IReadOnlyList<string> Keys = ["forecast", "pipeline-funnel", "win-rate", "sales-cycle", "sales-velocity", "revenue", "activity"];

    public static readonly IReadOnlyList<string> Groupings = ["month", "quarter", "customer", "product", "category", "segment"];

    public async Task<Report> RunAsync(string key, ReportQuery query, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!db.Scope.IsAuthenticated) throw new AccessDeniedException(Text.Get("Access.SignIn"));
        var today = DateOnly.FromDateTime(db.Clock.GetUtcNow().UtcDateTime);
        var to = query.To ?? today;
        var from = query.From ?? new DateOnly(to.Year, 1, 1);
        if (from > to) throw ValidationException.ForQuery("from", Text.Get("Validation.DateOrder"));
        if (to.DayNumber - from.DayNumber > 3660) throw ValidationException.ForQuery("to", Text.Get("Validation.Range", 1, 3660));
        var q = query with { From = from, To = to };
        return key switch
        {
            "forecast" => await ForecastAsync(q, ct),
            "pipeline-funnel" => await FunnelAsync(db, q, ct),
            "win-rate" => await WinRateAsync(db, q, ct),
            "sales-cycle" => await CycleAsync(db, q, ct),
            "sales-velocity" => await VelocityAsync(db, q, ct),
            "revenue" => await RevenueAsync(db, q, ct),
            "activity" => await ActivityAsync(db, q, ct),
            _ => throw new NotFoundException("report", Guid.Empty),
        };
    }

    private Report Make(string key, string chart, ReportQuery q, ReportColumn[] columns, IEnumerable<IReadOnlyList<object?>> rows) =>
        new(key, Text.Get("Report." + key), chart, q.From!.Value, q.To!.Value, options.Value.BaseCurrency, columns, [.. rows]);

    private static ReportColumn Column(string key, string kind) => new(key, Text.Get("Report.Column." + key), kind);

    private static IQueryable<T> Scope<T>(IQueryable<T> set, ReportQuery q) where T : Record
    {
        if (q.TeamId is { } team) set = set.Where(r => r.TeamId == team);
        if (q.OwnerId is { } owner) set = set.Where(r => r.OwnerId == owner);
        return set;
    }

    private static DateTimeOffset Start(DateOnly d) => new(d.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    private static string Month(DateOnly d) => d.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    private static double? Median(IEnumerable<double> values)
    {
        var v = values.Order().ToList();
        return v.Count == 0 ? null : Math.Round(v.Count % 2 == 1 ? v[v.Count / 2] : (v[v.Count / 2 - 1] + v[v.Count / 2]) / 2, 1);
    }

    private async Task<Report> ForecastAsync(ReportQuery q, CancellationToken ct)
    {
        var f = await forecasts.GetAsync(new ForecastQuery { From = q.From, To = q.To, PipelineId = q.PipelineId, OwnerId = q.OwnerId, TeamId = q.TeamId }, ct);
        return Make("forecast", "bar", q, [Column("period", "text"), Column("pipeline", "money"), Column("weighted", "money"), Column("won", "money"), Column("quota", "money")],
            f.Periods.Select(p => (IReadOnlyList<object?>)[p.Period, p.Pipeline, p.Weighted, p.Won, p.Quota]));
    }

    /// <summary>
    /// For each open and the won stage of the pipeline: the deals created in the period that reached it (entered it or a
    /// later stage), the share of them that went on to the next stage, and the median days deals stayed in it.
    /// </summary>
    private async Task<Report> FunnelAsync(MotivDbContext db, ReportQuery q, CancellationToken ct)
    {
        var pipeline = await db.Pipelines.AsNoTracking().Include(p => p.Stages).Where(p => q.PipelineId == null || p.Id == q.PipelineId)
            .OrderBy(p => p.SortOrder).FirstOrDefaultAsync(ct) ?? throw ValidationException.ForQuery("pipelineId", Text.Get("Validation.UnknownRecord"));
        var stages = pipeline.Stages.Where(s => s.Kind != StageKind.Lost).OrderBy(s => s.Kind == StageKind.Won).ThenBy(s => s.SortOrder).ToList();
        var (start, end) = (Start(q.From!.Value), Start(q.To!.Value.AddDays(1)));
        var deals = Scope(db.Deals.AsNoTracking(), q).Where(d => d.PipelineId == pipeline.Id && d.CreatedAt >= start && d.CreatedAt < end);
        var changes = await db.DealStageChanges.AsNoTracking().Where(c => deals.Any(d => d.Id == c.DealId))
            .Select(c => new { c.DealId, c.StageId, c.EnteredAt, c.LeftAt }).ToListAsync(ct);
        var order = stages.Select((s, i) => (s.Id, i)).ToDictionary(x => x.Id, x => x.i);
        // A deal reached every stage up to the furthest one it entered.
        var furthest = changes.Where(c => order.ContainsKey(c.StageId)).GroupBy(c => c.DealId).Select(g => g.Max(c => order[c.StageId])).ToList();
        var reached = stages.Select((_, i) => furthest.Count(f => f >= i)).ToList();
        var german = Text.IsGerman;
        return Make("pipeline-funnel", "funnel", q, [Column("stage", "text"), Column("deals", "number"), Column("conversion", "percent"), Column("medianDays", "days")],
            stages.Select((s, i) => (IReadOnlyList<object?>)[german ? s.NameDe : s.NameEn, reached[i],
                i + 1 < stages.Count && reached[i] > 0 ? Math.Round((double)reached[i + 1] / reached[i], 4) : null,
                Median(changes.Where(c => c.StageId == s.Id && c.LeftAt != null).Select(c => (c.LeftAt!.Value - c.EnteredAt).TotalDays))]));
    }

    private sealed record Closed(DateOnly Day, bool Won, decimal Amount, double Days);

    /// <summary>Deals won or lost in the period, with their amount in the base currency and days from creation to close.</summary>
    private async Task<List<Closed>> ClosedAsync(MotivDbContext db, ReportQuery q, CancellationToken ct)
    {
        var (start, end) = (Start(q.From!.Value), Start(q.To!.Value.AddDays(1)));
        var rows = await Scope(db.Deals.AsNoTracking(), q).Where(d => d.Status != DealStatus.Open && d.ClosedAt >= start && d.ClosedAt < end)
            .Where(d => q.PipelineId == null || d.PipelineId == q.PipelineId)
            .Select(d => new { d.ClosedAt, d.Status, d.Amount, d.Currency, d.CreatedAt }).ToListAsync(ct);
        var rates = await RateTable.LoadAsync(db, options.Value.BaseCurrency, ct);
        return [.. rows.Select(d =>
        {
            var day = DateOnly.FromDateTime(d.ClosedAt!.Value.UtcDateTime);
            var amount = rates.Convert(new Money(d.Amount, d.Currency), day)?.Base.Amount ?? 0;
            return new Closed(day, d.Status == DealStatus.Won, amount, Math.Max(0, (d.ClosedAt.Value - d.CreatedAt).TotalDays));
        })];
    }

    private async Task<Report> WinRateAsync(MotivDbContext db, ReportQuery q, CancellationToken ct)
    {
        var closed = await ClosedAsync(db, q, ct);
        return Make("win-rate", "line", q, [Column("period", "text"), Column("won", "number"), Column("lost", "number"), Column("winRate", "percent"), Column("wonAmount", "money")],
            closed.GroupBy(c => Month(c.Day)).OrderBy(g => g.Key).Select(g => (IReadOnlyList<object?>)[g.Key, g.Count(c => c.Won), g.Count(c => !c.Won),
                Math.Round((double)g.Count(c => c.Won) / g.Count(), 4), g.Where(c => c.Won).Sum(c => c.Amount)]));
    }

    private async Task<Report> CycleAsync(MotivDbContext db, ReportQuery q, CancellationToken ct)
    {
        var won = (await ClosedAsync(db, q, ct)).Where(c => c.Won).ToList();
        return Make("sales-cycle", "line", q, [Column("period", "text"), Column("won", "number"), Column("medianDays", "days"), Column("averageDays", "days")],
            won.GroupBy(c => Month(c.Day)).OrderBy(g => g.Key).Select(g => (IReadOnlyList<object?>)[g.Key, g.Count(), Median(g.Select(c => c.Days)), Math.Round(g.Average(c => c.Days), 1)]));
    }

    /// <summary>Sales velocity = open deals × win rate × average won amount ÷ average cycle (days), per day and per 30 days.</summary>
    private async Task<Report> VelocityAsync(MotivDbContext db, ReportQuery q, CancellationToken ct)
    {
        var closed = await ClosedAsync(db, q, ct);
        var open = await Scope(db.Deals.AsNoTracking(), q).Where(d => d.Status == DealStatus.Open && (q.PipelineId == null || d.PipelineId == q.PipelineId)).CountAsync(ct);
        var won = closed.Where(c => c.Won).ToList();
        double? rate = closed.Count == 0 ? null : (double)won.Count / closed.Count;
        decimal? average = won.Count == 0 ? null : Math.Round(won.Average(c => c.Amount), 2);
        double? cycle = won.Count == 0 ? null : Math.Round(won.Average(c => c.Days), 1);
        decimal? perDay = rate is { } r && average is { } a && cycle is > 0 ? Math.Round(open * (decimal)r * a / (decimal)cycle.Value, 2) : null;
        return Make("sales-velocity", "none", q, [Column("openDeals", "number"), Column("winRate", "percent"), Column("averageWon", "money"), Column("averageDays", "days"),
            Column("perDay", "money"), Column("per30Days", "money")], [[open, rate is { } x ? Math.Round(x, 4) : null, average, cycle, perDay, perDay * 30]]);
    }

    /// <summary>Revenue from orders (not cancelled) in the period, net in the base currency, grouped as asked.</summary>
    private async Task<Report> RevenueAsync(MotivDbContext db, ReportQuery q, CancellationToken ct)
    {
        var by = q.GroupBy?.Trim().ToLowerInvariant() ?? "month";
        if (!Groupings.Contains(by)) throw ValidationException.ForQuery("groupBy", Text.Get("Validation.Choice"));
        var orders = Scope(db.Orders.AsNoTracking(), q).Where(o => o.Status != OrderStatus.Cancelled && o.OrderDate >= q.From && o.OrderDate <= q.To);
        var columns = new[] { Column(by, "text"), Column("orders", "number"), Column("revenue", "money") };
        if (by is "product" or "category")
        {
            var lines = await orders.SelectMany(o => o.Lines, (o, l) => new { o.Id, OrderNet = o.Net, o.BaseNet, l.ProductId, l.Name, LineNet = l.Net }).ToListAsync(ct);
            var ids = lines.Where(l => l.ProductId != null).Select(l => l.ProductId!.Value).Distinct().ToList();
            var products = await db.Products.IgnoreQueryFilters().AsNoTracking().Where(p => ids.Contains(p.Id))
                .ToDictionaryAsync(p => p.Id, p => (Name: Text.IsGerman ? p.NameDe : p.NameEn, p.Category), ct);
            string Key(Guid? product, string name) => product is { } id && products.TryGetValue(id, out var p)
                ? (by == "product" ? p.Name : p.Category ?? "–") : by == "product" ? name : "–";
            return Make("revenue", "bar", q, columns, lines.GroupBy(l => Key(l.ProductId, l.Name))
                .Select(g => (Key: g.Key, Orders: g.Select(l => l.Id).Distinct().Count(), Revenue: Math.Round(g.Sum(l => l.OrderNet == 0 ? 0 : l.LineNet * l.BaseNet / l.OrderNet), 2)))
                .OrderByDescending(r => r.Revenue).Take(100).Select(r => (IReadOnlyList<object?>)[r.Key, r.Orders, r.Revenue]));
        }
        var rows = await orders.Select(o => new { o.OrganizationId, o.OrderDate, o.BaseNet }).ToListAsync(ct);
        Dictionary<Guid, string> names = [];
        Dictionary<Guid, RfmSegment> segments = [];
        if (by == "customer")
        {
            var ids = rows.Select(r => r.OrganizationId).Distinct().ToList();
            names = await db.Organizations.AsNoTracking().Where(o => ids.Contains(o.Id)).ToDictionaryAsync(o => o.Id, o => o.Name, ct);
        }
        if (by == "segment") segments = await db.CustomerScores.AsNoTracking().ToDictionaryAsync(s => s.OrganizationId, s => s.Segment, ct);
        string Group(Guid org, DateOnly day) => by switch
        {
            "quarter" => $"{day.Year}-Q{(day.Month - 1) / 3 + 1}",
            "customer" => names.GetValueOrDefault(org, "–"),
            "segment" => segments.TryGetValue(org, out var s) ? Text.Get("Rfm." + s) : "–",
            _ => Month(day),
        };
        var grouped = rows.GroupBy(r => Group(r.OrganizationId, r.OrderDate)).Select(g => (Key: g.Key, Orders: g.Count(), Revenue: g.Sum(r => r.BaseNet)));
        grouped = by is "month" or "quarter" ? grouped.OrderBy(g => g.Key) : grouped.OrderByDescending(g => g.Revenue).Take(100);
        return Make("revenue", by is "month" or "quarter" ? "line" : "bar", q, columns, grouped.Select(r => (IReadOnlyList<object?>)[r.Key, r.Orders, r.Revenue]));
    }

    /// <summary>Interactions in the period by the user who owns them and their channel.</summary>
    private async Task<Report> ActivityAsync(MotivDbContext db, ReportQuery q, CancellationToken ct)
    {
        var (start, end) = (Start(q.From!.Value), Start(q.To!.Value.AddDays(1)));
        var counts = await Scope(db.Interactions.AsNoTracking(), q).Where(i => i.OccurredAt >= start && i.OccurredAt < end)
            .GroupBy(i => new { i.OwnerId, i.Channel }).Select(g => new { g.Key.OwnerId, g.Key.Channel, Count = g.Count() }).ToListAsync(ct);
        var users = counts.Select(c => c.OwnerId).Distinct().ToList();
        var names = await db.Users.AsNoTracking().Where(u => users.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
        var channels = Enum.GetValues<InteractionChannel>().Where(ch => counts.Any(c => c.Channel == ch)).ToList();
        var columns = new[] { Column("user", "text") }.Concat(channels.Select(ch => new ReportColumn(ch.ToString().ToLowerInvariant(), Text.Get("InteractionChannel." + ch), "number")))
            .Append(Column("total", "number")).ToArray();
        return Make("activity", "bar", q, columns, counts.GroupBy(c => c.OwnerId).OrderByDescending(g => g.Sum(c => c.Count)).Select(g =>
            (IReadOnlyList<object?>)[names.GetValueOrDefault(g.Key, "–"), .. channels.Select(ch => (object?)g.Where(c => c.Channel == ch).Sum(c => c.Count)), g.Sum(c => c.Count)]));
    }

    /// <summary>A report's rows as text for CSV and XLSX: numbers invariant, the header the column labels.</summary>
    public static async IAsyncEnumerable<string?[]> RowsAsync(Report report)
    {
        await Task.CompletedTask;
        yield return [.. report.Columns.Select(c => c.Label)];
        foreach (var row in report.Rows) yield return [.. row.Select(v => v is IFormattable f ? f.ToString(null, CultureInfo.InvariantCulture) : v?.ToString())];
    }
}

/// <summary>A widget on a user's dashboard: a report with its grouping, in a size (columns of 12).</summary>
public sealed record DashboardWidget(string Report, string? GroupBy = null, int Width = 6);

public sealed record DashboardInput(List<DashboardWidget>? Widgets);

/// <summary>Each user's own dashboard: which reports, in which order and size. A user without one gets the default.</summary>
public sealed class DashboardService(IDbContextFactory<MotivDbContext> dbFactory)
{
    public static readonly IReadOnlyList<DashboardWidget> Default =
        [new("forecast", null, 12), new("pipeline-funnel"), new("win-rate"), new("revenue", "month"), new("revenue", "category"), new("activity", null, 12)];

    public async Task<IReadOnlyList<DashboardWidget>> GetAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!db.Scope.IsAuthenticated) throw new AccessDeniedException(Text.Get("Access.SignIn"));
        return await SettingsService.ReadAsync<List<DashboardWidget>>(db, Key(db), ct) ?? [.. Default];
    }

    public async Task<IReadOnlyList<DashboardWidget>> SetAsync(DashboardInput input, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!db.Scope.IsAuthenticated) throw new AccessDeniedException(Text.Get("Access.SignIn"));
        var errors = new FieldErrors();
        var widgets = input.Widgets ?? [];
        if (widgets.Count > 24) errors.Add("widgets", Text.Get("Validation.TooMany", 24));
        foreach (var (w, i) in widgets.Select((w, i) => (w, i)))
        {
            if (w is null || !ReportService.Keys.Contains(w.Report)) errors.Add($"widgets[{i}].report", Text.Get("Validation.Choice"));
            else if (w.GroupBy is not null && (w.Report != "revenue" || !ReportService.Groupings.Contains(w.GroupBy))) errors.Add($"widgets[{i}].groupBy", Text.Get("Validation.Choice"));
            if (w is { Width: not (4 or 6 or 8 or 12) }) errors.Add($"widgets[{i}].width", Text.Get("Validation.Choice"));
        }
        errors.ThrowIfAny();
        await SettingsService.WriteAsync(db, Key(db), widgets, ct);
        return widgets;
    }

    private static string Key(MotivDbContext db) => $"dashboard:{db.Scope.UserId:N}";
}
