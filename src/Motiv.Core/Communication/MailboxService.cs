using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using MailKit.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MimeKit;
using Motiv.Core.Access;
using Motiv.Core.Common;
using Motiv.Core.Data;

namespace Motiv.Core.Communication;

public sealed class MailSyncOptions
{
    /// <summary>Messages taken per transaction: a crash loses at most one batch's work, which the next run takes again.</summary>
    public int BatchSize { get; set; } = 100;

    /// <summary>Larger messages are skipped (with that reason) without being downloaded.</summary>
    public long MaxMessageBytes { get; set; } = 25 * 1024 * 1024;
}

/// <summary>
/// IMAP mailboxes (a user's own and shared ones), their synchronisation by UID, the reconciliation of what the server has
/// with what Motiv took, the review of mail from unknown senders, and .eml upload. Synchronisation runs as Motiv itself;
/// everything else with the caller's rights.
/// </summary>
public sealed class MailboxService(IDbContextFactory<MotivDbContext> dbFactory, DbContextOptions<MotivDbContext> dbOptions, TimeProvider clock,
    ISecretProtector secrets, IOptions<MailSyncOptions> options, Customers.PersonService people, Sales.LeadService leads, AttachmentStore files)
{
    private MotivDbContext SystemContext() => new(dbOptions, new FixedCurrentUser(AccessScope.System), clock);

    private static bool CanSee(AccessScope s, Mailbox b) => s.IsAdministrator || b.OwnerId == s.UserId || (b.IsShared && b.TeamId is { } t && s.TeamIds.Contains(t));

    private static bool CanManage(AccessScope s, Mailbox b) => s.CanAdminister || (!b.IsShared && b.OwnerId == s.UserId && !s.IsReadOnly);

    public async Task<IReadOnlyList<MailboxDto>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!db.Scope.IsAuthenticated) throw new AccessDeniedException(Text.Get("Access.SignIn"));
        var all = await db.Mailboxes.AsNoTracking().OrderBy(b => b.Name).ToListAsync(ct);
        return [.. all.Where(b => CanSee(db.Scope, b)).Select(ToDto)];
    }

    public async Task<MailboxDto> GetAsync(Guid id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return ToDto(await FindAsync(db, id, manage: false, ct));
    }

    /// <summary>A new mailbox: anyone with write rights adds their own; shared mailboxes (with an owner and team) are for administrators.</summary>
    public async Task<MailboxDto> SaveAsync(Guid? id, MailboxInput input, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var s = db.Scope;
        if (!s.IsAuthenticated || s.IsReadOnly) throw new AccessDeniedException(Text.Get("Access.ReadOnly"));
        var box = id is { } existing ? await FindAsync(db, existing, manage: true, ct) : db.Mailboxes.Add(new Mailbox { OwnerId = s.UserId, CreatedAt = db.Clock.GetUtcNow() }).Entity;
        var errors = new FieldErrors();
        box.Name = errors.Required("name", input.Name ?? (id is null ? null : box.Name), 100);
        var address = input.Address ?? (id is null ? null : box.Address);
        box.Address = errors.Email("address", address) ?? "";
        if (string.IsNullOrWhiteSpace(address)) errors.Add("address", Text.Get("Validation.Required"));
        box.Host = errors.Required("host", input.Host ?? (id is null ? null : box.Host), 200);
        // Users may not point Motiv at hosts inside the network (the same guard and allow-list as webhooks); administrators may.
        if (box.Host.Length > 0 && !s.IsAdministrator && box.Host != (id is null ? null : (string?)db.Entry(box).Property(b => b.Host).OriginalValue))
        {
            try { await Integration.SsrfGuard.ResolveAsync(box.Host, await Integration.WebhookService.AllowListAsync(db, ct), ct); }
            catch (Integration.BlockedAddressException e) { errors.Add("host", e.Message); }
        }
        box.Port = input.Port ?? box.Port;
        if (box.Port is < 1 or > 65535) errors.Add("port", Text.Get("Validation.Range", 1, 65535));
        box.Security = input.Security ?? box.Security;
        if (!Enum.IsDefined(box.Security)) errors.Add("security", Text.Get("Validation.Choice"));
        box.UserName = errors.Required("userName", input.UserName ?? (id is null ? null : box.UserName), 200);
        if (!string.IsNullOrEmpty(input.Password)) box.Password = secrets.Protect(input.Password);
        if (box.Password is null) errors.Add("password", Text.Get("Validation.Required"));
        if (input.Folders is { } folders)
        {
            box.Folders = [.. folders.Where(f => !string.IsNullOrWhiteSpace(f)).Select(f => f.Trim()).Distinct()];
            if (box.Folders.Count is 0 or > 20 || box.Folders.Any(f => f.Length > 200)) errors.Add("folders", Text.Get("Validation.Folders"));
        }
        box.IsShared = input.IsShared ?? box.IsShared;
        if (box.IsShared && !s.CanAdminister) errors.Add("isShared", Text.Get("Access.AdministratorsOnly"));
        if (input.OwnerId is { } owner && owner != box.OwnerId)
        {
            if (!s.CanAdminister) errors.Add("ownerId", Text.Get("Access.AdministratorsOnly"));
            else if (!await db.Users.AnyAsync(u => u.Id == owner && u.IsActive, ct)) errors.Add("ownerId", Text.Get("Validation.UnknownUser"));
            else box.OwnerId = owner;
        }
        if (input.TeamId is { } team && team != box.TeamId)
        {
            if (!await db.Teams.AnyAsync(t => t.Id == team, ct)) errors.Add("teamId", Text.Get("Validation.UnknownTeam"));
            else if (!s.IsAdministrator && !s.TeamIds.Contains(team)) errors.Add("teamId", Text.Get("Access.CannotAssign"));
            else box.TeamId = team;
        }
        box.TeamId ??= await db.TeamMembers.Where(m => m.UserId == box.OwnerId).Select(m => (Guid?)m.TeamId).FirstOrDefaultAsync(ct);
        if (box.IsShared && box.TeamId is null) errors.Add("teamId", Text.Get("Validation.Required"));
        box.IsActive = input.IsActive ?? box.IsActive;
        errors.ThrowIfAny();
        await db.SaveChangesAsync(ct);
        return ToDto(box);
    }

    /// <summary>Removes a mailbox and its sync state; what it brought in stays on the timelines.</summary>
    public async Task DeleteAsync(Guid id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var box = await FindAsync(db, id, manage: true, ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.MailFolderStates.Where(f => f.MailboxId == id).ExecuteDeleteAsync(ct);
        await db.MailMessages.Where(m => m.MailboxId == id && m.State == MailMessageState.Review).ExecuteDeleteAsync(ct);
        await db.MailMessages.Where(m => m.MailboxId == id).ExecuteUpdateAsync(u => u.SetProperty(m => m.MailboxId, (Guid?)null), ct);
        db.Mailboxes.Remove(box);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>Synchronises one mailbox now (for those who may see it) and returns the reconciliation.</summary>
    public async Task<Reconciliation> SyncNowAsync(Guid id, Action<int>? onMessage = null, CancellationToken ct = default)
    {
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var box = await FindAsync(db, id, manage: false, ct);
            if (db.Scope.IsReadOnly) throw new AccessDeniedException(Text.Get("Access.ReadOnly"));
            if (!box.IsActive) throw ValidationException.For("isActive", Text.Get("Validation.MailboxInactive"));
        }
        await SyncAsSystemAsync(id, onMessage, ct);
        return await ReconciliationAsync(id, ct);
    }

    /// <summary>Synchronises one mailbox as Motiv itself (the caller has checked the right to). Returns the number of messages taken.</summary>
    public async Task<int> SyncAsSystemAsync(Guid id, Action<int>? onMessage = null, CancellationToken ct = default)
    {
        await using var system = SystemContext();
        return await SyncAsync(system, await system.Mailboxes.FirstAsync(b => b.Id == id, ct), onMessage, ct);
    }

    /// <summary>Every active mailbox, one after the other (the background job). Returns the number of messages taken.</summary>
    public async Task<int> SyncAllAsync(CancellationToken ct = default)
    {
        List<Guid> boxes;
        await using (var system = SystemContext())
            boxes = await system.Mailboxes.AsNoTracking().Where(b => b.IsActive).Select(b => b.Id).ToListAsync(ct);
        var taken = 0;
        foreach (var id in boxes)
        {
            // One mailbox's trouble (such as a sync started by hand at the same moment) does not stop the others.
            try { taken += await SyncAsSystemAsync(id, null, ct); }
            catch (DbUpdateException) { /* the other run took these messages; the next run goes on */ }
        }
        return taken;
    }

    /// <summary>
    /// Takes the messages above each folder's last UID in batches; each batch (its messages, interactions and the new last
    /// UID) is committed together, so a sync stopped at any point resumes where its last commit ended, and the unique
    /// position of each message rules out taking one twice. A new UIDVALIDITY starts the folder again; Message-IDs
    /// already taken are then skipped as duplicates.
    /// </summary>
    private async Task<int> SyncAsync(MotivDbContext db, Mailbox box, Action<int>? onMessage, CancellationToken ct)
    {
        var taken = 0;
        using var client = new ImapClient { Timeout = 60_000 };
        try
        {
            await client.ConnectAsync(box.Host, box.Port, MailService.Socket(box.Security), ct);
            await client.AuthenticateAsync(box.UserName, secrets.Unprotect(box.Password ?? ""), ct);
        }
        catch (Exception e) when (IsMailError(e))
        {
            foreach (var folder in box.Folders) await RecordErrorAsync(db, box.Id, folder, e.Message, ct);
            return 0;
        }
        var teamVisible = box.TeamId is null ? Visibility.Everyone : Visibility.Team;
        foreach (var name in box.Folders)
        {
            try
            {
                var folder = await client.GetFolderAsync(name, ct);
                await folder.OpenAsync(FolderAccess.ReadOnly, ct);
                var state = await StateAsync(db, box.Id, name, ct);
                if (state.UidValidity != folder.UidValidity)
                {
                    state.UidValidity = folder.UidValidity;
                    state.LastUid = 0;
                }
                state.ServerCount = folder.Count;
                state.LastError = null;
                await db.SaveChangesAsync(ct);
                var last = state.LastUid;
                // "n:*" also returns the highest message when it is below n, hence the filter.
                var uids = (await folder.SearchAsync(SearchQuery.Uids(new UniqueIdRange(new UniqueId((uint)Math.Min(last + 1, uint.MaxValue)), UniqueId.MaxValue)), ct))
                    .Where(u => u.Id > last).OrderBy(u => u.Id).ToList();
                var source = new IntakeSource(box.Id, name, state.UidValidity, 0, box.OwnerId, box.TeamId, teamVisible, new HashSet<string> { box.Address }, files);
                foreach (var batch in uids.Chunk(Math.Max(1, options.Value.BatchSize)))
                {
                    var summaries = (await folder.FetchAsync(batch, MessageSummaryItems.UniqueId | MessageSummaryItems.Size | MessageSummaryItems.Envelope, ct))
                        .ToDictionary(s => s.UniqueId);
                    await using var tx = await db.Database.BeginTransactionAsync(ct);
                    var threads = new Dictionary<string, string>();
                    foreach (var uid in batch)
                    {
                        ct.ThrowIfCancellationRequested();
                        var at = source with { Uid = uid.Id };
                        summaries.TryGetValue(uid, out var summary);
                        if (summary?.Size > options.Value.MaxMessageBytes) MailIntake.Skip(AddFromEnvelope(db, summary, at), SkipReasons.TooLarge);
                        else
                        {
                            MimeMessage? message = null;
                            try { message = await folder.GetMessageAsync(uid, ct); }
                            catch (Exception e) when (e is ParseException or FormatException or MessageNotFoundException) { /* skipped below */ }
                            if (message is null) MailIntake.Skip(AddFromEnvelope(db, summary, at), SkipReasons.Unreadable);
                            else await MailIntake.AddAsync(db, message, at, threads, ct);
                        }
                        onMessage?.Invoke(++taken);
                    }
                    state.LastUid = batch[^1].Id;
                    state.LastSyncAt = db.Clock.GetUtcNow();
                    await db.SaveChangesAsync(ct);
                    await tx.CommitAsync(ct);
                    db.ChangeTracker.Clear();
                    state = await StateAsync(db, box.Id, name, ct);
                }
                state.LastSyncAt = db.Clock.GetUtcNow();
                await db.SaveChangesAsync(ct);
            }
            catch (Exception e) when (IsMailError(e))
            {
                db.ChangeTracker.Clear();
                await RecordErrorAsync(db, box.Id, name, e.Message, ct);
            }
        }
        await client.DisconnectAsync(true, ct);
        return taken;
    }

    private static bool IsMailError(Exception e) => e is MailKit.ServiceNotConnectedException or ImapCommandException or ImapProtocolException or FolderNotFoundException
        or AuthenticationException or System.Net.Sockets.SocketException or IOException or TimeoutException or System.Security.Cryptography.CryptographicException;

    private static MailMessage AddFromEnvelope(MotivDbContext db, IMessageSummary? summary, IntakeSource at)
    {
        var from = summary?.Envelope?.From.Mailboxes.FirstOrDefault();
        var row = new MailMessage
        {
            MailboxId = at.MailboxId, Folder = at.Folder, UidValidity = at.UidValidity, Uid = at.Uid,
            MessageId = Texts.Cut(summary?.Envelope?.MessageId ?? $"uid:{at.Folder}:{at.UidValidity}:{at.Uid}", 300),
            FromAddress = Texts.Cut(MailIntake.Normalise(from?.Address) ?? "", 254), FromName = Texts.Cut(from?.Name, 200), Subject = Texts.Cut(summary?.Envelope?.Subject ?? "", 300),
            Date = summary?.Envelope?.Date ?? db.Clock.GetUtcNow(), OwnerId = at.OwnerId, TeamId = at.TeamId, TakenAt = db.Clock.GetUtcNow(),
        };
        row.ThreadId = row.MessageId;
        db.MailMessages.Add(row);
        return row;
    }

    private static async Task<MailFolderState> StateAsync(MotivDbContext db, Guid mailboxId, string folder, CancellationToken ct) =>
        await db.MailFolderStates.FirstOrDefaultAsync(f => f.MailboxId == mailboxId && f.Folder == folder, ct)
        ?? db.MailFolderStates.Add(new MailFolderState { MailboxId = mailboxId, Folder = folder }).Entity;

    private static async Task RecordErrorAsync(MotivDbContext db, Guid mailboxId, string folder, string error, CancellationToken ct)
    {
        var state = await StateAsync(db, mailboxId, folder, ct);
        state.LastError = error.Length > 500 ? error[..500] : error;
        state.LastSyncAt = db.Clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Per folder: the server's count at the last sync, what Motiv stored, holds for review, ignored and skipped (by reason), and what it has not seen.</summary>
    public async Task<Reconciliation> ReconciliationAsync(Guid id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var box = await FindAsync(db, id, manage: false, ct);
        var states = await db.MailFolderStates.AsNoTracking().Where(f => f.MailboxId == id).ToListAsync(ct);
        var counts = await db.MailMessages.AsNoTracking().Where(m => m.MailboxId == id)
            .GroupBy(m => new { m.Folder, m.UidValidity, m.State, m.SkipReason }).Select(g => new { g.Key.Folder, g.Key.UidValidity, g.Key.State, g.Key.SkipReason, Count = g.Count() })
            .ToListAsync(ct);
        var folders = box.Folders.Union(states.Select(s => s.Folder)).Select(name =>
        {
            var state = states.FirstOrDefault(s => s.Folder == name);
            var mine = counts.Where(c => c.Folder == name && c.UidValidity == (state?.UidValidity ?? 0)).ToList();
            int Count(MailMessageState st) => mine.Where(c => c.State == st).Sum(c => c.Count);
            var stored = Count(MailMessageState.Linked) + Count(MailMessageState.CalendarReply);
            var skippedBy = mine.Where(c => c.State == MailMessageState.Skipped).GroupBy(c => c.SkipReason ?? "").ToDictionary(g => g.Key, g => g.Sum(c => c.Count));
            var seen = mine.Sum(c => c.Count);
            return new FolderReconciliation(name, state?.ServerCount ?? 0, stored, Count(MailMessageState.Review), Count(MailMessageState.Ignored),
                Count(MailMessageState.Skipped), skippedBy, Math.Max(0, (state?.ServerCount ?? 0) - seen), state?.LastUid ?? 0, state?.LastSyncAt, state?.LastError);
        }).ToList();
        return new Reconciliation(box.Id, box.Name, folders);
    }

    /// <summary>The messages of a mailbox, newest first, optionally in one state: to find out what became of a given mail.</summary>
    public async Task<IReadOnlyList<MailMessageDto>> MessagesAsync(Guid id, MailMessageState? state, int? limit, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await FindAsync(db, id, manage: false, ct);
        var q = db.MailMessages.AsNoTracking().Where(m => m.MailboxId == id);
        if (state is { } st) q = q.Where(m => m.State == st);
        return (await q.OrderByDescending(m => m.Date).ThenByDescending(m => m.Id).Take(Math.Clamp(limit ?? 100, 1, 500)).ToListAsync(ct)).Select(Dto).ToList();
    }

    /// <summary>Mail from unknown senders waiting for the caller: from their mailboxes, their teams' shared ones, and their uploads.</summary>
    public async Task<IReadOnlyList<MailMessageDto>> ReviewListAsync(int? limit, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var s = db.Scope;
        if (!s.IsAuthenticated) throw new AccessDeniedException(Text.Get("Access.SignIn"));
        var teams = s.TeamIds;
        return (await db.MailMessages.AsNoTracking().Where(m => m.State == MailMessageState.Review)
            .Where(m => s.IsAdministrator || m.OwnerId == s.UserId || (m.TeamId != null && m.MailboxId != null && teams.Contains(m.TeamId.Value)
                && db.Mailboxes.Any(b => b.Id == m.MailboxId && b.IsShared)))
            .OrderByDescending(m => m.Date).ThenByDescending(m => m.Id).Take(Math.Clamp(limit ?? 100, 1, 500)).ToListAsync(ct)).Select(Dto).ToList();
    }

    /// <summary>
    /// Decides about a mail from an unknown sender: <c>person</c> creates a person with the sender's address (and
    /// employment), <c>lead</c> a lead; both then put the mail on the new record's timeline. <c>link</c> links it to a
    /// person who has the address by now; <c>ignore</c> leaves it out and forgets its text.
    /// </summary>
    public async Task<MailMessageDto> ReviewAsync(Guid id, ReviewInput input, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var s = db.Scope;
        if (!s.IsAuthenticated || s.IsReadOnly) throw new AccessDeniedException(Text.Get("Access.ReadOnly"));
        var row = await db.MailMessages.FirstOrDefaultAsync(m => m.Id == id && m.State == MailMessageState.Review, ct) ?? throw new NotFoundException("mailMessage", id);
        var box = row.MailboxId is { } bid ? await db.Mailboxes.AsNoTracking().FirstOrDefaultAsync(b => b.Id == bid, ct) : null;
        if (!(s.IsAdministrator || row.OwnerId == s.UserId || (box is not null && CanSee(s, box)))) throw new NotFoundException("mailMessage", id);
        var source = new IntakeSource(row.MailboxId, row.Folder, row.UidValidity, row.Uid, s.UserId, row.TeamId, row.TeamId is null ? Visibility.Everyone : Visibility.Team, new HashSet<string>());
        switch (input.Action?.Trim().ToLowerInvariant())
        {
            case "ignore":
                row.State = MailMessageState.Ignored;
                row.BodyHtml = null;
                break;
            case "person":
                var person = await people.CreateAsync(new Customers.PersonInput
                {
                    FirstName = input.FirstName, LastName = input.LastName, Emails = [new Customers.EmailAddress(row.FromAddress)],
                    Employments = input.OrganizationId is { } org ? [new Customers.EmploymentInput(org, IsPrimary: true)] : null,
                }, ct);
                Link(db, row, person.Id, input.OrganizationId, null, source);
                break;
            case "lead":
                var lead = await leads.CreateAsync(new Sales.LeadInput
                {
                    FirstName = input.FirstName, LastName = input.LastName, Email = row.FromAddress, CompanyName = input.CompanyName, Source = Sales.LeadSource.Other,
                }, ct);
                Link(db, row, null, null, lead.Id, source);
                break;
            case "link":
                var known = await db.People.AsNoTracking().Where(p => p.PrimaryEmail == row.FromAddress)
                    .Select(p => new { p.Id, Organization = p.Employments.OrderByDescending(e => e.IsPrimary).Select(e => (Guid?)e.OrganizationId).FirstOrDefault() })
                    .FirstOrDefaultAsync(ct) ?? throw ValidationException.For("action", Text.Get("Validation.NoPersonWithAddress", row.FromAddress));
                Link(db, row, known.Id, known.Organization, null, source);
                break;
            default:
                throw ValidationException.For("action", Text.Get("Validation.Choice"));
        }
        await db.SaveChangesAsync(ct);
        return Dto(row);
    }

    private static void Link(MotivDbContext db, MailMessage row, Guid? personId, Guid? organizationId, Guid? leadId, IntakeSource source)
    {
        row.InteractionId = MailIntake.AddInteraction(db, row, row.BodyHtml, personId is { } p ? [p] : [], [source.OwnerId], organizationId, leadId, source).Id;
        row.State = MailMessageState.Linked;
        row.BodyHtml = null;
    }

    /// <summary>One uploaded message (.eml), taken like a synchronised one with the caller's rights: linked, up for review, or a duplicate.</summary>
    public async Task<MailMessageDto> ImportEmlAsync(Stream content, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var s = db.Scope;
        if (!s.IsAuthenticated || s.IsReadOnly) throw new AccessDeniedException(Text.Get("Access.ReadOnly"));
        MimeMessage message;
        try { message = await MimeMessage.LoadAsync(content, ct); }
        catch (Exception e) when (e is ParseException or FormatException) { throw ValidationException.For("file", Text.Get("Validation.NotAnEmail")); }
        if (message.From.Mailboxes.FirstOrDefault() is null || message.Date == DateTimeOffset.MinValue) throw ValidationException.For("file", Text.Get("Validation.NotAnEmail"));
        var me = await db.Users.AsNoTracking().Where(u => u.Id == s.UserId).Select(u => u.Email).FirstOrDefaultAsync(ct);
        var team = s.TeamIds.Count > 0 ? s.TeamIds[0] : (Guid?)null;
        var own = new HashSet<string>(me is null ? [] : [me.ToLowerInvariant()]);
        var row = await MailIntake.AddAsync(db, message, new IntakeSource(null, null, 0, 0, s.UserId, team, team is null ? Visibility.Everyone : Visibility.Team, own, files),
            new Dictionary<string, string>(), ct);
        await db.SaveChangesAsync(ct);
        return Dto(row);
    }

    private async Task<Mailbox> FindAsync(MotivDbContext db, Guid id, bool manage, CancellationToken ct)
    {
        var box = await db.Mailboxes.FirstOrDefaultAsync(b => b.Id == id, ct);
        if (box is null || !CanSee(db.Scope, box)) throw new NotFoundException("mailbox", id);
        if (manage && !CanManage(db.Scope, box)) throw new AccessDeniedException(Text.Get("Access.MailboxOwner"));
        return box;
    }

    private static MailboxDto ToDto(Mailbox b) =>
        new(b.Id, b.Name, b.Address, b.Host, b.Port, b.Security, b.UserName, b.Password is not null, b.Folders, b.IsShared, b.OwnerId, b.TeamId, b.IsActive);

    private static MailMessageDto Dto(MailMessage m) => new(m.Id, m.MailboxId, m.Folder, m.Uid, m.MessageId, m.ThreadId, m.State, m.SkipReason,
        m.FromAddress, m.FromName, m.Subject, m.Date, m.Direction, InteractionService.PlainText(m.BodyHtml) is { } t ? t[..Math.Min(t.Length, InteractionService.ExcerptLength)] : null,
        m.InteractionId);
}
