using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using MimeKit;
using Motiv.Core.Common;
using Motiv.Core.Data;

namespace Motiv.Core.Communication;

/// <summary>Where a message came from and whose it is: a mailbox folder position, or an uploaded file (no mailbox).</summary>
public sealed record IntakeSource(Guid? MailboxId, string? Folder, long UidValidity, long Uid, Guid OwnerId, Guid? TeamId, Visibility Visibility, IReadOnlySet<string> OwnAddresses,
    AttachmentStore? Files = null);

/// <summary>
/// What becomes of one incoming or sent message, for mailbox synchronisation and .eml upload alike: threaded by
/// Message-ID/References, linked to the people whose addresses it carries (an interaction on their timeline), put up for
/// review when the sender is unknown, or skipped with a reason. Adds to the context; the caller saves (in its batch).
/// </summary>
public static class MailIntake
{
    public static async Task<MailMessage> AddAsync(MotivDbContext db, MimeMessage m, IntakeSource source, IDictionary<string, string> threadsInBatch, CancellationToken ct)
    {
        var from = m.From.Mailboxes.FirstOrDefault();
        var fromAddress = Normalise(from?.Address) ?? "";
        var subject = Texts.Cut(string.IsNullOrWhiteSpace(m.Subject) ? "(" + Text.Get("Mail.NoSubject") + ")" : m.Subject.Trim(), 300);
        var messageId = Texts.Cut(m.MessageId is { Length: > 0 } id ? id : "sha256:" + Convert.ToHexStringLower(SHA256.HashData(
            Encoding.UTF8.GetBytes($"{fromAddress}|{m.Date.ToUnixTimeSeconds()}|{subject}"))), 300);
        var row = new MailMessage
        {
            MailboxId = source.MailboxId, Folder = source.Folder, UidValidity = source.UidValidity, Uid = source.Uid, MessageId = messageId,
            FromAddress = Texts.Cut(fromAddress, 254), FromName = from?.Name is { Length: > 0 } n ? Texts.Cut(n, 200) : null, Subject = subject,
            Date = m.Date == DateTimeOffset.MinValue ? db.Clock.GetUtcNow() : m.Date, OwnerId = source.OwnerId, TeamId = source.TeamId, TakenAt = db.Clock.GetUtcNow(),
        };
        db.MailMessages.Add(row);
        row.ThreadId = await ThreadAsync(db, m, messageId, threadsInBatch, ct);

        if (threadsInBatch.ContainsKey("seen:" + messageId) || await db.MailMessages.AnyAsync(x => x.MessageId == messageId && x.MailboxId == source.MailboxId
                && (source.MailboxId != null || x.OwnerId == source.OwnerId) && x.State != MailMessageState.Skipped, ct))
            return Skip(row, SkipReasons.Duplicate);
        threadsInBatch["seen:" + messageId] = row.ThreadId;

        if (CalendarReply(m) is { } reply) return await MeetingReplyAsync(db, row, reply, fromAddress, ct);

        var recipients = m.To.Mailboxes.Concat(m.Cc.Mailboxes).Select(a => Normalise(a.Address)).OfType<string>().Distinct().ToList();
        var userEmails = await UserEmailsAsync(db, [fromAddress, .. recipients], ct);
        var outbound = source.OwnAddresses.Contains(fromAddress) || userEmails.Contains(fromAddress);
        row.Direction = outbound ? InteractionDirection.Outbound : InteractionDirection.Inbound;
        var addresses = outbound ? recipients : [fromAddress, .. recipients];
        var people = await db.People.AsNoTracking().Where(p => p.PrimaryEmail != null && addresses.Contains(p.PrimaryEmail))
            .Select(p => new { p.Id, p.PrimaryEmail, Organization = p.Employments.OrderByDescending(e => e.IsPrimary).Select(e => (Guid?)e.OrganizationId).FirstOrDefault() })
            .ToListAsync(ct);
        var body = Body(m);
        if (!outbound && people.All(p => p.PrimaryEmail != fromAddress))
        {
            row.State = MailMessageState.Review;
            row.BodyHtml = body;
            return row;
        }
        if (people.Count == 0) return Skip(row, SkipReasons.NoKnownRecipient);

        var ordered = people.OrderByDescending(p => p.PrimaryEmail == fromAddress).ToList();
        var users = await db.Users.AsNoTracking().Where(u => u.Email != null && userEmails.Contains(u.Email.ToLower())).Select(u => u.Id).ToListAsync(ct);
        row.InteractionId = AddInteraction(db, row, body, ordered.Select(p => p.Id), users.Append(source.OwnerId), ordered[0].Organization, null, source).Id;
        row.State = MailMessageState.Linked;
        if (source.Files is { } files)
        {
            // Attached files go with the interaction, checked by content like any upload; kinds Motiv does not accept are left out.
            foreach (var part in m.Attachments.OfType<MimePart>().Where(p => p.Content is not null).Take(20))
            {
                using var content = new MemoryStream();
                await part.Content!.DecodeToAsync(content, ct);
                await files.StageAsync(db, row.InteractionId.Value, part.FileName, content.ToArray(), ct);
            }
        }
        return row;
    }

    /// <summary>An interaction on the timeline made from a message: an e-mail, in or out, with its sanitised body.</summary>
    public static Interaction AddInteraction(MotivDbContext db, MailMessage row, string? body, IEnumerable<Guid> personIds, IEnumerable<Guid> userIds,
        Guid? organizationId, Guid? leadId, IntakeSource source)
    {
        var interaction = new Interaction
        {
            Channel = InteractionChannel.Email, Direction = row.Direction, Subject = row.Subject, BodyHtml = body, BodyText = InteractionService.PlainText(body),
            OccurredAt = row.Date, OrganizationId = organizationId, LeadId = leadId, OwnerId = source.OwnerId, TeamId = source.TeamId, Visibility = source.Visibility,
        };
        foreach (var p in personIds.Distinct()) interaction.Participants.Add(new InteractionParticipant { InteractionId = interaction.Id, PersonId = p });
        foreach (var u in userIds.Distinct()) interaction.Participants.Add(new InteractionParticipant { InteractionId = interaction.Id, UserId = u });
        db.Interactions.Add(interaction);
        return interaction;
    }

    /// <summary>The message's HTML (or its text as paragraphs), sanitised like every stored body and cut to the stored maximum.</summary>
    public static string? Body(MimeMessage m)
    {
        var html = m.HtmlBody is { Length: > 0 } h ? h : m.TextBody is { Length: > 0 } t ? InteractionService.TextToHtml(t) : null;
        if (html is { Length: > 400_000 }) html = html[..400_000];
        var clean = InteractionService.SanitizeBody(html);
        if (clean is not { Length: > 200_000 }) return clean;
        var text = InteractionService.PlainText(clean) ?? "";
        return InteractionService.TextToHtml(text[..Math.Min(text.Length, 100_000)]);
    }

    public static MailMessage Skip(MailMessage row, string reason)
    {
        row.State = MailMessageState.Skipped;
        row.SkipReason = reason;
        row.BodyHtml = null;
        return row;
    }

    /// <summary>The thread a message belongs to: the thread of a message it refers to, else the first message it refers to, else itself.</summary>
    private static async Task<string> ThreadAsync(MotivDbContext db, MimeMessage m, string messageId, IDictionary<string, string> threadsInBatch, CancellationToken ct)
    {
        var refs = m.References.Concat(m.InReplyTo is { Length: > 0 } r ? [r] : []).Where(x => x.Length <= 300).Distinct().ToList();
        string? thread = refs.Select(x => threadsInBatch.TryGetValue(x, out var t) ? t : null).FirstOrDefault(t => t is not null);
        thread ??= refs.Count == 0 ? null : await db.MailMessages.AsNoTracking().Where(x => refs.Contains(x.MessageId)).Select(x => x.ThreadId).FirstOrDefaultAsync(ct);
        thread ??= refs.FirstOrDefault() ?? messageId;
        threadsInBatch[messageId] = thread;
        return thread;
    }

    private static async Task<HashSet<string>> UserEmailsAsync(MotivDbContext db, List<string> addresses, CancellationToken ct)
    {
        var upper = addresses.Select(a => a.ToUpperInvariant()).ToList();
        return [.. await db.Users.AsNoTracking().Where(u => u.NormalizedEmail != null && upper.Contains(u.NormalizedEmail)).Select(u => u.NormalizedEmail!.ToLower()).ToListAsync(ct)];
    }

    private static Ical.Net.Calendar? CalendarReply(MimeMessage m)
    {
        var part = m.BodyParts.OfType<TextPart>().FirstOrDefault(p => p.ContentType.IsMimeType("text", "calendar"));
        if (part is null) return null;
        try
        {
            var calendar = Ical.Net.Calendar.Load(part.Text);
            return string.Equals(calendar?.Method, "REPLY", StringComparison.OrdinalIgnoreCase) ? calendar : null;
        }
        catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException or System.Runtime.Serialization.SerializationException)
        {
            return null;
        }
    }

    /// <summary>A participant answered a meeting invitation: their answer is stored on the meeting.</summary>
    private static async Task<MailMessage> MeetingReplyAsync(MotivDbContext db, MailMessage row, Ical.Net.Calendar reply, string fromAddress, CancellationToken ct)
    {
        var e = reply.Events.FirstOrDefault();
        var uid = e?.Uid ?? "";
        if (!uid.EndsWith("@motiv", StringComparison.Ordinal) || !Guid.TryParse(uid[..^"@motiv".Length], out var meetingId)) return Skip(row, SkipReasons.UnknownMeeting);
        // Only the sender's own answer counts: a reply cannot speak for another attendee.
        var attendee = e!.Attendees.FirstOrDefault(a => Normalise(a.Value?.ToString().Replace("mailto:", "", StringComparison.OrdinalIgnoreCase)) == fromAddress);
        var answer = (attendee?.ParticipationStatus ?? "").ToUpperInvariant() switch
        {
            "ACCEPTED" => MeetingResponse.Accepted,
            "DECLINED" => MeetingResponse.Declined,
            "TENTATIVE" => MeetingResponse.Tentative,
            _ => MeetingResponse.None,
        };
        if (answer == MeetingResponse.None) return Skip(row, SkipReasons.UnknownMeeting);
        // A synchronised mailbox (Motiv itself) reaches every meeting; an uploaded file only those its uploader may see.
        var meetings = row.MailboxId is null ? db.Interactions : db.Interactions.IgnoreQueryFilters([MotivDbContext.AccessFilter]);
        if (!await meetings.AnyAsync(i => i.Id == meetingId && i.Channel == InteractionChannel.Meeting, ct)) return Skip(row, SkipReasons.UnknownMeeting);
        // The answer is the participant's, not an edit of the meeting: no new version of it. A later answer wins, whatever order mail arrives in.
        var at = row.Date;
        var people = db.People.IgnoreQueryFilters([MotivDbContext.AccessFilter]);
        var updated = await db.Set<InteractionParticipant>()
            .Where(p => p.InteractionId == meetingId && p.PersonId != null && (p.RespondedAt == null || p.RespondedAt < at)
                && people.Any(x => x.Id == p.PersonId && x.PrimaryEmail == fromAddress))
            .ExecuteUpdateAsync(s => s.SetProperty(p => p.Response, answer).SetProperty(p => p.RespondedAt, at), ct);
        if (updated == 0) return Skip(row, SkipReasons.UnknownMeeting);
        row.State = MailMessageState.CalendarReply;
        row.InteractionId = meetingId;
        return row;
    }

    public static string? Normalise(string? address) => string.IsNullOrWhiteSpace(address) ? null : address.Trim().ToLowerInvariant();
}
