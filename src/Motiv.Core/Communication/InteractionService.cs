using System.Text.RegularExpressions;
using AngleSharp.Html.Parser;
using Ganss.Xss;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Query;
using Motiv.Core.Common;
using Motiv.Core.Data;
using Motiv.Core.Search;

namespace Motiv.Core.Communication;

public sealed record InteractionInput : IOwnedInput
{
    public InteractionChannel? Channel { get; set; }
    public InteractionDirection? Direction { get; set; }
    public string? Subject { get; set; }

    /// <summary>HTML (sanitised on save) or plain text.</summary>
    public string? Body { get; set; }
    public DateTimeOffset? OccurredAt { get; set; }
    public int? DurationMinutes { get; set; }
    public string? Outcome { get; set; }
    public Guid? OrganizationId { get; set; }
    public Guid? DealId { get; set; }
    public Guid? LeadId { get; set; }
    public Guid? QuoteId { get; set; }
    public Guid? OrderId { get; set; }
    public List<Guid>? PersonIds { get; set; }
    public List<Guid>? UserIds { get; set; }
    public List<string>? Tags { get; set; }
    public Guid? OwnerId { get; set; }
    public Guid? TeamId { get; set; }
    public Visibility? Visibility { get; set; }
}

public sealed record NamedRef(Guid Id, string Name);

public sealed record AttachmentDto(Guid Id, string FileName, string ContentType, long Size, DateTimeOffset UploadedAt);

public sealed record InteractionDto(Guid Id, InteractionChannel Channel, InteractionDirection Direction, string Subject, string? Body, string? BodyText,
    DateTimeOffset OccurredAt, int? DurationMinutes, string? Outcome, NamedRef? Organization, NamedRef? Deal, NamedRef? Lead, NamedRef? Quote, NamedRef? Order,
    IReadOnlyList<NamedRef> People, IReadOnlyList<NamedRef> Users, IReadOnlyList<AttachmentDto> Attachments, IReadOnlyList<string> Tags,
    Guid OwnerId, Guid? TeamId, Visibility Visibility, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, long Version, IReadOnlyList<MeetingAnswer> Answers);

/// <summary>A participant's answer to a meeting invitation.</summary>
public sealed record MeetingAnswer(Guid PersonId, MeetingResponse Response, DateTimeOffset? RespondedAt);

/// <summary>One entry of a timeline: what a row shows, with a short excerpt of the body.</summary>
public sealed record TimelineItem(Guid Id, InteractionChannel Channel, InteractionDirection Direction, string Subject, string? Excerpt,
    DateTimeOffset OccurredAt, int? DurationMinutes, string? Outcome, Guid? OrganizationId, Guid? DealId, int Attachments, Guid OwnerId, long Version);

public sealed record TimelineQuery
{
    public InteractionChannel? Channel { get; set; }
    public string? Q { get; set; }

    /// <summary>On a person's timeline: also what happened with the organisations they work for.</summary>
    public bool? IncludeOrganization { get; set; }
    public string? Cursor { get; set; }
    public int? Limit { get; set; }
}

/// <summary>Interactions and the timelines of people, organisations and deals built from them.</summary>
public sealed partial class InteractionService(IDbContextFactory<MotivDbContext> dbFactory)
{
    public const int ExcerptLength = 280;

    private static readonly HtmlSanitizer Sanitizer = new();

    public static readonly SortFields<Interaction> Sorts = new SortFields<Interaction>("-occurredAt")
        .Add("occurredAt", i => i.OccurredAt)
        .Add("updatedAt", i => i.UpdatedAt);

    /// <summary>The body made safe: scripts, event handlers, dangerous URLs and unknown tags removed; plain text becomes paragraphs.</summary>
    public static string? SanitizeBody(string? body)
    {
        if (string.IsNullOrWhiteSpace(body)) return null;
        var html = LooksLikeHtml().IsMatch(body) ? body : TextToHtml(body);
        var clean = Sanitizer.Sanitize(html).Trim();
        return clean.Length == 0 ? null : clean;
    }

    /// <summary>Plain text as HTML paragraphs, every character shown as typed (markup in the text stays text).</summary>
    public static string TextToHtml(string text) =>
        string.Join("", text.Replace("\r", "", StringComparison.Ordinal).Split('\n').Select(l => "<p>" + System.Net.WebUtility.HtmlEncode(l) + "</p>"));

    /// <summary>The text of sanitised HTML, with line breaks where blocks end, for search and excerpts.</summary>
    public static string? PlainText(string? html)
    {
        if (html is null) return null;
        var marked = BlockEnd().Replace(html, m => m.Value + "\n");
        var text = new HtmlParser().ParseDocument("<body>" + marked + "</body>").Body?.TextContent ?? "";
        text = ManyBlankLines().Replace(text.Replace("\r", "", StringComparison.Ordinal), "\n\n").Trim();
        return text.Length == 0 ? null : text;
    }

    public async Task<Page<TimelineItem>> TimelineAsync(string recordType, Guid id, TimelineQuery query, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        IQueryable<Interaction> q = db.Interactions.AsNoTracking();
        if (query.Channel is { } channel) q = q.Where(i => i.Channel == channel);
        if (!string.IsNullOrWhiteSpace(query.Q))
        {
            var text = query.Q.Trim().ToLowerInvariant();
            q = q.Where(i => i.Subject.ToLower().Contains(text) || (i.BodyText != null && i.BodyText.ToLower().Contains(text)));
        }
        switch (recordType)
        {
            case Customers.Person.Type when query.IncludeOrganization != true:
                await Records.FindAsync(db.People.AsNoTracking(), id, ct);
                // Read in order from the participants' (person, time, interaction) index and stop after one page,
                // however many interactions the person has.
                var rows = from p in db.Set<InteractionParticipant>()
                           where p.PersonId == id
                           join i in q on p.InteractionId equals i.Id
                           select new ParticipationRow { Id = p.InteractionId, OccurredAt = p.OccurredAt, Interaction = i };
                var item = Item(db);
                return await Paging.PageAsync(rows, ParticipationSorts, null, query.Cursor, query.Limit,
                    System.Linq.Expressions.Expression.Lambda<Func<ParticipationRow, TimelineItem>>(
                        ReplacingExpressionVisitor.Replace(item.Parameters[0], System.Linq.Expressions.Expression.Property(ParticipationRowParameter, nameof(ParticipationRow.Interaction)), item.Body),
                        ParticipationRowParameter), ct, Paging.TimelineCountLimit);
            case Customers.Person.Type:
                await Records.FindAsync(db.People.AsNoTracking(), id, ct);
                var orgs = await db.Employments.Where(e => e.PersonId == id).Select(e => e.OrganizationId).ToListAsync(ct);
                var theirs = db.Set<InteractionParticipant>().Where(p => p.PersonId == id).Select(p => p.InteractionId);
                q = q.Where(i => theirs.Contains(i.Id) || (i.OrganizationId != null && orgs.Contains(i.OrganizationId.Value)));
                break;
            case Customers.Organization.Type:
                await Records.FindAsync(db.Organizations.AsNoTracking(), id, ct);
                // What happened with the organisation, and with the people who work there.
                q = q.Where(i => i.OrganizationId == id || i.Participants.Any(p => p.PersonId != null && db.Employments.Any(e => e.OrganizationId == id && e.PersonId == p.PersonId)));
                break;
            case Sales.Deal.Type:
                await Records.FindAsync(db.Deals.AsNoTracking(), id, ct);
                q = q.Where(i => i.DealId == id);
                break;
            default:
                throw new NotFoundException(recordType, id);
        }
        return await Paging.PageAsync(q, Sorts, null, query.Cursor, query.Limit,
            Item(db), ct, Paging.TimelineCountLimit);
    }

    /// <summary>A person's participation with the interaction behind it; the id and time are the participant row's own (indexed) columns.</summary>
    private sealed class ParticipationRow
    {
        public Guid Id { get; init; }
        public DateTimeOffset OccurredAt { get; init; }
        public Interaction Interaction { get; init; } = null!;
    }

    private static readonly System.Linq.Expressions.ParameterExpression ParticipationRowParameter =
        System.Linq.Expressions.Expression.Parameter(typeof(ParticipationRow), "r");

    // The same cursor as Sorts' default: a page cursor from either form of the timeline reads the same.
    private static readonly SortFields<ParticipationRow> ParticipationSorts = new SortFields<ParticipationRow>("-occurredAt")
        .Add("occurredAt", r => r.OccurredAt);

    public async Task<Page<TimelineItem>> ListAsync(TimelineQuery query, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        IQueryable<Interaction> q = db.Interactions.AsNoTracking();
        if (query.Channel is { } channel) q = q.Where(i => i.Channel == channel);
        return await Paging.PageAsync(q, Sorts, null, query.Cursor, query.Limit,
            Item(db), ct);
    }

    /// <summary>A timeline row: the interaction with an excerpt of its text and its number of attachments.</summary>
    private static System.Linq.Expressions.Expression<Func<Interaction, TimelineItem>> Item(MotivDbContext db) =>
        i => new TimelineItem(i.Id, i.Channel, i.Direction, i.Subject, i.BodyText == null ? null : i.BodyText.Substring(0, Math.Min(i.BodyText.Length, ExcerptLength)),
            i.OccurredAt, i.DurationMinutes, i.Outcome, i.OrganizationId, i.DealId, db.Attachments.Count(a => a.InteractionId == i.Id), i.OwnerId, i.Version);

    public async Task<InteractionDto> GetAsync(Guid id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await ToDtoAsync(db, await Records.FindAsync(db.Interactions.AsNoTracking().Include(i => i.Participants), id, ct), ct);
    }

    public async Task<InteractionDto> CreateAsync(InteractionInput input, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var interaction = new Interaction();
        await ApplyAsync(db, interaction, input, isNew: true, ct);
        db.Interactions.Add(interaction);
        await db.SaveChangesAsync(ct);
        return await ToDtoAsync(db, interaction, ct);
    }

    public async Task<InteractionDto> UpdateAsync(Guid id, long? expectedVersion, InteractionInput input, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var interaction = await Records.FindForUpdateAsync(db, db.Interactions.Include(i => i.Participants), id, expectedVersion, ct);
        await ApplyAsync(db, interaction, input, isNew: false, ct);
        await db.SaveChangesAsync(ct);
        return await ToDtoAsync(db, interaction, ct);
    }

    public static InteractionInput ToInput(InteractionDto i) => new()
    {
        Channel = i.Channel, Direction = i.Direction, Subject = i.Subject, Body = i.Body, OccurredAt = i.OccurredAt, DurationMinutes = i.DurationMinutes,
        Outcome = i.Outcome, OrganizationId = i.Organization?.Id, DealId = i.Deal?.Id, LeadId = i.Lead?.Id, QuoteId = i.Quote?.Id, OrderId = i.Order?.Id,
        PersonIds = [.. i.People.Select(p => p.Id)], UserIds = [.. i.Users.Select(u => u.Id)], Tags = [.. i.Tags],
        OwnerId = i.OwnerId, TeamId = i.TeamId, Visibility = i.Visibility,
    };

    internal static async Task ApplyAsync(MotivDbContext db, Interaction i, InteractionInput input, bool isNew, CancellationToken ct)
    {
        var errors = new FieldErrors();
        i.Channel = input.Channel ?? InteractionChannel.Note;
        if (!Enum.IsDefined(i.Channel)) errors.Add("channel", Text.Get("Validation.Choice"));
        i.Direction = input.Direction ?? (i.Channel == InteractionChannel.Note ? InteractionDirection.Internal : InteractionDirection.Outbound);
        if (!Enum.IsDefined(i.Direction)) errors.Add("direction", Text.Get("Validation.Choice"));
        i.Subject = errors.Required("subject", input.Subject, 300);
        if (input.Body is { Length: > 200_000 }) errors.Add("body", Text.Get("Validation.MaxLength", 200_000));
        else
        {
            i.BodyHtml = SanitizeBody(input.Body);
            i.BodyText = PlainText(i.BodyHtml);
        }
        i.OccurredAt = input.OccurredAt ?? (isNew ? db.Clock.GetUtcNow() : i.OccurredAt);
        i.DurationMinutes = input.DurationMinutes;
        if (input.DurationMinutes is < 0 or > 24 * 60) errors.Add("durationMinutes", Text.Get("Validation.Range", 0, 24 * 60));
        i.Outcome = errors.Optional("outcome", input.Outcome, 500);
        i.OrganizationId = await LinkAsync(db, errors, "organizationId", db.Organizations, i.OrganizationId, input.OrganizationId, isNew, ct);
        i.DealId = await LinkAsync(db, errors, "dealId", db.Deals, i.DealId, input.DealId, isNew, ct);
        i.LeadId = await LinkAsync(db, errors, "leadId", db.Leads, i.LeadId, input.LeadId, isNew, ct);
        i.QuoteId = await LinkAsync(db, errors, "quoteId", db.Quotes, i.QuoteId, input.QuoteId, isNew, ct);
        i.OrderId = await LinkAsync(db, errors, "orderId", db.Orders, i.OrderId, input.OrderId, isNew, ct);
        await ApplyParticipantsAsync(db, errors, i, input.PersonIds ?? [], input.UserIds ?? [], ct);
        i.Tags = Customers.Contacts.Tags(errors, input.Tags);
        await Ownership.ApplyAsync(db, errors, i, input, isNew, ct);
        errors.ThrowIfAny();
    }

    /// <summary>A link to a record the user may see; a link the user cannot see (sent back as null) is kept.</summary>
    private static async Task<Guid?> LinkAsync<T>(MotivDbContext db, FieldErrors errors, string field, IQueryable<T> set, Guid? current, Guid? wanted, bool isNew, CancellationToken ct) where T : Record
    {
        if (wanted is { } id && id != current && !await set.AnyAsync(r => r.Id == id, ct))
        {
            errors.Add(field, Text.Get("Validation.UnknownRecord"));
            return current;
        }
        return wanted is null && !isNew && await Hidden.IsHiddenAsync(set, current, ct) ? current : wanted;
    }

    private static async Task ApplyParticipantsAsync(MotivDbContext db, FieldErrors errors, Interaction i, List<Guid> personIds, List<Guid> userIds, CancellationToken ct)
    {
        var ids = personIds.Concat(i.Participants.Where(p => p.PersonId != null).Select(p => p.PersonId!.Value)).Distinct().ToList();
        var visible = await db.People.Where(p => ids.Contains(p.Id)).Select(p => p.Id).ToListAsync(ct);
        var users = await db.Users.Where(u => userIds.Contains(u.Id)).Select(u => u.Id).ToListAsync(ct);
        // People the user cannot see stay as they are.
        var kept = i.Participants.Where(p => p.PersonId is { } pid && !visible.Contains(pid)).ToList();
        foreach (var (pid, n) in personIds.Distinct().Select((p, n) => (p, n)))
        {
            if (!visible.Contains(pid)) { errors.Add($"personIds[{n}]", Text.Get("Validation.UnknownPerson")); continue; }
            kept.Add(i.Participants.FirstOrDefault(p => p.PersonId == pid) ?? new InteractionParticipant { InteractionId = i.Id, PersonId = pid });
        }
        foreach (var (uid, n) in userIds.Distinct().Select((u, n) => (u, n)))
        {
            if (!users.Contains(uid)) { errors.Add($"userIds[{n}]", Text.Get("Validation.UnknownUser")); continue; }
            kept.Add(i.Participants.FirstOrDefault(p => p.UserId == uid) ?? new InteractionParticipant { InteractionId = i.Id, UserId = uid });
        }
        foreach (var gone in i.Participants.Except(kept).ToList()) i.Participants.Remove(gone);
        foreach (var added in kept.Except(i.Participants).ToList()) i.Participants.Add(added);
    }

    internal static async Task<InteractionDto> ToDtoAsync(MotivDbContext db, Interaction i, CancellationToken ct)
    {
        var personIds = i.Participants.Where(p => p.PersonId != null).Select(p => p.PersonId!.Value).ToList();
        var userIds = i.Participants.Where(p => p.UserId != null).Select(p => p.UserId!.Value).ToList();
        var people = await db.People.AsNoTracking().Where(p => personIds.Contains(p.Id)).Select(p => new NamedRef(p.Id, p.FirstName + " " + p.LastName)).ToListAsync(ct);
        var users = await db.Users.AsNoTracking().Where(u => userIds.Contains(u.Id)).Select(u => new NamedRef(u.Id, u.DisplayName)).ToListAsync(ct);
        var attachments = await db.Attachments.AsNoTracking().Where(a => a.InteractionId == i.Id).OrderBy(a => a.UploadedAt)
            .Select(a => new AttachmentDto(a.Id, a.FileName, a.ContentType, a.Size, a.UploadedAt)).ToListAsync(ct);
        return new InteractionDto(i.Id, i.Channel, i.Direction, i.Subject, i.BodyHtml, i.BodyText, i.OccurredAt, i.DurationMinutes, i.Outcome,
            await NameAsync(db.Organizations, i.OrganizationId, o => o.Name, ct), await NameAsync(db.Deals, i.DealId, d => d.Title, ct),
            await NameAsync(db.Leads, i.LeadId, l => l.LastName, ct), await NameAsync(db.Quotes, i.QuoteId, q => q.Number, ct), await NameAsync(db.Orders, i.OrderId, o => o.Number, ct),
            people, users, attachments, TagList.FromStored(i.Tags), i.OwnerId, i.TeamId, i.Visibility, i.CreatedAt, i.UpdatedAt, i.Version,
            [.. i.Participants.Where(p => p.PersonId != null && p.Response != MeetingResponse.None).Select(p => new MeetingAnswer(p.PersonId!.Value, p.Response, p.RespondedAt))]);
    }

    private static async Task<NamedRef?> NameAsync<T>(IQueryable<T> set, Guid? id, System.Linq.Expressions.Expression<Func<T, string>> name, CancellationToken ct) where T : Record
    {
        if (id is not { } value) return null;
        var found = await set.AsNoTracking().Where(r => r.Id == value).Select(name).FirstOrDefaultAsync(ct);
        return found is null ? null : new NamedRef(value, found);
    }

    [GeneratedRegex(@"<\s*[a-zA-Z][^>]*>")]
    private static partial Regex LooksLikeHtml();

    [GeneratedRegex(@"</(p|div|li|h[1-6]|tr|blockquote|pre)\s*>|<br\s*/?>", RegexOptions.IgnoreCase)]
    private static partial Regex BlockEnd();

    [GeneratedRegex(@"\n\s*\n(\s*\n)+")]
    private static partial Regex ManyBlankLines();
}
