namespace Motiv.Core.Audit;

public enum AuditAction
{
    Created = 0,
    Updated = 1,
    Deleted = 2,
    Restored = 3,
}

/// <summary>One saved change of one record: who, when, and each field's old and new value.</summary>
public sealed class AuditEntry
{
    public Guid Id { get; set; }
    public string RecordType { get; set; } = "";
    public Guid RecordId { get; set; }
    public AuditAction Action { get; set; }

    /// <summary>The record's version after this change.</summary>
    public long Version { get; set; }

    public Guid UserId { get; set; }
    public DateTimeOffset At { get; set; }
    public List<FieldChange> Changes { get; set; } = [];
}

public sealed record FieldChange(string Field, string? Old, string? New);

/// <summary>An audit entry as shown to users, with the name of who made it.</summary>
public sealed record HistoryEntry(DateTimeOffset At, Guid UserId, string UserName, AuditAction Action, long Version, IReadOnlyList<FieldChange> Changes);
