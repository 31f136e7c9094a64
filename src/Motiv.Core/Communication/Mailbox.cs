using Motiv.Core.Common;

namespace Motiv.Core.Communication;

/// <summary>
/// An IMAP mailbox Motiv reads: a user's own, or a shared one (such as info@) whose mail belongs to a team.
/// The password is stored encrypted and never shown again.
/// </summary>
public sealed class Mailbox
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public string Name { get; set; } = "";

    /// <summary>The mailbox's own address: mail from it is outgoing.</summary>
    public string Address { get; set; } = "";
    public string Host { get; set; } = "";
    public int Port { get; set; } = 993;
    public MailSecurity Security { get; set; }
    public string UserName { get; set; } = "";
    public string? Password { get; set; }
    public List<string> Folders { get; set; } = ["INBOX"];

    /// <summary>Who owns the interactions made from this mailbox's mail and reviews mail from unknown senders.</summary>
    public Guid OwnerId { get; set; }
    public bool IsShared { get; set; }
    public Guid? TeamId { get; set; }
    public bool IsActive { get; set; } = true;
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>Where the synchronisation of one folder stands: the last UID taken (per UIDVALIDITY) and what the server reported.</summary>
public sealed class MailFolderState
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid MailboxId { get; set; }
    public string Folder { get; set; } = "";
    public long UidValidity { get; set; }
    public long LastUid { get; set; }
    public int ServerCount { get; set; }
    public DateTimeOffset? LastSyncAt { get; set; }
    public string? LastError { get; set; }
}

public enum MailMessageState
{
    /// <summary>On the timeline as an interaction.</summary>
    Linked = 0,

    /// <summary>From an unknown sender: waits for someone to create a person or lead, or to ignore it.</summary>
    Review = 1,
    Ignored = 2,

    /// <summary>Not taken, with the reason (a duplicate, too large, unreadable, no known recipient).</summary>
    Skipped = 3,

    /// <summary>A reply to a meeting invitation: it updated a participant's answer.</summary>
    CalendarReply = 4,
}

/// <summary>
/// Every message Motiv took from a mailbox (or an uploaded .eml): its place on the server, its thread, and what became of it.
/// One row per server message; the unique (mailbox, folder, UIDVALIDITY, UID) makes a rerun unable to take a message twice.
/// </summary>
public sealed class MailMessage
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid? MailboxId { get; set; }
    public string? Folder { get; set; }
    public long UidValidity { get; set; }
    public long Uid { get; set; }
    public string MessageId { get; set; } = "";
    public string ThreadId { get; set; } = "";
    public MailMessageState State { get; set; }
    public string? SkipReason { get; set; }
    public string FromAddress { get; set; } = "";
    public string? FromName { get; set; }
    public string Subject { get; set; } = "";
    public DateTimeOffset Date { get; set; }

    /// <summary>Kept while the message waits for review, so the interaction can be made from it later.</summary>
    public string? BodyHtml { get; set; }
    public InteractionDirection Direction { get; set; }
    public Guid? InteractionId { get; set; }
    public Guid OwnerId { get; set; }
    public Guid? TeamId { get; set; }
    public DateTimeOffset TakenAt { get; set; }
}

public static class SkipReasons
{
    public const string Duplicate = "duplicate";
    public const string TooLarge = "tooLarge";
    public const string Unreadable = "unreadable";
    public const string NoKnownRecipient = "noKnownRecipient";
    public const string UnknownMeeting = "unknownMeeting";
    public static readonly string[] All = [Duplicate, TooLarge, Unreadable, NoKnownRecipient, UnknownMeeting];
}

public sealed record MailboxInput(string? Name, string? Address, string? Host, int? Port, MailSecurity? Security, string? UserName, string? Password,
    List<string>? Folders, bool? IsShared, Guid? OwnerId, Guid? TeamId, bool? IsActive);

public sealed record MailboxDto(Guid Id, string Name, string Address, string Host, int Port, MailSecurity Security, string UserName, bool HasPassword,
    IReadOnlyList<string> Folders, bool IsShared, Guid OwnerId, Guid? TeamId, bool IsActive);

/// <summary>Per folder: what the server has, what Motiv took, what it skipped and why, and what it has not seen yet.</summary>
public sealed record FolderReconciliation(string Folder, int ServerCount, int Stored, int InReview, int Ignored, int Skipped,
    IReadOnlyDictionary<string, int> SkippedBy, int NotYetSynced, long LastUid, DateTimeOffset? LastSyncAt, string? LastError);

public sealed record Reconciliation(Guid MailboxId, string Name, IReadOnlyList<FolderReconciliation> Folders);

public sealed record MailMessageDto(Guid Id, Guid? MailboxId, string? Folder, long Uid, string MessageId, string ThreadId, MailMessageState State, string? SkipReason,
    string FromAddress, string? FromName, string Subject, DateTimeOffset Date, InteractionDirection Direction, string? Excerpt, Guid? InteractionId);

/// <summary>What to do with a mail from an unknown sender: a new person (optionally at an organisation), a new lead, link again, or ignore.</summary>
public sealed record ReviewInput(string? Action, string? FirstName, string? LastName, Guid? OrganizationId, string? CompanyName);
