using Microsoft.EntityFrameworkCore;
using Motiv.Core.Common;
using Motiv.Core.Data;
using Motiv.Core.Sales;

namespace Motiv.Core.Analytics;

/// <summary>A customer's analytic attributes as of the last run: RFM, lifetime value, churn risk, product breadth. Segments filter on them.</summary>
public sealed class CustomerScore
{
    public Guid OrganizationId { get; set; }
    public DateOnly AsOf { get; set; }
    public int Orders { get; set; }
    public DateOnly FirstOrder { get; set; }
    public DateOnly LastOrder { get; set; }
    public decimal HistoricValue { get; set; }
    public int R { get; set; }
    public int F { get; set; }
    public int M { get; set; }
    public RfmSegment Segment { get; set; }
    public double ProbabilityAlive { get; set; }
    public double ChurnRisk { get; set; }
    public double ExpectedPurchases { get; set; }
    public double? Value { get; set; }
    public int Products { get; set; }
    public int Categories { get; set; }
}

/// <summary>One computation of the customer analytics, with its progress while it runs and the fitted model after.</summary>
public sealed class AnalyticsRun
{
    public Guid Id { get; set; }
    public DateTimeOffset StartedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
    public DateOnly AsOf { get; set; }

    /// <summary>running, completed, failed</summary>
    public string Status { get; set; } = "running";
    public int Progress { get; set; }
    public int Customers { get; set; }
    public string? Model { get; set; }
    public string? Error { get; set; }
    public Guid? StartedById { get; set; }
}

/// <summary>Horizon (in the unit) and yearly discount rate of the stored lifetime values.</summary>
public sealed record AnalyticsSettings(double Horizon = 52, double DiscountRate = 0.1, string Unit = "week");

public sealed record AnalyticsRunDto(Guid Id, string Status, int Progress, DateOnly AsOf, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt, int Customers, ClvModelDto? Model, string? Error);

/// <summary>
/// Computes every customer's attributes over all orders (as Motiv itself, so a customer's value is the same for
/// everyone who may see the customer) and stores them: nightly, and on demand by administrators and managers.
/// Customers are the organisations with orders; their rows are replaced in batches.
/// </summary>
public static class CustomerScoring
{
    public const string SettingsKey = "analytics";

    public static async Task<AnalyticsRun> RunAsync(MotivDbContext db, Guid runId, CancellationToken ct)
    {
        var run = await db.AnalyticsRuns.FirstAsync(r => r.Id == runId, ct);
        try
        {
            var settings = await SettingsService.ReadAsync<AnalyticsSettings>(db, SettingsKey, ct) ?? new AnalyticsSettings();
            var asOf = run.AsOf;
            var unitDays = settings.Unit == "day" ? 1 : 7;
            // The product breadth reads every order line on a second connection while the histories are read and the
            // model is fitted: each read is mostly the client turning rows into values, one core each, so side by side
            // they take about as long as the longer one (ADR-007 decision 23). (SQLite's "async" calls run synchronously,
            // hence Task.Run.) Should one fail, the other finishes first and the run fails with the error of the first
            // half that failed, in this order; a run cancelled by shutdown is not marked failed (it is taken as stale later).
            var fitting = Task.Run(() => ModelAsync(db, run, asOf, unitDays, ct), ct);
            var breadth = Task.Run(() => BreadthAsync(db, asOf, ct), ct);
            await Task.WhenAll(fitting, breadth);
            var (histories, rfm, bg, gg, note) = await fitting;
            var (customers, productCounts, categoryCounts) = await breadth;
            var factor = Math.Pow(1 + settings.DiscountRate, -(settings.Horizon * unitDays / 365.25) / 2);
            var scores = histories.Select(c =>
            {
                var alive = bg is null ? 1 : BgNbd.ProbabilityAlive(bg, c.Frequency, c.Recency, c.Age);
                var expected = bg is null ? 0 : BgNbd.ExpectedPurchases(bg, c.Frequency, c.Recency, c.Age, settings.Horizon);
                double? spend = gg is null ? null : c.Frequency > 0 ? GammaGamma.ExpectedSpend(gg, c.Frequency, c.MonetaryValue) : gg.P * gg.V / (gg.Q - 1);
                var score = rfm[c.CustomerId];
                var number = customers.GetValueOrDefault(c.CustomerId, -1);
                return new CustomerScore
                {
                    OrganizationId = c.CustomerId, AsOf = asOf, Orders = c.Frequency + 1, FirstOrder = c.First, LastOrder = c.Last, HistoricValue = c.Total,
                    R = score.R, F = score.F, M = score.M, Segment = score.Segment, ProbabilityAlive = Math.Round(alive, 4), ChurnRisk = Math.Round(1 - alive, 4),
                    ExpectedPurchases = Math.Round(expected, 3), Value = spend is { } s ? Math.Round(expected * s * factor, 2) : null,
                    Products = number < 0 ? 0 : productCounts[number], Categories = number < 0 ? 0 : categoryCounts[number],
                };
            }).ToList();
            await ProgressAsync(db, run, 80, ct);
            // The old scores are replaced in one transaction (readers see either set, never none), written in bulk.
            await using (var tx = await db.Database.BeginTransactionAsync(ct))
            {
                await db.CustomerScores.ExecuteDeleteAsync(ct);
                await BulkWriter.InsertAsync(db, scores, ct);
                await tx.CommitAsync(ct);
            }
            var model = bg is null ? null : new ClvModelDto(asOf, settings.Unit, histories.Count, histories.Count(h => h.Frequency > 0), new BgNbdDto(bg.R, bg.Alpha, bg.A, bg.B, bg.LogLikelihood),
                gg is null ? null : new GammaGammaDto(gg.P, gg.Q, gg.V, gg.LogLikelihood));
            await db.AnalyticsRuns.Where(r => r.Id == runId).ExecuteUpdateAsync(u => u.SetProperty(r => r.Status, "completed").SetProperty(r => r.Progress, 100)
                .SetProperty(r => r.Customers, histories.Count).SetProperty(r => r.Model, model == null ? null : JsonColumn.Serialize(model)).SetProperty(r => r.Error, note)
                .SetProperty(r => r.FinishedAt, db.Clock.GetUtcNow()), ct);
        }
        catch (Exception e) when (e is not OperationCanceledException && !ct.IsCancellationRequested)
        {
            await db.AnalyticsRuns.Where(r => r.Id == runId).ExecuteUpdateAsync(u => u.SetProperty(r => r.Status, "failed")
                .SetProperty(r => r.Error, Texts.Cut(e.Message, 2000)).SetProperty(r => r.FinishedAt, db.Clock.GetUtcNow()), CancellationToken.None);
            throw;
        }
        return await db.AnalyticsRuns.AsNoTracking().FirstAsync(r => r.Id == runId, ct);
    }

    /// <summary>
    /// Every customer's purchase history, RFM scores and the fitted BG/NBD and Gamma-Gamma models. The orders are read
    /// in the table's own order and sorted here by customer number (24 bytes an order). Asking the database to sort or
    /// group by customer makes SQLite walk the (customer, date) index with a random row look-up per order: 7 s instead
    /// of under 2 s for two million orders. The date is checked here too, so that the date index does not tempt the
    /// planner either.
    /// </summary>
    private static async Task<(List<CustomerHistory>, Dictionary<Guid, RfmScore>, BgNbdParameters?, GammaGammaParameters?, string?)> ModelAsync(
        MotivDbContext db, AnalyticsRun run, DateOnly asOf, int unitDays, CancellationToken ct)
    {
        var numbers = new Dictionary<Guid, int>();
        var purchases = new List<(int Customer, DateOnly Day, decimal Amount)>();
        await foreach (var o in Live(db).Select(o => new { o.OrganizationId, o.OrderDate, o.BaseNet }).AsAsyncEnumerable().WithCancellation(ct))
            if (o.OrderDate <= asOf) purchases.Add((ProductBaskets.Number(numbers, o.OrganizationId), o.OrderDate, o.BaseNet));
        var ids = new Guid[numbers.Count];
        foreach (var (id, number) in numbers) ids[number] = id;
        purchases.Sort((a, b) => a.Customer.CompareTo(b.Customer));
        var histories = new List<CustomerHistory>(numbers.Count);
        for (int start = 0, end; start < purchases.Count; start = end)
        {
            for (end = start + 1; end < purchases.Count && purchases[end].Customer == purchases[start].Customer; end++) { }
            histories.AddRange(CustomerHistories.Summarise(purchases.Skip(start).Take(end - start).Select(p => new Purchase(ids[p.Customer], p.Day, p.Amount)), asOf, unitDays));
        }
        purchases = null;
        // In the order of the ids, not of the reading (PostgreSQL may start a table scan anywhere): the fit's sums then
        // add up in the same order every time.
        histories.Sort((a, b) => a.CustomerId.CompareTo(b.CustomerId));
        await ProgressAsync(db, run, 20, ct);
        var rfm = Rfm.Score(histories, asOf).ToDictionary(s => s.CustomerId);
        BgNbdParameters? bg = null;
        GammaGammaParameters? gg = null;
        string? note = null;
        if (histories.Count >= InsightsService.MinimumCustomers)
        {
            // Without a model the scores are stored all the same: RFM and breadth do not need one.
            try
            {
                bg = BgNbd.Fit(histories);
                if (histories.Count(h => h.Frequency > 0 && h.MonetaryValue > 0) >= InsightsService.MinimumCustomers) gg = GammaGamma.Fit(histories);
            }
            catch (InvalidOperationException e)
            {
                note = e.Message;
            }
        }
        await ProgressAsync(db, run, 50, ct);
        return (histories, rfm, bg, gg, note);
    }

    /// <summary>
    /// Per customer, the distinct products bought and the distinct categories among them, on a context of its own.
    /// Each line as (customer, product) packed into a long and sorted; each category is marked with the last customer
    /// that counted it.
    /// </summary>
    private static async Task<(Dictionary<Guid, int> Customers, int[] Products, int[] Categories)> BreadthAsync(MotivDbContext parent, DateOnly asOf, CancellationToken ct)
    {
        await using var db = parent.Sibling();
        var products = await db.Products.IgnoreQueryFilters().Select(p => new { p.Id, Category = p.Category ?? "" }).ToListAsync(ct);
        var productNumbers = products.Select((p, i) => (p.Id, i)).ToDictionary(x => x.Id, x => x.i);
        var categoryNames = products.Select(p => p.Category).Distinct().ToList();
        var categoryOf = products.Select(p => categoryNames.IndexOf(p.Category)).ToArray();
        var customers = new Dictionary<Guid, int>();
        var bought = new List<long>();
        await foreach (var line in Live(db).SelectMany(o => o.Lines, (o, l) => new { o.OrganizationId, o.OrderDate, l.ProductId }).Where(x => x.ProductId != null)
            .AsAsyncEnumerable().WithCancellation(ct))
        {
            if (line.OrderDate <= asOf && productNumbers.TryGetValue(line.ProductId!.Value, out var product))
                bought.Add((long)ProductBaskets.Number(customers, line.OrganizationId) << 32 | (uint)product);
        }
        bought.Sort();
        var productCounts = new int[customers.Count];
        var categoryCounts = new int[customers.Count];
        var countedFor = Enumerable.Repeat(-1, categoryNames.Count).ToArray();
        for (var i = 0; i < bought.Count; i++)
        {
            if (i > 0 && bought[i] == bought[i - 1]) continue;
            int customer = (int)(bought[i] >> 32), category = categoryOf[(int)bought[i]];
            productCounts[customer]++;
            if (countedFor[category] == customer) continue;
            countedFor[category] = customer;
            categoryCounts[customer]++;
        }
        return (customers, productCounts, categoryCounts);
    }

    /// <summary>The orders that count: not in the recycle bin, not cancelled (over everyone's orders: the system scope).</summary>
    private static IQueryable<Order> Live(MotivDbContext db) =>
        db.Orders.AsNoTracking().IgnoreQueryFilters().Where(o => o.DeletedAt == null && o.Status != OrderStatus.Cancelled);

    /// <summary>A new run as of today (UTC), unless one is running.</summary>
    public static async Task<Guid?> StartAsync(MotivDbContext db, Guid? userId, CancellationToken ct)
    {
        var now = db.Clock.GetUtcNow();
        // A run that has not moved for an hour died with its process.
        var stale = now.AddHours(-1);
        if (await db.AnalyticsRuns.AnyAsync(r => r.Status == "running" && r.StartedAt > stale, ct)) return null;
        var run = new AnalyticsRun { Id = Guid.CreateVersion7(), StartedAt = now, AsOf = DateOnly.FromDateTime(now.UtcDateTime), StartedById = userId };
        db.AnalyticsRuns.Add(run);
        await db.SaveChangesAsync(ct);
        return run.Id;
    }

    private static async Task ProgressAsync(MotivDbContext db, AnalyticsRun run, int progress, CancellationToken ct) =>
        await db.AnalyticsRuns.Where(r => r.Id == run.Id).ExecuteUpdateAsync(u => u.SetProperty(r => r.Progress, progress), ct);

    public static AnalyticsRunDto ToDto(AnalyticsRun r) => new(r.Id, r.Status, r.Progress, r.AsOf, r.StartedAt, r.FinishedAt, r.Customers,
        r.Model is null ? null : System.Text.Json.JsonSerializer.Deserialize<ClvModelDto>(r.Model, JsonColumn.Options), r.Error);
}

/// <summary>Starting an analytics run (administrators and managers), its progress, and the settings of the stored values.</summary>
public sealed class AnalyticsRunService(IDbContextFactory<MotivDbContext> dbFactory, Import.WorkQueue queue)
{
    public async Task<AnalyticsRunDto> StartAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        RequireManager(db);
        var id = await CustomerScoring.StartAsync(db, db.Scope.UserId, ct);
        if (id is { } started) queue.Enqueue(Import.WorkQueue.Analytics, started);
        return CustomerScoring.ToDto(await db.AnalyticsRuns.AsNoTracking().OrderByDescending(r => r.StartedAt).FirstAsync(ct));
    }

    public async Task<AnalyticsRunDto> LatestAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!db.Scope.IsAuthenticated) throw new AccessDeniedException(Text.Get("Access.SignIn"));
        var run = await db.AnalyticsRuns.AsNoTracking().OrderByDescending(r => r.StartedAt).FirstOrDefaultAsync(ct) ?? throw new NotFoundException("analyticsRun", Guid.Empty);
        return CustomerScoring.ToDto(run);
    }

    public async Task<AnalyticsSettings> GetSettingsAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!db.Scope.IsAuthenticated) throw new AccessDeniedException(Text.Get("Access.SignIn"));
        return await SettingsService.ReadAsync<AnalyticsSettings>(db, CustomerScoring.SettingsKey, ct) ?? new AnalyticsSettings();
    }

    public async Task<AnalyticsSettings> SetSettingsAsync(AnalyticsSettings input, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!db.Scope.CanAdminister) throw new AccessDeniedException(Text.Get("Access.AdministratorsOnly"));
        var errors = new FieldErrors();
        if (input.Horizon is <= 0 or > 520 || double.IsNaN(input.Horizon)) errors.Add("horizon", Text.Get("Validation.Range", 1, 520));
        if (input.DiscountRate is < 0 or > 1 || double.IsNaN(input.DiscountRate)) errors.Add("discountRate", Text.Get("Validation.Range", 0, 1));
        if (input.Unit is not ("week" or "day")) errors.Add("unit", Text.Get("Validation.Choice"));
        errors.ThrowIfAny();
        await SettingsService.WriteAsync(db, CustomerScoring.SettingsKey, input, ct);
        return input;
    }

    private static void RequireManager(MotivDbContext db)
    {
        if (!db.Scope.IsAuthenticated) throw new AccessDeniedException(Text.Get("Access.SignIn"));
        if (db.Scope.IsReadOnly || !(db.Scope.CanAdminister || db.Scope.Roles.Contains(Access.Roles.Manager))) throw new AccessDeniedException(Text.Get("Analytics.ManagersOnly"));
    }
}
