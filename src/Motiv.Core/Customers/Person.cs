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

    /// <summary>Personal facts: the human side of the relationship.</summary>
    public List<string> Interests { get; set; } = [];
    public List<ImportantDate> ImportantDates { get; set; } = [];

    /// <summary>Whether the owner gets a task a few days before the birthday.</summary>
    public bool BirthdayReminder { get; set; }

    /// <summary>The next day with a reminded date (derived on save and by the reminder job), so the job finds the few people due by an index.</summary>
    public DateOnly? NextReminderOn { get; set; }
    public string? FamilyNotes { get; set; }
    public string? HowWeMet { get; set; }

    /// <summary>When the person likes to be contacted, in their words ("vormittags", "not on Fridays").</summary>
    public string? ContactTimes { get; set; }
    public string? CommunicationStyle { get; set; }

    /// <summary>Set when the person objected to motive profiling (Art. 21 DSGVO): evidence and ratings are deleted and no longer inferred.</summary>
    public DateTimeOffset? MotivesObjectedAt { get; set; }

    /// <summary>The display name folded by the save pipeline, for the list filter "q".</summary>
    public string SearchName { get; set; } = "";
}

public enum ImportantDateKind { CompanyAnniversary = 0, WorkAnniversary = 1, Wedding = 2, Other = 3 }

/// <summary>A date that matters to the person, every year; with a reminder, the owner gets a task a few days before.</summary>
public sealed record ImportantDate(ImportantDateKind Kind, DateOnly Date, string? Label = null, bool Remind = true);

public static class ImportantDates
{
    /// <summary>The dates the owner is reminded of: the birthday when asked for, and the important dates marked so.</summary>
    public static IEnumerable<(string Label, DateOnly Date)> Reminded(Person p) =>
        p.ImportantDates.Where(d => d.Remind).Select(d => (d.Label ?? Text.Get("ImportantDateKind." + d.Kind), d.Date))
            .Concat(p.BirthdayReminder && p.Birthday is { } b ? [(Text.Get("Field.birthday"), b)] : []);

    /// <summary>The next yearly occurrence on or after <paramref name="from"/> (29 February falls on 28 February in other years).</summary>
    public static DateOnly Next(DateOnly date, DateOnly from)
    {
        DateOnly In(int year) => new(year, date.Month, Math.Min(date.Day, DateTime.DaysInMonth(year, date.Month)));
        var thisYear = In(from.Year);
        return thisYear >= from ? thisYear : In(from.Year + 1);
    }

    public static DateOnly? NextReminder(Person p, DateOnly from) => Reminded(p).Select(d => (DateOnly?)Next(d.Date, from)).Min();
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
