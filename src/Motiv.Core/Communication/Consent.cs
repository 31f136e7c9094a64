namespace Motiv.Core.Communication;

public enum ConsentChannel
{
    Email = 0,
    Phone = 1,
    Letter = 2,
    Sms = 3,
}

public enum ConsentPurpose
{
    Newsletter = 0,
    ProductInformation = 1,
    Surveys = 2,
    Events = 3,
}

/// <summary>Art. 6 DSGVO: why we may contact the person. <see cref="ExistingCustomer"/> is the §7(3) UWG rule for e-mail about our own similar products.</summary>
public enum LegalBasis
{
    Consent = 0,
    Contract = 1,
    LegitimateInterest = 2,
    ExistingCustomer = 3,
}

public enum ConsentAction
{
    /// <summary>Given (or a basis recorded) directly, for instance on the phone or in a signed contract.</summary>
    Granted = 0,

    /// <summary>Double opt-in asked for: not valid until confirmed.</summary>
    Requested = 1,

    /// <summary>Double opt-in confirmed through the link in the mail.</summary>
    Confirmed = 2,

    /// <summary>Withdrawn, or objected to: no more contact on this channel for this purpose.</summary>
    Withdrawn = 3,
}

/// <summary>
/// One entry of a person's (or a lead's) consent history for one channel and purpose. Entries are only ever added:
/// the current state is the latest entry, and the whole history is the proof.
/// </summary>
public sealed class ConsentEntry
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid? PersonId { get; set; }
    public Guid? LeadId { get; set; }
    public ConsentChannel Channel { get; set; }
    public ConsentPurpose Purpose { get; set; }
    public ConsentAction Action { get; set; }
    public LegalBasis LegalBasis { get; set; }

    /// <summary>Where it came from: "Telefonat", a web form's name, "unsubscribe link".</summary>
    public string Source { get; set; } = "";

    /// <summary>The exact text the person was shown when they agreed.</summary>
    public string? Text { get; set; }
    public string? Language { get; set; }
    public DateTimeOffset At { get; set; }
    public Guid? RecordedById { get; set; }
    public string? Ip { get; set; }
    public string? UserAgent { get; set; }

    /// <summary>Double opt-in: the hash of the confirmation link's secret (on the request and on its confirmation), and when the link expires.</summary>
    public string? TokenHash { get; set; }
    public DateTimeOffset? ExpiresAt { get; set; }
    public Guid? FormId { get; set; }
}

public sealed record ConsentInput(ConsentChannel? Channel, ConsentPurpose? Purpose, string? Action, LegalBasis? LegalBasis, string? Source, string? Text, string? Language);

public sealed record ConsentEntryDto(Guid Id, ConsentChannel Channel, ConsentPurpose Purpose, ConsentAction Action, LegalBasis LegalBasis, string Source, string? Text,
    string? Language, DateTimeOffset At, string? RecordedBy, string? Ip, string? UserAgent, DateTimeOffset? ExpiresAt);

/// <summary>Whether we may contact the person on a channel for a purpose now, on which basis and since when; or why not.</summary>
public sealed record ConsentState(ConsentChannel Channel, ConsentPurpose Purpose, bool Allowed, LegalBasis? LegalBasis, DateTimeOffset? Since, bool Pending, string Reason);

public sealed record ConsentOverview(Guid PersonId, IReadOnlyList<ConsentState> Current, IReadOnlyList<ConsentEntryDto> History);
