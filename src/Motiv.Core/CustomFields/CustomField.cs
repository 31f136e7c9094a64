using System.Globalization;
using Motiv.Core.Common;

namespace Motiv.Core.CustomFields;

public enum CustomFieldType { Text = 0, Number = 1, Date = 2, YesNo = 3, Choice = 4, MultiChoice = 5, Money = 6, Url = 7 }

/// <summary>A field an administrator added to a record type, with its labels in German and English.</summary>
public sealed class CustomFieldDefinition
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    /// <summary>"organization" or "person".</summary>
    public string RecordType { get; set; } = "";

    /// <summary>The stable name in the API ("customFields": { "employees": 120 }) and in filters (cf.employees=120).</summary>
    public string Key { get; set; } = "";

    public string LabelEn { get; set; } = "";
    public string LabelDe { get; set; } = "";
    public CustomFieldType Type { get; set; }

    /// <summary>The choices of a choice or multi-choice field.</summary>
    public List<string> Options { get; set; } = [];

    public bool Required { get; set; }
    public int Position { get; set; }

    /// <summary>Retired fields keep their values (and history) but are no longer shown or filled.</summary>
    public bool IsActive { get; set; } = true;

    public DateTimeOffset CreatedAt { get; set; }

    public string Label(CultureInfo culture) => culture.TwoLetterISOLanguageName == "de" && LabelDe.Length > 0 ? LabelDe : LabelEn;
}

/// <summary>One value of a custom field on one record (a multi-choice field has one row per chosen option).</summary>
public sealed class CustomFieldValue : IRecordPart
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid RecordId { get; set; }
    public Guid FieldId { get; set; }
    public string FieldKey { get; set; } = "";
    public string? Text { get; set; }
    public decimal? Number { get; set; }
    public DateOnly? Date { get; set; }
    public bool? Bool { get; set; }
    public string? Currency { get; set; }

    Guid IRecordPart.PartOf => RecordId;
    string IRecordPart.AuditField => "customFields." + FieldKey;

    string IRecordPart.Describe() =>
        Text ?? (Number is { } n ? n.ToString(CultureInfo.InvariantCulture) + (Currency is null ? "" : " " + Currency) : null)
        ?? Date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? Bool?.ToString() ?? "";
}
