using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Motiv.Core.Access;
using Motiv.Core.Common;
using Motiv.Core.Data;

namespace Motiv.Core.Import;

/// <summary>
/// Works through an import in batches, with the rights of the user who started it. Each batch's records, their
/// undo information and the watermark (rows done) are committed in one transaction, so a crash loses no committed
/// row and a rerun starts after the last one. A row with errors is recorded and skipped; when a batch fails in the
/// database, its rows are tried one by one so that only the bad row fails. A dry run does the same and rolls back.
/// </summary>
public sealed class ImportRunner(DbContextOptions<MotivDbContext> dbOptions, ImportTargets targets, IOptions<ImportOptions> options, TimeProvider clock,
    ILogger<ImportRunner> log)
{
    private sealed record Unit(IReadOnlyList<Cells> Rows)
    {
        public int First => Rows[0].Row;
        public int Last => Rows[^1].Row;
    }

    private sealed record Result(Unit Unit, RowOutcome Outcome, Record? Record, string? Before, IReadOnlyList<string> Errors, IReadOnlyList<Record> Extra);

    /// <summary>Runs the import's current step (dry run, import or undo) to its end, its cancellation or its failure.</summary>
    public async Task RunAsync(Guid id, CancellationToken ct)
    {
        await using var system = SystemContext();
        var job = await system.Imports.AsNoTracking().FirstOrDefaultAsync(j => j.Id == id, ct);
        if (job is null || !job.IsBusy) return;
        if (ImportService.IsCutOff(job, options.Value, clock.GetUtcNow()))
        {
            // Taken up after a crash: only one process may claim it (the heartbeat it saw must still be there).
            var seen = job.HeartbeatAt;
            var now = clock.GetUtcNow();
            if (await system.Imports.Where(j => j.Id == id && j.HeartbeatAt == seen).ExecuteUpdateAsync(s => s.SetProperty(j => j.HeartbeatAt, now), ct) == 0) return;
        }
        var scope = await AccessScopeLoader.LoadAsync(system, job.CreatedById, ct);
        try
        {
            if (scope is null || scope.IsReadOnly) throw new AccessDeniedException(Text.Get("Access.ReadOnly"));
            var finished = job.Status == ImportStatus.Undoing ? await UndoAsync(job, scope, ct) : await ImportAsync(job, scope, ct);
            await SetStatusAsync(job, finished, null, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            log.LogError(e, "Import {Id} failed", id);
            await SetStatusAsync(job, ImportStatus.Failed, Texts.Cut(e is ValidationException or AccessDeniedException ? e.Message : Text.Get("Import.Crashed", e.GetType().Name), 2000), CancellationToken.None);
        }
    }

    private async Task<ImportStatus> ImportAsync(ImportJob job, AccessScope scope, CancellationToken ct)
    {
        var dry = job.Status == ImportStatus.Checking;
        var target = targets.Find(job.Entity)!;
        var path = ImportService.FilePath(options.Value, job.Id);
        if (job.RowsTotal is null)
        {
            var total = 0;
            await foreach (var _ in TableReader.RowsAsync(path, job.Format, 0, ct)) total++;
            job.RowsTotal = Math.Max(0, total - 1);
            await using var system = SystemContext();
            await system.Imports.Where(j => j.Id == job.Id).ExecuteUpdateAsync(s => s.SetProperty(j => j.RowsTotal, job.RowsTotal), ct);
        }
        if (!dry && job.RowsDone == 0)
        {
            await using var system = SystemContext();
            await system.ImportRows.Where(r => r.ImportId == job.Id && r.Dry).ExecuteDeleteAsync(ct);
        }
        var batch = new List<Unit>();
        var rowsInBatch = 0;
        List<Cells>? group = null;
        string? groupKey = null;
        await foreach (var (row, values) in TableReader.RowsAsync(path, job.Format, job.RowsDone, ct))
        {
            if (row == 1) continue;
            var cells = new Cells(job.Mapping, values, row);
            if (values.All(string.IsNullOrWhiteSpace))
            {
                // An empty line counts as done without a trace.
                if (group is null) { batch.Add(new Unit([cells])); rowsInBatch++; }
                continue;
            }
            var key = target.GroupBy is { } g ? cells[g] : null;
            if (group is not null && (key is null || key != groupKey))
            {
                batch.Add(new Unit(group));
                rowsInBatch += group.Count;
                group = null;
            }
            if (key is not null)
            {
                group ??= [];
                group.Add(cells);
                groupKey = key;
            }
            else
            {
                batch.Add(new Unit([cells]));
                rowsInBatch++;
            }
            if (rowsInBatch >= options.Value.BatchSize && group is null)
            {
                if (!await BatchAsync(job, target, scope, batch, dry, ct)) return ImportStatus.Cancelled;
                batch.Clear();
                rowsInBatch = 0;
            }
        }
        if (group is not null) batch.Add(new Unit(group));
        if (batch.Count > 0 && !await BatchAsync(job, target, scope, batch, dry, ct)) return ImportStatus.Cancelled;
        return dry ? ImportStatus.Checked : ImportStatus.Completed;
    }

    /// <summary>
    /// One batch in one transaction. First all its rows at once: one look-up per kind of key, one save. When a row fails
    /// (bad values, a refusal of the database), that try is rolled back and the batch goes row by row, each row behind a
    /// savepoint and saved before the next, so that only the bad row fails. False when the import was cancelled.
    /// </summary>
    private async Task<bool> BatchAsync(ImportJob job, ImportTarget target, AccessScope scope, List<Unit> units, bool dry, CancellationToken ct)
    {
        await using (var system = SystemContext())
        {
            if (await system.Imports.Where(j => j.Id == job.Id).Select(j => j.CancelRequested).FirstAsync(ct)) return false;
        }
        if (!await TryBatchAsync(job, target, scope, units, dry, whole: true, ct)) await TryBatchAsync(job, target, scope, units, dry, whole: false, ct);
        return true;
    }

    /// <summary>The batch as a whole (false, with nothing stored, when a row fails) or row by row (always true).</summary>
    private async Task<bool> TryBatchAsync(ImportJob job, ImportTarget target, AccessScope scope, List<Unit> units, bool dry, bool whole, CancellationToken ct)
    {
        await using var db = Context(scope);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var batch = new ImportBatch(db, job);
        if (whole) await FindAsync(batch, target, units.SelectMany(u => target.Keys(u.Rows[0])), ct);
        var results = new List<Result>();
        foreach (var unit in units)
        {
            if (!whole) await tx.CreateSavepointAsync("row", ct);
            var result = await UnitAsync(batch, target, unit, whole, ct);
            if (result.Outcome == RowOutcome.Failed)
            {
                if (whole) return false;
                await tx.RollbackToSavepointAsync("row", ct);
            }
            // Row by row, nothing stays tracked, so each row costs the same however long the batch.
            if (!whole) db.ChangeTracker.Clear();
            results.Add(result);
        }
        if (whole)
        {
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (Exception e) when (e is ValidationException or DbUpdateException or AccessDeniedException)
            {
                return false;
            }
        }
        if (dry)
        {
            await tx.RollbackAsync(ct);
            await using var system = SystemContext();
            await using var dryTx = await system.Database.BeginTransactionAsync(ct);
            await RecordAsync(system, job, results, dry, ct);
            await dryTx.CommitAsync(ct);
        }
        else
        {
            await RecordAsync(db, job, results, dry, ct);
            await tx.CommitAsync(ct);
        }
        return true;
    }

    /// <summary>Looks up the stored records with the keys, one query per kind of key, into the batch's <see cref="ImportBatch.Found"/>.</summary>
    private static async Task FindAsync(ImportBatch batch, ImportTarget target, IEnumerable<string> keys, CancellationToken ct)
    {
        foreach (var kind in keys.Distinct().Select(ImportTarget.Split).GroupBy(k => k.Kind))
            foreach (var (key, record) in await target.FindAsync(batch, kind.Key, [.. kind.Select(k => k.Value)], ct))
                if (key is not null) batch.Found.TryAdd(key, record);
    }

    /// <summary>
    /// One row (or an order's rows): matched, written, and saved (row by row) or left for the batch's save (whole), or
    /// failed with its errors. A record written by an earlier row of the batch is matched like a stored one.
    /// </summary>
    private static async Task<Result> UnitAsync(ImportBatch batch, ImportTarget target, Unit unit, bool whole, CancellationToken ct)
    {
        var cells = unit.Rows[0];
        if (cells.Values.All(string.IsNullOrWhiteSpace)) return new Result(unit, RowOutcome.Skipped, null, null, [], []);
        var db = batch.Db;
        var known = batch.Known.Keys.ToHashSet();
        var extra = batch.Extra.Count;
        try
        {
            var keys = target.Keys(cells).ToList();
            if (!whole)
            {
                // Every row is saved before the next, so an earlier row of the same file is found like any stored record.
                batch.Found.Clear();
                await FindAsync(batch, target, keys, ct);
            }
            var existing = keys.Select(k => batch.Found.GetValueOrDefault(k)).FirstOrDefault(r => r is not null);
            var policy = batch.Job.Policy;
            if (existing is not null && (policy == DuplicatePolicy.Skip || (policy == DuplicatePolicy.Update && !target.CanUpdate)))
                return new Result(unit, RowOutcome.Skipped, existing, null, [], []);
            var update = existing is not null && policy == DuplicatePolicy.Update;
            var record = await target.WriteAsync(batch, unit.Rows, update ? existing : null, ct);
            string? before = null;
            if (update && db.Entry(record).State == EntityState.Modified) before = Before(db.Entry(record));
            if (whole) foreach (var key in keys) batch.Found[key] = record;
            else await db.SaveChangesAsync(ct);
            return new Result(unit, update ? RowOutcome.Updated : RowOutcome.Created, record, before, [], [.. batch.Extra.Skip(extra)]);
        }
        catch (Exception e) when (e is ValidationException or DbUpdateException or AccessDeniedException)
        {
            // Whatever this row changed or added is forgotten (the caller rolls back to the row's savepoint and clears the tracker); the rows before it stay.
            foreach (var key in batch.Known.Keys.Where(k => !known.Contains(k)).ToList()) batch.Known.Remove(key);
            batch.Extra.RemoveRange(extra, batch.Extra.Count - extra);
            IReadOnlyList<string> errors = e switch
            {
                ValidationException v => [.. v.Errors.SelectMany(x => x.Value.Select(m => $"{Column(batch.Job, target.FieldOf(x.Key))}: {m}"))],
                DbUpdateException d => [Text.Get("Import.DatabaseRefused", d.InnerException?.Message ?? d.Message)],
                _ => [e.Message],
            };
            return new Result(unit, RowOutcome.Failed, null, null, errors, []);
        }
    }

    /// <summary>The header of the column mapped to the field (what the user knows it by), else the field's name.</summary>
    private static string Column(ImportJob job, string field)
    {
        var i = job.Mapping.IndexOf(field);
        return i >= 0 && i < job.Header.Count ? job.Header[i] : field;
    }

    /// <summary>The changed properties' values before the row, for undo.</summary>
    private static string Before(EntityEntry entry) => JsonSerializer.Serialize(entry.Properties.Where(p => p.IsModified)
        .ToDictionary(p => p.Metadata.Name, p => JsonSerializer.SerializeToElement(p.OriginalValue, p.Metadata.ClrType, JsonColumn.Options)), JsonColumn.Options);

    /// <summary>Stores what became of the rows and moves the watermark, in the caller's transaction.</summary>
    private async Task RecordAsync(MotivDbContext db, ImportJob job, IReadOnlyList<Result> results, bool dry, CancellationToken ct)
    {
        foreach (var r in results)
        {
            switch (r.Outcome)
            {
                case RowOutcome.Created: job.Created++; break;
                case RowOutcome.Updated: job.Updated++; break;
                case RowOutcome.Skipped: job.Skipped++; break;
                case RowOutcome.Failed: job.Failed += r.Unit.Rows.Count; break;
            }
            if (r.Outcome == RowOutcome.Failed)
            {
                foreach (var cells in r.Unit.Rows)
                    db.ImportRows.Add(new ImportRow { Id = Guid.CreateVersion7(), ImportId = job.Id, Row = cells.Row, Outcome = r.Outcome, Dry = dry, Errors = [.. r.Errors], Values = [.. cells.Values] });
            }
            else if (!dry && r.Outcome is RowOutcome.Created or RowOutcome.Updated)
            {
                foreach (var extra in r.Extra)
                    db.ImportRows.Add(new ImportRow { Id = Guid.CreateVersion7(), ImportId = job.Id, Row = r.Unit.First, Outcome = RowOutcome.Created, RecordType = extra.RecordType, RecordId = extra.Id, Version = extra.Version });
                db.ImportRows.Add(new ImportRow
                {
                    Id = Guid.CreateVersion7(), ImportId = job.Id, Row = r.Unit.First, Outcome = r.Outcome, RecordType = r.Record!.RecordType, RecordId = r.Record.Id,
                    Version = r.Record.Version, Before = r.Before,
                });
            }
        }
        job.RowsDone = results[^1].Unit.Last - 1;
        await db.SaveChangesAsync(ct);
        await db.Imports.Where(j => j.Id == job.Id).ExecuteUpdateAsync(s => s.SetProperty(j => j.RowsDone, job.RowsDone).SetProperty(j => j.Created, job.Created)
            .SetProperty(j => j.Updated, job.Updated).SetProperty(j => j.Skipped, job.Skipped).SetProperty(j => j.Failed, job.Failed)
            .SetProperty(j => j.HeartbeatAt, clock.GetUtcNow()), ct);
    }

    /// <summary>
    /// Undo, newest rows first, in batches that each commit with the removal of their undo rows (so a rerun goes on where
    /// it stopped). A record's rows (a file may create and then update it) are undone together: its newest row decides
    /// whether it is still as the import left it, otherwise the record is kept as it is.
    /// </summary>
    private async Task<ImportStatus> UndoAsync(ImportJob job, AccessScope scope, CancellationToken ct)
    {
        var kept = job.Kept;
        while (true)
        {
            await using var db = Context(scope);
            if (await db.Imports.Where(j => j.Id == job.Id).Select(j => j.CancelRequested).FirstAsync(ct)) return ImportStatus.Cancelled;
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var undo = db.ImportRows.Where(r => r.ImportId == job.Id && !r.Dry && r.RecordId != null);
            var newest = await undo.OrderByDescending(r => r.Row).ThenByDescending(r => r.Id).Take(options.Value.BatchSize).ToListAsync(ct);
            if (newest.Count == 0) return ImportStatus.Undone;
            var ids = newest.Select(r => r.RecordId!.Value).Distinct().ToList();
            var rows = newest.UnionBy(await undo.Where(r => ids.Contains(r.RecordId!.Value)).ToListAsync(ct), r => r.Id)
                .OrderByDescending(r => r.Row).ThenByDescending(r => r.Id).ToList();
            var ours = new Dictionary<Guid, bool>();
            foreach (var row in rows)
            {
                var record = await RecordTypes.Query(db, row.RecordType!).FirstOrDefaultAsync(r => r.Id == row.RecordId, ct);
                if (record is null) continue;
                if (!ours.TryGetValue(record.Id, out var undoIt))
                {
                    ours[record.Id] = undoIt = record.Version == row.Version && AccessRules.CanWrite(scope, record.OwnerId, record.TeamId, record.Visibility);
                    if (!undoIt) kept++;
                }
                if (!undoIt) continue;
                if (row.Outcome == RowOutcome.Created) record.DeletedAt = clock.GetUtcNow();
                else if (row.Before is { } before)
                {
                    var entry = db.Entry(record);
                    foreach (var (name, value) in JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(before, JsonColumn.Options)!)
                    {
                        var property = entry.Property(name);
                        property.CurrentValue = value.Deserialize(property.Metadata.ClrType, JsonColumn.Options);
                    }
                }
            }
            await db.SaveChangesAsync(ct);
            db.ImportRows.RemoveRange(rows);
            await db.SaveChangesAsync(ct);
            var now = clock.GetUtcNow();
            await db.Imports.Where(j => j.Id == job.Id).ExecuteUpdateAsync(s => s.SetProperty(j => j.Kept, kept).SetProperty(j => j.HeartbeatAt, now), ct);
            await tx.CommitAsync(ct);
        }
    }

    /// <summary>The step's end. A dry run that was cancelled or failed leaves the import as uploaded (its mapping can change, the import starts at the top).</summary>
    private async Task SetStatusAsync(ImportJob job, ImportStatus status, string? error, CancellationToken ct)
    {
        await using var system = SystemContext();
        var now = clock.GetUtcNow();
        var dry = job.Status == ImportStatus.Checking && status is ImportStatus.Cancelled or ImportStatus.Failed;
        var final = dry ? ImportStatus.Uploaded : status;
        await system.Imports.Where(j => j.Id == job.Id).ExecuteUpdateAsync(s => s.SetProperty(j => j.Status, final).SetProperty(j => j.Error, error)
            .SetProperty(j => j.FinishedAt, now).SetProperty(j => j.CancelRequested, false).SetProperty(j => j.RowsDone, j => dry ? 0 : j.RowsDone), ct);
    }

    private MotivDbContext Context(AccessScope scope) => new(dbOptions, new FixedCurrentUser(scope), clock);

    private MotivDbContext SystemContext() => Context(AccessScope.System);
}
