using Motiv.Core.Common;

namespace Motiv.Core.Customers;

public enum Salutation { None = 0, Mr = 1, Ms = 2, Mx = 3 }

public enum Channel { Email = 0, Phone = 1, Letter = 2, Meeting = 3, Sms = 4, Chat = 5 }

public sealed class Person : Record, IHasContacts, IHasSearchName
{
    public const string Type = "person";
    public override string RecordType => Type;
    public override string DisplayName => string.Join(' ', new[] { AcademicTitle, FirstName, LastName }.Where(s => !string.IsNullOrWhiteSpace(s)));

    public Salutation Salutation { get; set; }
    public string? AcademicTitle { get; set; }
    public string FirstName { get; set; } = "";
    public string LastName { get; set; } = "";
    public List<EmailAddress> Emails { get; set; } = [];
    public List<PhoneNumber> Phones { get; set; } = [];
    public List<PostalAddress> Addresses { get; set; } = [];
    public DateOnly? Birthday { get; set; }

    /// <summary>"de" or "en".</summary>
    public string? PreferredLanguage { get; set; }

    public Channel? PreferredChannel { get; set; }

    /// <summary>Keep in touch at least every this many days; when it lapses, the owner gets a task.</summary>
    public int? KeepInTouchDays { get; set; }
    public string? ExternalId { get; set; }
    public string? Notes { get; set; }
    public List<Employment> Employments { get; set; } = [];

    public string? City { get; set; }
    public string? Country { get; set; }
    public string? PrimaryEmail { get; set; }
    public string? PrimaryPhone { get; set; }

    /// <summary>The display name folded by the save pipeline, for the list filter "q".</summary>
    public string SearchName { get; set; } = "";
}

/// <summary>A person's job at an organisation. Part of the person: audited and versioned with it.</summary>
public sealed class Employment : IRecordPart
{
    Guid IRecordPart.PartOf => PersonId;
    string IRecordPart.AuditField => "employments";
    string IRecordPart.Describe() => ToString();

    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid PersonId { get; set; }
    public Guid OrganizationId { get; set; }
    public string? Position { get; set; }
    public string? Department { get; set; }
    public bool IsPrimary { get; set; }
    public DateOnly? From { get; set; }
    public DateOnly? To { get; set; }

    public override string ToString() => $"{OrganizationId}|{Position}|{Department}|{(IsPrimary ? "primary" : "")}|{From:yyyy-MM-dd}|{To:yyyy-MM-dd}";
}
