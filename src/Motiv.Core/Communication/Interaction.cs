using Motiv.Core.Common;

namespace Motiv.Core.Communication;

public enum InteractionChannel
{
    Email = 0,
    Phone = 1,
    Meeting = 2,
    Letter = 3,
    Chat = 4,
    Sms = 5,
    WebForm = 6,
    Note = 7,
}

public enum InteractionDirection
{
    Inbound = 0,
    Outbound = 1,
    Internal = 2,
}

/// <summary>
/// Something that happened with a customer on any channel: a call, a mail, a meeting, a note. Interactions make up the
/// timeline of people, organisations and deals. The body is sanitised HTML; its plain text is kept for search.
/// </summary>
public sealed class Interaction : Record
{
    public const string Type = "interaction";
    public override string RecordType => Type;
    public override string DisplayName => Subject;

    public InteractionChannel Channel { get; set; }
    public InteractionDirection Direction { get; set; }
    public string Subject { get; set; } = "";
    public string? BodyHtml { get; set; }
    public string? BodyText { get; set; }
    public DateTimeOffset OccurredAt { get; set; }
    public int? DurationMinutes { get; set; }
    public string? Outcome { get; set; }
    public Guid? OrganizationId { get; set; }
    public Guid? DealId { get; set; }
    public Guid? LeadId { get; set; }
    public Guid? QuoteId { get; set; }
    public Guid? OrderId { get; set; }
    public List<InteractionParticipant> Participants { get; set; } = [];
}

public enum MeetingResponse
{
    None = 0,
    Accepted = 1,
    Declined = 2,
    Tentative = 3,
}

/// <summary>A person (customer side) or a user (our side) who took part.</summary>
public sealed class InteractionParticipant : IRecordPart
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid InteractionId { get; set; }
    public Guid? PersonId { get; set; }
    public Guid? UserId { get; set; }

    /// <summary>The interaction's time, kept here by the save pipeline so a person's timeline is read in order from the (person, time) index.</summary>
    public DateTimeOffset OccurredAt { get; set; }

    /// <summary>For meetings: the answer to the invitation, from the reply that came by mail.</summary>
    public MeetingResponse Response { get; set; }
    public DateTimeOffset? RespondedAt { get; set; }

    Guid IRecordPart.PartOf => InteractionId;
    string IRecordPart.AuditField => "participants";
    string IRecordPart.Describe() => PersonId is { } p ? "person " + p : "user " + UserId;
}

/// <summary>A file attached to an interaction, stored on disk under a name Motiv chose; its kind is decided by its content.</summary>
public sealed class Attachment : IRecordPart
{
    Guid IRecordPart.PartOf => InteractionId;
    string IRecordPart.AuditField => "attachments";
    string IRecordPart.Describe() => $"{FileName} ({Size} B, {Sha256[..12]})";

    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid InteractionId { get; set; }
    public string FileName { get; set; } = "";
    public string ContentType { get; set; } = "";
    public long Size { get; set; }
    public string Sha256 { get; set; } = "";
    public DateTimeOffset UploadedAt { get; set; }
    public Guid UploadedById { get; set; }
}
