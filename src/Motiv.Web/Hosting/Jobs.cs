using Motiv.Core.Activities;
using Motiv.Core.Common;
using Motiv.Core.Communication;
using Microsoft.EntityFrameworkCore;
using Motiv.Core.Data;
using Quartz;

namespace Motiv.Web.Hosting;

/// <summary>
/// Motiv's background work on Quartz.NET, on the clock: webhook deliveries every 20 seconds, motive inference every 30 seconds, reminders every minute,
/// mailbox synchronisation every five minutes, keep-in-touch and important-date tasks hourly, the recycle-bin purge every six hours, relationship health
/// nightly at 02:30, customer analytics at 03:00 and SQLite's planner statistics at 04:30 (server time). Each runs as Motiv itself and never twice at the same time.
/// On SQLite (one node) the schedule lives in memory; on PostgreSQL it lives in the database (Quartz's clustered ADO job store, tables
/// created when missing), so that several web nodes share it and each firing runs on exactly one of them.
/// </summary>
public static class Jobs
{
    public static IServiceCollection AddMotivJobs(this IServiceCollection services, IConfiguration config)
    {
        services.AddQuartz(q =>
        {
            if (config.GetValue("Motiv:Jobs:Clustered", MotivServices.Provider(config).Equals("Postgres", StringComparison.OrdinalIgnoreCase)))
            {
                q.UsePersistentStore(store =>
                {
                    store.UsePostgres(config.GetConnectionString("Motiv") ?? throw new InvalidOperationException("ConnectionStrings:Motiv is needed for the clustered job store."));
                    store.UseClustering(c => c.CheckinInterval = TimeSpan.FromSeconds(10));
                    store.ProvisionSchema();
                    store.UseExecutionHistory();
                });
            }
            At<WebhookJob>(q, "0/20 * * * * ?");
            At<MotiveJob>(q, "0/30 * * * * ?");
            At<ReminderJob>(q, "0 * * * * ?");
            At<MailSyncJob>(q, "0 0/5 * * * ?");
            At<KeepInTouchJob>(q, "0 0 * * * ?");
            At<PurgeJob>(q, "0 0 0/6 * * ?");
            At<HealthJob>(q, "0 30 2 * * ?");
            At<AnalyticsJob>(q, "0 0 3 * * ?");
            At<StatisticsJob>(q, "0 30 4 * * ?");
        });
        services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
        return services;
    }

    /// <summary>
    /// A job on the clock (cron: every 20 s means at :00, :20 and :40), never "from now": a node that starts later and stores the same trigger
    /// again lands on the same next time as the others instead of firing at once a second time.
    /// </summary>
    private static void At<TJob>(IQuartzBuilder q, string cron) where TJob : IJob =>
        q.ScheduleJob<TJob>(t => t.WithIdentity(typeof(TJob).Name).WithCronSchedule(cron));
}

/// <summary>The work of a job in a scope of its own with a system context; failures are logged, the next run tries again.</summary>
public abstract class SystemJob(IServiceProvider services, ILogger log) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = services.CreateAsyncScope();
            await using var db = SystemDb.Create(scope.ServiceProvider);
            var count = await RunAsync(scope.ServiceProvider, db, cancellationToken);
            if (count > 0) log.LogInformation("{Job}: {Count} done", GetType().Name, count);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogError(e, "{Job} failed; the next run tries again", GetType().Name);
        }
    }

    protected abstract Task<int> RunAsync(IServiceProvider services, MotivDbContext db, CancellationToken ct);
}

[DisallowConcurrentExecution]
public sealed class ReminderJob(IServiceProvider services, ILogger<ReminderJob> log) : SystemJob(services, log)
{
    protected override async Task<int> RunAsync(IServiceProvider services, MotivDbContext db, CancellationToken ct)
    {
        var created = await Reminders.SendDueAsync(db, ct);
        var baseUrl = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Motiv.Core.Communication.LinkOptions>>().Value.PublicUrl;
        await services.GetRequiredService<MailService>().SendRemindersAsync(db, created, baseUrl, ct);
        return created.Count;
    }
}

[DisallowConcurrentExecution]
public sealed class KeepInTouchJob(IServiceProvider services, ILogger<KeepInTouchJob> log) : SystemJob(services, log)
{
    protected override async Task<int> RunAsync(IServiceProvider services, MotivDbContext db, CancellationToken ct) =>
        await Reminders.CreateKeepInTouchTasksAsync(db, ct) + await Reminders.CreateImportantDateTasksAsync(db, ct);
}

[DisallowConcurrentExecution]
public sealed class PurgeJob(IServiceProvider services, ILogger<PurgeJob> log) : SystemJob(services, log)
{
    protected override Task<int> RunAsync(IServiceProvider services, MotivDbContext db, CancellationToken ct) =>
        services.GetRequiredService<RecycleBinService>().PurgeExpiredAsync(db, ct);
}

/// <summary>
/// SQLite's query planner chooses indexes by the statistics ANALYZE stores, and without them guesses. <c>PRAGMA optimize=0x10002</c>
/// analyses every table whose statistics are missing or whose size has changed much since, each with a bounded sample (SQLite
/// 3.46 and later), as SQLite recommends for long-lived connections: at start-up and nightly. PostgreSQL's autovacuum does the same.
/// </summary>
[DisallowConcurrentExecution]
public sealed class StatisticsJob(IServiceProvider services, ILogger<StatisticsJob> log) : SystemJob(services, log)
{
    protected override async Task<int> RunAsync(IServiceProvider services, MotivDbContext db, CancellationToken ct)
    {
        await RefreshAsync(db, ct);
        return 0;
    }

    public static Task RefreshAsync(MotivDbContext db, CancellationToken ct = default) =>
        db.IsSqlite ? db.Database.ExecuteSqlRawAsync("PRAGMA optimize=0x10002;", ct) : Task.CompletedTask;
}

[DisallowConcurrentExecution]
public sealed class MailSyncJob(IServiceProvider services, ILogger<MailSyncJob> log) : SystemJob(services, log)
{
    protected override Task<int> RunAsync(IServiceProvider services, MotivDbContext db, CancellationToken ct) =>
        services.GetRequiredService<MailboxService>().SyncAllAsync(ct);
}

[DisallowConcurrentExecution]
public sealed class WebhookJob(IServiceProvider services, ILogger<WebhookJob> log) : SystemJob(services, log)
{
    protected override Task<int> RunAsync(IServiceProvider services, MotivDbContext db, CancellationToken ct) =>
        services.GetRequiredService<Motiv.Core.Integration.WebhookService>().DeliverDueAsync(db, ct);
}

[DisallowConcurrentExecution]
public sealed class MotiveJob(IServiceProvider services, ILogger<MotiveJob> log) : SystemJob(services, log)
{
    protected override Task<int> RunAsync(IServiceProvider services, MotivDbContext db, CancellationToken ct) =>
        Motiv.Core.Empathy.MotiveService.CatchUpAsync(db, ct, (person, e) => log.LogWarning(e, "Motive inference for person {Person} failed; the next change tries again", person));
}

[DisallowConcurrentExecution]
public sealed class HealthJob(IServiceProvider services, ILogger<HealthJob> log) : SystemJob(services, log)
{
    protected override Task<int> RunAsync(IServiceProvider services, MotivDbContext db, CancellationToken ct) => Motiv.Core.Empathy.HealthService.RecomputeAllAsync(db, ct);
}

/// <summary>
/// Runs long work users start (imports, analytics runs) one after the other; every minute it also takes up imports
/// whose process was cut off (their heartbeat stopped: a crash, a kill -9, a restart), which go on after their last
/// committed row.
/// </summary>
public sealed class BackgroundWorker(IServiceProvider services, Motiv.Core.Import.WorkQueue queue, TimeProvider clock,
    Microsoft.Extensions.Options.IOptions<Motiv.Core.Import.ImportOptions> options, ILogger<BackgroundWorker> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        using var sweep = new PeriodicTimer(TimeSpan.FromMinutes(1), clock);
        _ = Task.Run(async () =>
        {
            do await EnqueueCutOffAsync(stoppingToken);
            while (await sweep.WaitForNextTickAsync(stoppingToken));
        }, stoppingToken);
        await foreach (var (kind, id) in queue.ReadAllAsync(stoppingToken))
        {
            try
            {
                await using var scope = services.CreateAsyncScope();
                if (kind == Motiv.Core.Import.WorkQueue.Import) await scope.ServiceProvider.GetRequiredService<Motiv.Core.Import.ImportRunner>().RunAsync(id, stoppingToken);
                else
                {
                    await using var db = SystemDb.Create(scope.ServiceProvider);
                    await Motiv.Core.Analytics.CustomerScoring.RunAsync(db, id, stoppingToken);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogError(e, "{Kind} {Id} failed", kind, id);
            }
        }
    }

    private async Task EnqueueCutOffAsync(CancellationToken ct)
    {
        try
        {
            await using var scope = services.CreateAsyncScope();
            await using var db = SystemDb.Create(scope.ServiceProvider);
            var busy = await db.Imports.AsNoTracking().Where(j => j.Status == Motiv.Core.Import.ImportStatus.Checking || j.Status == Motiv.Core.Import.ImportStatus.Running
                || j.Status == Motiv.Core.Import.ImportStatus.Undoing).ToListAsync(ct);
            foreach (var job in busy.Where(j => Motiv.Core.Import.ImportService.IsCutOff(j, options.Value, clock.GetUtcNow()))) queue.Enqueue(Motiv.Core.Import.WorkQueue.Import, job.Id);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogWarning(e, "Cut-off imports could not be read; the next sweep tries again");
        }
    }
}

/// <summary>The customer analytics (RFM, lifetime value, churn risk, product breadth) recomputed for everyone, nightly at 03:00.</summary>
[DisallowConcurrentExecution]
public sealed class AnalyticsJob(IServiceProvider services, ILogger<AnalyticsJob> log) : SystemJob(services, log)
{
    protected override async Task<int> RunAsync(IServiceProvider services, MotivDbContext db, CancellationToken ct)
    {
        if (await Motiv.Core.Analytics.CustomerScoring.StartAsync(db, null, ct) is not { } id) return 0;
        return (await Motiv.Core.Analytics.CustomerScoring.RunAsync(db, id, ct)).Customers;
    }
}
