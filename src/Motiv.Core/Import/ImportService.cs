using System.Security.Cryptography;
using System.Text;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Motiv.Core.Access;
using Motiv.Core.Common;
using Motiv.Core.Data;

namespace Motiv.Core.Import;

public sealed class ImportOptions
{
    /// <summary>Where uploaded files are kept until their import is undone or deleted (relative paths start at the working directory).</summary>
    public string Path { get; set; } = "data/imports";

    /// <summary>The largest file accepted, in bytes (2 GiB: a million rows are far below).</summary>
    public long MaxBytes { get; set; } = 2L * 1024 * 1024 * 1024;

    /// <summary>Rows committed together with the watermark.</summary>
    public int BatchSize { get; set; } = 500;

    /// <summary>A running import whose last batch is older than this was cut off (crash, kill -9) and is taken up again.</summary>
    public int StaleAfterSeconds { get; set; } = 120;
}

/// <summary>Long work started by a user and done in the background, one after the other: imports and analytics runs.</summary>
public sealed class WorkQueue
{
    public const string Import = "import";
    public const string Analytics = "analytics";

    private readonly Channel<(string Kind, Guid Id)> _channel = Channel.CreateUnbounded<(string, Guid)>();

    public void Enqueue(string kind, Guid id) => _channel.Writer.TryWrite((kind, id));

    public IAsyncEnumerable<(string Kind, Guid Id)> ReadAllAsync(CancellationToken ct) => _channel.Reader.ReadAllAsync(ct);
}

public sealed record ImportFieldDto(string Key, bool Required, string Label);

public sealed record ImportDto(Guid Id, string Entity, string FileName, string Format, long Size, IReadOnlyList<string> Header, IReadOnlyList<string?> Mapping,
    DuplicatePolicy DuplicatePolicy, string NumberFormat, string? Tag, bool CreateMissingCustomers, ImportStatus Status, bool CancelRequested, int RowsDone, int? RowsTotal,
    int Created, int Updated, int Skipped, int Failed, int Kept, string? Error, DateTimeOffset CreatedAt, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt,
    IReadOnlyList<ImportFieldDto> Fields, bool CanUpdate);

public sealed record ImportPreview(IReadOnlyList<string> Header, IReadOnlyList<IReadOnlyList<string?>> Rows);

public sealed record ImportSettings(List<string?>? Mapping, DuplicatePolicy? DuplicatePolicy, string? NumberFormat, string? Tag, bool? CreateMissingCustomers);

public sealed record ImportRowDto(int Row, RowOutcome Outcome, IReadOnlyList<string> Errors, IReadOnlyList<string?> Values, string? RecordType, Guid? RecordId);

/// <summary>
/// Imports from the user's point of view: upload a file (kept on disk, never loaded whole), map its columns (suggested
/// from German and English headers), check it in a dry run, run it, cancel it, read its errors and undo it. The work
/// itself is done by <see cref="ImportRunner"/> in the background, with the uploader's rights.
/// </summary>
public sealed class ImportService(IDbContextFactory<MotivDbContext> dbFactory, ICurrentUser user, ImportTargets targets, WorkQueue queue,
    IOptions<ImportOptions> options, TimeProvider clock)
{
    public const int PreviewRows = 10;

    public static string FilePath(ImportOptions options, Guid id) => System.IO.Path.Combine(options.Path, id.ToString("N"));

    public async Task<ImportDto> UploadAsync(string? entity, string? fileName, Stream content, CancellationToken ct = default)
    {
        var scope = RequireWriter();
        var target = targets.Find(entity) ?? throw ValidationException.For("entity", Text.Get("Validation.Choice"));
        var id = Guid.CreateVersion7();
        Directory.CreateDirectory(options.Value.Path);
        var path = FilePath(options.Value, id);
        var (size, sha) = await CopyAsync(content, path, ct);
        try
        {
            var format = size == 0 ? null : TableReader.Sniff(path);
            if (format is null) throw ValidationException.For("file", Text.Get("Import.FileType"));
            if (format == "vcard" && target.Entity != "people") throw ValidationException.For("entity", Text.Get("Import.VCardPeople"));
            var header = await TableReader.HeaderAsync(path, format, ct);
            if (header.Count == 0) throw ValidationException.For("file", Text.Get("Import.NoHeader"));
            var job = new ImportJob
            {
                Id = id, Entity = target.Entity, FileName = Texts.Cut(System.IO.Path.GetFileName(fileName ?? "import"), 260), Format = format, Size = size, Sha256 = sha,
                Header = [.. header.Select(h => Texts.Cut(h, 200))], Mapping = Suggest(target, header), NumberFormat = TableReader.SuggestNumberFormat(path, format),
                CreatedById = scope.UserId, CreatedAt = clock.GetUtcNow(),
            };
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            db.Imports.Add(job);
            await db.SaveChangesAsync(ct);
            return ToDto(job);
        }
        catch
        {
            File.Delete(path);
            throw;
        }
    }

    /// <summary>For each column the field whose known headers contain the folded header; a field is suggested once (first column wins).</summary>
    public static List<string?> Suggest(ImportTarget target, IReadOnlyList<string> header)
    {
        var taken = new HashSet<string>();
        var result = new List<string?>();
        foreach (var h in header)
        {
            var folded = Fold(h);
            var field = target.Fields.FirstOrDefault(f => !taken.Contains(f.Key) && (f.Key.Equals(h, StringComparison.OrdinalIgnoreCase) || f.Headers.Contains(folded)));
            if (field is not null) taken.Add(field.Key);
            result.Add(field?.Key);
        }
        return result;
    }

    /// <summary>"E-Mail-Adresse" → "emailadresse", "Straße" → "strasse", "USt-IdNr." → "ustidnr".</summary>
    public static string Fold(string header)
    {
        var sb = new StringBuilder();
        foreach (var ch in header.ToLowerInvariant())
        {
            switch (ch)
            {
                case 'ä': sb.Append("ae"); break;
                case 'ö': sb.Append("oe"); break;
                case 'ü': sb.Append("ue"); break;
                case 'ß': sb.Append("ss"); break;
                default: if (char.IsAsciiLetterOrDigit(ch)) sb.Append(ch); break;
            }
        }
        return sb.ToString();
    }

    public async Task<ImportDto> GetAsync(Guid id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return ToDto(await FindAsync(db, id, ct));
    }

    /// <summary>The user's imports (administrators: everyone's), newest first.</summary>
    public async Task<IReadOnlyList<ImportDto>> ListAsync(CancellationToken ct = default)
    {
        var scope = RequireUser();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var jobs = await db.Imports.AsNoTracking().Where(j => scope.CanAdminister || j.CreatedById == scope.UserId)
            .OrderByDescending(j => j.CreatedAt).Take(50).ToListAsync(ct);
        return [.. jobs.Select(ToDto)];
    }

    public async Task<ImportPreview> PreviewAsync(Guid id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var job = await FindAsync(db, id, ct);
        var rows = new List<IReadOnlyList<string?>>();
        await foreach (var (_, values) in TableReader.RowsAsync(FilePath(options.Value, id), job.Format, 0, ct).Skip(1).Take(PreviewRows).WithCancellation(ct))
            rows.Add(values);
        return new ImportPreview(job.Header, rows);
    }

    /// <summary>Sets the mapping and options; only before the import runs. A dry run's results are dropped.</summary>
    public async Task<ImportDto> ConfigureAsync(Guid id, ImportSettings settings, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var job = await FindAsync(db, id, ct, forWrite: true);
        if (job.Status is not (ImportStatus.Uploaded or ImportStatus.Checked)) throw ValidationException.For("status", Text.Get("Import.NotChangeable"));
        var target = targets.Find(job.Entity)!;
        var errors = new FieldErrors();
        var mapping = settings.Mapping ?? job.Mapping;
        if (mapping.Count != job.Header.Count) errors.Add("mapping", Text.Get("Import.MappingLength", job.Header.Count));
        foreach (var (field, i) in mapping.Select((f, i) => (f, i)))
        {
            if (string.IsNullOrEmpty(field)) continue;
            if (target.Fields.All(f => f.Key != field)) errors.Add($"mapping[{i}]", Text.Get("Import.UnknownField", field));
            else if (mapping.Take(i).Contains(field)) errors.Add($"mapping[{i}]", Text.Get("Import.FieldTwice", field));
        }
        foreach (var required in target.Fields.Where(f => f.Required && !mapping.Contains(f.Key))) errors.Add("mapping", Text.Get("Import.FieldRequired", required.Key));
        var policy = settings.DuplicatePolicy ?? job.Policy;
        if (!Enum.IsDefined(policy)) errors.Add("duplicatePolicy", Text.Get("Validation.Choice"));
        else if (policy == DuplicatePolicy.Update && !target.CanUpdate) errors.Add("duplicatePolicy", Text.Get("Import.NoUpdate"));
        var numberFormat = settings.NumberFormat ?? job.NumberFormat;
        if (numberFormat is not ("de" or "en")) errors.Add("numberFormat", Text.Get("Validation.Choice"));
        var tag = settings.Tag is null ? job.Tag : TagList.Normalize(settings.Tag) is { Length: > 0 } t ? t : null;
        if (tag is { Length: > TagList.MaxTagLength }) errors.Add("tag", Text.Get("Validation.Tag", TagList.MaxTagLength));
        errors.ThrowIfAny();
        job.Mapping = [.. mapping.Select(m => string.IsNullOrEmpty(m) ? null : m)];
        job.Policy = policy;
        job.NumberFormat = numberFormat;
        job.Tag = tag;
        job.CreateMissing = settings.CreateMissingCustomers ?? job.CreateMissing;
        job.Status = ImportStatus.Uploaded;
        (job.RowsDone, job.Created, job.Updated, job.Skipped, job.Failed) = (0, 0, 0, 0, 0);
        await db.ImportRows.Where(r => r.ImportId == id).ExecuteDeleteAsync(ct);
        await db.SaveChangesAsync(ct);
        return ToDto(job);
    }

    /// <summary>Starts a dry run (everything checked and written, then rolled back) or the import; a cancelled or crashed import goes on after its last committed row.</summary>
    public async Task<ImportDto> StartAsync(Guid id, bool dryRun, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var job = await FindAsync(db, id, ct, forWrite: true);
        var cutOff = IsCutOff(job, options.Value, clock.GetUtcNow());
        var allowed = dryRun ? job.Status is ImportStatus.Uploaded or ImportStatus.Checked || (cutOff && job.Status == ImportStatus.Checking)
            : job.Status is ImportStatus.Uploaded or ImportStatus.Checked or ImportStatus.Cancelled or ImportStatus.Failed || (cutOff && job.Status == ImportStatus.Running);
        if (!allowed) throw ValidationException.For("status", Text.Get("Import.NotStartable"));
        if (job.Status is ImportStatus.Uploaded or ImportStatus.Checked) (job.RowsDone, job.Created, job.Updated, job.Skipped, job.Failed) = (0, 0, 0, 0, 0);
        job.Status = dryRun ? ImportStatus.Checking : ImportStatus.Running;
        job.CancelRequested = false;
        job.Error = null;
        job.StartedAt = job.HeartbeatAt = clock.GetUtcNow();
        job.FinishedAt = null;
        await db.SaveChangesAsync(ct);
        queue.Enqueue(WorkQueue.Import, id);
        return ToDto(job);
    }

    /// <summary>Removes an import that is not running, with its file and rows (what it imported stays; undo it first to remove that).</summary>
    public async Task DeleteAsync(Guid id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var job = await FindAsync(db, id, ct, forWrite: true);
        if (job.IsBusy && !IsCutOff(job, options.Value, clock.GetUtcNow())) throw ValidationException.For("status", Text.Get("Import.NotChangeable"));
        db.Imports.Remove(job);
        await db.SaveChangesAsync(ct);
        File.Delete(FilePath(options.Value, id));
    }

    /// <summary>
    /// The mapping after changes written as "Header=field;Other header=" (an empty field leaves the column out) or as a
    /// JSON array with one field (or null) per column.
    /// </summary>
    public static List<string?> Remap(IReadOnlyList<string> header, IReadOnlyList<string?> suggested, string? spec)
    {
        var mapping = suggested.ToList();
        if (string.IsNullOrWhiteSpace(spec)) return mapping;
        if (spec.TrimStart().StartsWith('['))
        {
            try
            {
                return System.Text.Json.JsonSerializer.Deserialize<List<string?>>(spec) ?? mapping;
            }
            catch (System.Text.Json.JsonException)
            {
                throw ValidationException.For("mapping", Text.Get("Validation.Json"));
            }
        }
        foreach (var pair in spec.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var at = pair.IndexOf('=');
            var column = at < 0 ? pair : pair[..at].Trim();
            var index = header.ToList().FindIndex(h => string.Equals(h, column, StringComparison.OrdinalIgnoreCase));
            if (at < 0 || index < 0) throw ValidationException.For("mapping", Text.Get("Import.UnknownColumn", column, string.Join(", ", header)));
            mapping[index] = pair[(at + 1)..].Trim() is { Length: > 0 } field ? field : null;
        }
        return mapping;
    }

    /// <summary>Whether a busy import stopped giving signs of life: its process was killed or crashed.</summary>
    public static bool IsCutOff(ImportJob job, ImportOptions options, DateTimeOffset now) =>
        job.IsBusy && (job.HeartbeatAt is null || job.HeartbeatAt < now.AddSeconds(-options.StaleAfterSeconds));

    public async Task<ImportDto> CancelAsync(Guid id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var job = await FindAsync(db, id, ct, forWrite: true);
        if (job.Status is not (ImportStatus.Checking or ImportStatus.Running)) throw ValidationException.For("status", Text.Get("Import.NotRunning"));
        job.CancelRequested = true;
        await db.SaveChangesAsync(ct);
        return ToDto(job);
    }

    /// <summary>Removes what the import created (to the recycle bin) and puts back what it updated, except records changed since.</summary>
    public async Task<ImportDto> UndoAsync(Guid id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var job = await FindAsync(db, id, ct, forWrite: true);
        var resume = job.Status == ImportStatus.Undoing && IsCutOff(job, options.Value, clock.GetUtcNow());
        if (job.Status is not (ImportStatus.Completed or ImportStatus.Cancelled or ImportStatus.Failed) && !resume) throw ValidationException.For("status", Text.Get("Import.NotUndoable"));
        if (!resume) job.Kept = 0;
        job.Status = ImportStatus.Undoing;
        job.CancelRequested = false;
        job.StartedAt = job.HeartbeatAt = clock.GetUtcNow();
        job.FinishedAt = null;
        await db.SaveChangesAsync(ct);
        queue.Enqueue(WorkQueue.Import, id);
        return ToDto(job);
    }

    /// <summary>The failed rows (of the dry run while the import has not run), by row number.</summary>
    public async Task<Page<ImportRowDto>> ErrorsAsync(Guid id, int? after, int? limit, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var job = await FindAsync(db, id, ct);
        var take = limit is { } l ? (l is < 1 or > Paging.MaxLimit ? throw ValidationException.ForQuery("limit", Text.Get("Validation.Range", 1, Paging.MaxLimit)) : l) : 50;
        var dry = job.Status is ImportStatus.Checked or ImportStatus.Checking;
        var rows = await db.ImportRows.AsNoTracking().Where(r => r.ImportId == id && r.Dry == dry && r.Outcome == RowOutcome.Failed && r.Row > (after ?? 0))
            .OrderBy(r => r.Row).Take(take + 1).ToListAsync(ct);
        var items = rows.Take(take).Select(r => new ImportRowDto(r.Row, r.Outcome, r.Errors, r.Values, r.RecordType, r.RecordId)).ToList();
        var total = await db.ImportRows.CountAsync(r => r.ImportId == id && r.Dry == dry && r.Outcome == RowOutcome.Failed, ct);
        return new Page<ImportRowDto>(items, rows.Count > take ? items[^1].Row.ToString(System.Globalization.CultureInfo.InvariantCulture) : null, total);
    }

    /// <summary>The failed rows as CSV: row number, what is wrong, then the row's own cells under the file's header (fix and import again).</summary>
    public async Task WriteErrorReportAsync(Guid id, Stream output, CancellationToken ct = default) =>
        await Analytics.ExportService.WriteCsvAsync(ErrorReportAsync(await GetAsync(id, ct), ct), raw: false, output, ct);

    private async IAsyncEnumerable<string?[]> ErrorReportAsync(ImportDto job, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        yield return [Text.Get("Import.Report.Row"), Text.Get("Import.Report.Errors"), .. job.Header];
        int? after = 0;
        while (after is not null)
        {
            var page = await ErrorsAsync(job.Id, after, Paging.MaxLimit, ct);
            foreach (var r in page.Items) yield return [r.Row.ToString(System.Globalization.CultureInfo.InvariantCulture), string.Join("; ", r.Errors), .. r.Values];
            after = page.NextCursor is { } c ? int.Parse(c, System.Globalization.CultureInfo.InvariantCulture) : null;
        }
    }

    /// <summary>An unfinished import of the same file into the same list by this user (the command line resumes it).</summary>
    public async Task<Guid?> FindUnfinishedAsync(string entity, string sha256, CancellationToken ct = default)
    {
        var scope = RequireUser();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var jobs = await db.Imports.AsNoTracking().Where(j => j.CreatedById == scope.UserId && j.Entity == entity && j.Sha256 == sha256
                && (j.Status == ImportStatus.Running || j.Status == ImportStatus.Cancelled || j.Status == ImportStatus.Failed))
            .OrderByDescending(j => j.CreatedAt).ToListAsync(ct);
        var now = clock.GetUtcNow();
        return jobs.FirstOrDefault(j => !j.IsBusy || IsCutOff(j, options.Value, now))?.Id;
    }

    public static async Task<string> HashAsync(string path, CancellationToken ct)
    {
        await using var file = File.OpenRead(path);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(file, ct));
    }

    private async Task<ImportJob> FindAsync(MotivDbContext db, Guid id, CancellationToken ct, bool forWrite = false)
    {
        var scope = forWrite ? RequireWriter() : RequireUser();
        var job = await db.Imports.FirstOrDefaultAsync(j => j.Id == id, ct);
        // Someone else's import is not there for the user (administrators see all).
        if (job is null || (job.CreatedById != scope.UserId && !scope.CanAdminister)) throw new NotFoundException("import", id);
        return job;
    }

    private AccessScope RequireUser() => user.Scope.IsAuthenticated ? user.Scope : throw new AccessDeniedException(Text.Get("Access.SignIn"));

    private AccessScope RequireWriter()
    {
        var scope = RequireUser();
        return scope.IsReadOnly ? throw new AccessDeniedException(Text.Get("Access.ReadOnly")) : scope;
    }

    private async Task<(long Size, string Sha)> CopyAsync(Stream content, string path, CancellationToken ct)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long size = 0;
        await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
        {
            var buffer = new byte[1 << 16];
            int n;
            while ((n = await content.ReadAsync(buffer, ct)) > 0)
            {
                size += n;
                if (size > options.Value.MaxBytes)
                {
                    file.Close();
                    File.Delete(path);
                    throw ValidationException.For("file", Text.Get("Import.TooLarge", options.Value.MaxBytes / (1024 * 1024)));
                }
                sha.AppendData(buffer, 0, n);
                await file.WriteAsync(buffer.AsMemory(0, n), ct);
            }
        }
        return (size, Convert.ToHexStringLower(sha.GetHashAndReset()));
    }

    private ImportDto ToDto(ImportJob j)
    {
        var target = targets.Find(j.Entity)!;
        return new ImportDto(j.Id, j.Entity, j.FileName, j.Format, j.Size, j.Header, j.Mapping, j.Policy, j.NumberFormat, j.Tag, j.CreateMissing, j.Status, j.CancelRequested,
            j.RowsDone, j.RowsTotal, j.Created, j.Updated, j.Skipped, j.Failed, j.Kept, j.Error, j.CreatedAt, j.StartedAt, j.FinishedAt,
            [.. target.Fields.Select(f => new ImportFieldDto(f.Key, f.Required, Text.Get("Import.Field." + f.Key)))], target.CanUpdate);
    }
}

/// <summary>The kinds of records an import can create.</summary>
public sealed class ImportTargets(IOptions<Sales.SalesOptions> sales)
{
    private readonly ImportTarget[] _all = [new OrganizationTarget(), new PersonTarget(), new LeadTarget(), new ProductTarget(sales), new OrderTarget(sales), new InteractionTarget()];

    public IReadOnlyList<ImportTarget> All => _all;

    public ImportTarget? Find(string? entity) => _all.FirstOrDefault(t => t.Entity == entity?.Trim().ToLowerInvariant());
}
