namespace Motiv.Core.Common;

/// <summary>
/// A row that belongs to a record (an employment of a person, a custom field value): changing it is a
/// change of the record, with the same write check, a new version and an entry in its history.
/// </summary>
public interface IRecordPart
{
    Guid PartOf { get; }

    /// <summary>The field name under which the record's history shows the change.</summary>
    string AuditField { get; }

    /// <summary>The part's value as the history shows it.</summary>
    string Describe();
}
