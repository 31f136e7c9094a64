namespace Motiv.Core.Import;

public enum ImportStatus
{
    /// <summary>Uploaded; the mapping may still change.</summary>
    Uploaded = 0,
    Checking = 1,

    /// <summary>A dry run went through the whole file; its counts and row errors are shown.</summary>
    Checked = 2,
    Running = 3,
    Completed = 4,
    Cancelled = 5,
    Failed = 6,
    Undoing = 7,
    Undone = 8,
}

/// <summary>What to do with a row that matches a stored record (by external id, e-mail, VAT id or SKU).</summary>
public enum DuplicatePolicy
{
    Skip = 0,
    Update = 1,
    Create = 2,
}

public enum RowOutcome
{
    Created = 0,
    Updated = 1,
    Skipped = 2,
    Failed = 3,
}

/// <summary>
/// One import of a file: where the file lies, how its columns map to fields, how far it got. The watermark
/// <see cref="RowsDone"/> is committed in the same transaction as the rows' records, so a crash loses nothing and a
/// rerun goes on after it.
/// </summary>
public sealed class ImportJob
{
    public bool IsBusy => Status is ImportStatus.Checking or ImportStatus.Running or ImportStatus.Undoing;

    public Guid Id { get; set; }
    public string Entity { get; set; } = "";
    public string FileName { get; set; } = "";
    public string Format { get; set; } = "csv";
    public long Size { get; set; }

    /// <summary>SHA-256 of the file, so the command line finds an unfinished import of the same file to resume.</summary>
    public string Sha256 { get; set; } = "";

    /// <summary>The field each column goes to (null: column not imported), by column position.</summary>
    public List<string?> Mapping { get; set; } = [];
    public List<string> Header { get; set; } = [];
    public DuplicatePolicy Policy { get; set; }

    /// <summary>"de" (1.234,56) or "en" (1,234.56) for numbers in text cells.</summary>
    public string NumberFormat { get; set; } = "de";
    public string? Tag { get; set; }

    /// <summary>Orders, people and interactions whose organisation is not found create it (with the external id and name given).</summary>
    public bool CreateMissing { get; set; }
    public ImportStatus Status { get; set; }
    public bool CancelRequested { get; set; }

    /// <summary>Data rows handled and committed (the header is not counted).</summary>
    public int RowsDone { get; set; }
    public int? RowsTotal { get; set; }
    public int Created { get; set; }
    public int Updated { get; set; }
    public int Skipped { get; set; }
    public int Failed { get; set; }

    /// <summary>Records an undo left because someone changed them after the import.</summary>
    public int Kept { get; set; }
    public string? Error { get; set; }
    public Guid CreatedById { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? StartedAt { get; set; }

    /// <summary>Moved on at the start and with every batch; a running import whose heartbeat stopped was cut off (a crash, kill -9) and may be taken up again.</summary>
    public DateTimeOffset? HeartbeatAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
}

/// <summary>What became of one row: the record it created or updated (for undo) or its errors (for the report).</summary>
public sealed class ImportRow
{
    public Guid Id { get; set; }
    public Guid ImportId { get; set; }

    /// <summary>The row's number in the file as a spreadsheet shows it (the header is row 1).</summary>
    public int Row { get; set; }
    public RowOutcome Outcome { get; set; }

    /// <summary>From a dry run: replaced by the real run.</summary>
    public bool Dry { get; set; }
    public string? RecordType { get; set; }
    public Guid? RecordId { get; set; }

    /// <summary>The record's version right after the import; undo leaves a record that has moved on.</summary>
    public long? Version { get; set; }

    /// <summary>For an update: the changed properties' values before it, as JSON, so undo can put them back.</summary>
    public string? Before { get; set; }

    /// <summary>For a failed row: "field: message" lines, and the row's cells for the error report.</summary>
    public List<string> Errors { get; set; } = [];
    public List<string?> Values { get; set; } = [];
}
