using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Fluid;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.EntityFrameworkCore;
using MimeKit;
using Motiv.Core.Common;
using Motiv.Core.Data;

namespace Motiv.Core.Communication;

public enum MailSecurity
{
    Auto = 0,
    None = 1,
    StartTls = 2,
    SslOnConnect = 3,
}

/// <summary>An SMTP server and the sender Motiv uses. The password is stored encrypted and never shown again.</summary>
public sealed record SmtpSettings
{
    public string Host { get; init; } = "";
    public int Port { get; init; } = 587;
    public MailSecurity Security { get; init; }
    public string? UserName { get; init; }
    public string? Password { get; init; }
    public string FromAddress { get; init; } = "";
    public string? FromName { get; init; }
}

public sealed record SmtpSettingsDto(string Host, int Port, MailSecurity Security, string? UserName, bool HasPassword, string FromAddress, string? FromName);

/// <summary>Encrypts secrets at rest (the web host uses ASP.NET Core data protection).</summary>
public interface ISecretProtector
{
    string Protect(string secret);
    string Unprotect(string protectedSecret);
}

/// <summary>A mail template in one language: subject and body with merge fields such as {{ person.greeting }}.</summary>
public sealed class MailTemplate
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    /// <summary>Set for marketing templates: sending then needs a valid basis for this purpose, and the mail carries an unsubscribe link.</summary>
    public ConsentPurpose? Purpose { get; set; }
    public string Name { get; set; } = "";
    public string Language { get; set; } = "de";
    public string Subject { get; set; } = "";
    public string Body { get; set; } = "";
    public bool IsActive { get; set; } = true;

    /// <summary>The motive codes the template speaks to (next best actions and the composer suggest it to people with these motives).</summary>
    public List<string> Motives { get; set; } = [];
    public DateTimeOffset UpdatedAt { get; set; }
}

public sealed record MailTemplateInput(string? Name, string? Language, string? Subject, string? Body, bool? IsActive, ConsentPurpose? Purpose = null, bool? Transactional = null,
    List<string>? Motives = null);

public sealed record MailTemplateDto(Guid Id, string Name, string Language, string Subject, string Body, bool IsActive, ConsentPurpose? Purpose, IReadOnlyList<string>? Motives = null);

/// <summary>
/// A mail to one person: from a template or with its own subject and body (both may use merge fields). A purpose (or a
/// marketing template) makes it marketing mail: it needs a valid basis and carries an unsubscribe link.
/// </summary>
public sealed record MailSendInput(Guid? PersonId, Guid? TemplateId, string? Subject, string? Body, Guid? OrganizationId, Guid? DealId, ConsentPurpose? Purpose = null);

/// <summary>Where Motiv can be reached from outside, for links in mails (reminders, unsubscribe, double opt-in).</summary>
public sealed class LinkOptions
{
    public string PublicUrl { get; set; } = "http://localhost:5080";

    public string Link(string path) => PublicUrl.TrimEnd('/') + path;
}

public sealed record RenderedMail(string To, string Subject, string BodyHtml, string Language, ConsentPurpose? Purpose = null);

/// <summary>The mail server refused or could not be reached; nothing was recorded as sent.</summary>
public sealed class MailDeliveryException(string message, Exception inner) : Exception(message, inner);

/// <summary>
/// Outgoing e-mail: SMTP settings (the system's, and a user's own), templates in German and English with merge fields
/// (Fluid/Liquid, values HTML-encoded), sending with MailKit, and the sent mail on the timeline.
/// </summary>
public sealed class MailService(IDbContextFactory<MotivDbContext> dbFactory, ISecretProtector secrets, InteractionService interactions, ConsentService consents,
    Microsoft.Extensions.Options.IOptions<LinkOptions> links)
{
    public const string SystemKey = "smtp";
    private static readonly FluidParser Parser = new();

    private static string UserKey(Guid userId) => "smtp:user:" + userId.ToString("N");

    public async Task<SmtpSettingsDto?> GetSettingsAsync(bool mine, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!mine && !db.Scope.CanAdminister) throw new AccessDeniedException(Text.Get("Access.AdministratorsOnly"));
        if (!db.Scope.IsAuthenticated) throw new AccessDeniedException(Text.Get("Access.SignIn"));
        var s = await SettingsService.ReadAsync<SmtpSettings>(db, mine ? UserKey(db.Scope.UserId) : SystemKey, ct);
        return s is null ? null : new SmtpSettingsDto(s.Host, s.Port, s.Security, s.UserName, s.Password is not null, s.FromAddress, s.FromName);
    }

    /// <summary>Saves the system's settings (administrators) or the caller's own; an empty password keeps the stored one.</summary>
    public async Task<SmtpSettingsDto> SetSettingsAsync(bool mine, SmtpSettings input, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!mine && !db.Scope.CanAdminister) throw new AccessDeniedException(Text.Get("Access.AdministratorsOnly"));
        if (!db.Scope.IsAuthenticated || db.Scope.IsReadOnly) throw new AccessDeniedException(Text.Get("Access.ReadOnly"));
        var errors = new FieldErrors();
        var host = errors.Required("host", input.Host, 200);
        if (input.Port is < 1 or > 65535) errors.Add("port", Text.Get("Validation.Range", 1, 65535));
        if (!Enum.IsDefined(input.Security)) errors.Add("security", Text.Get("Validation.Choice"));
        var from = errors.Email("fromAddress", input.FromAddress);
        if (from is null) errors.Add("fromAddress", Text.Get("Validation.Required"));
        errors.ThrowIfAny();
        var key = mine ? UserKey(db.Scope.UserId) : SystemKey;
        var current = await SettingsService.ReadAsync<SmtpSettings>(db, key, ct);
        var stored = input with
        {
            Host = host, FromAddress = from!, UserName = string.IsNullOrWhiteSpace(input.UserName) ? null : input.UserName.Trim(),
            FromName = string.IsNullOrWhiteSpace(input.FromName) ? null : input.FromName.Trim(),
            Password = string.IsNullOrEmpty(input.Password) ? current?.Password : secrets.Protect(input.Password),
        };
        await SettingsService.WriteAsync(db, key, stored, ct);
        return new SmtpSettingsDto(stored.Host, stored.Port, stored.Security, stored.UserName, stored.Password is not null, stored.FromAddress, stored.FromName);
    }

    public async Task<IReadOnlyList<MailTemplateDto>> ListTemplatesAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!db.Scope.IsAuthenticated) throw new AccessDeniedException(Text.Get("Access.SignIn"));
        return await db.MailTemplates.AsNoTracking().OrderBy(t => t.Name).ThenBy(t => t.Language)
            .Select(t => new MailTemplateDto(t.Id, t.Name, t.Language, t.Subject, t.Body, t.IsActive, t.Purpose, t.Motives)).ToListAsync(ct);
    }

    public async Task<MailTemplateDto> SaveTemplateAsync(Guid? id, MailTemplateInput input, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!db.Scope.CanAdminister) throw new AccessDeniedException(Text.Get("Access.AdministratorsOnly"));
        var t = id is { } existing
            ? await db.MailTemplates.FirstOrDefaultAsync(x => x.Id == existing, ct) ?? throw new NotFoundException("mailTemplate", existing)
            : db.MailTemplates.Add(new MailTemplate()).Entity;
        var errors = new FieldErrors();
        t.Name = errors.Required("name", input.Name ?? (id is null ? null : t.Name), 100);
        t.Language = (input.Language ?? t.Language).Trim().ToLowerInvariant();
        if (t.Language is not ("de" or "en")) errors.Add("language", Text.Get("Validation.Language"));
        t.Subject = errors.Required("subject", input.Subject ?? (id is null ? null : t.Subject), 300);
        t.Body = errors.Required("body", input.Body ?? (id is null ? null : t.Body), 50_000);
        foreach (var (field, source) in new[] { ("subject", t.Subject), ("body", t.Body) })
            if (source.Length > 0 && !Parser.TryParse(source, out _, out var error)) errors.Add(field, Text.Get("Validation.Template", error));
        if (input.IsActive is { } active) t.IsActive = active;
        if (input.Purpose is { } purpose)
        {
            if (Enum.IsDefined(purpose)) t.Purpose = purpose;
            else errors.Add("purpose", Text.Get("Validation.Choice"));
        }
        if (input.Transactional == true) t.Purpose = null;
        if (input.Motives is { } motives)
        {
            var settings = await Empathy.MotiveTaxonomyService.ReadAsync(db, ct);
            if (motives.Any(m => settings.Find(m) is null)) errors.Add("motives", Text.Get("Validation.Choice"));
            t.Motives = [.. motives.Distinct()];
        }
        errors.ThrowIfAny();
        t.UpdatedAt = db.Clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
        return new MailTemplateDto(t.Id, t.Name, t.Language, t.Subject, t.Body, t.IsActive, t.Purpose, t.Motives);
    }

    /// <summary>What would be sent: the template or text with the merge fields filled in for this person.</summary>
    public async Task<RenderedMail> PreviewAsync(MailSendInput input, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return (await RenderAsync(db, input, ct)).Mail;
    }

    /// <summary>
    /// Sends a mail to one person and records it on their timeline. Nothing is recorded when the server refuses it.
    /// Marketing mail goes through the consent check first and carries an unsubscribe link (also as List-Unsubscribe,
    /// one click per RFC 8058); transactional mail needs no consent.
    /// </summary>
    public async Task<InteractionDto> SendAsync(MailSendInput input, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (db.Scope.IsReadOnly) throw new AccessDeniedException(Text.Get("Access.ReadOnly"));
        var (mail, personId) = await RenderAsync(db, input, ct);
        if (mail.Purpose is { } purpose) await ConsentService.RequireAsync(db, personId, ConsentChannel.Email, purpose, ct);
        var smtp = await SmtpForAsync(db, ct);
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress(smtp.FromName ?? "", smtp.FromAddress));
        message.To.Add(MailboxAddress.Parse(mail.To));
        message.Subject = mail.Subject;
        var html = mail.BodyHtml;
        var text = InteractionService.PlainText(html);
        if (mail.Purpose is { } marketing)
        {
            var unsubscribe = links.Value.Link("/unsubscribe/" + consents.UnsubscribeToken(personId, marketing));
            message.Headers.Add("List-Unsubscribe", "<" + unsubscribe + ">");
            message.Headers.Add("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
            var note = Text.In(mail.Language, "Mail.UnsubscribeText");
            html += $"<hr><p><small>{System.Net.WebUtility.HtmlEncode(note)} <a href=\"{System.Net.WebUtility.HtmlEncode(unsubscribe)}\">{System.Net.WebUtility.HtmlEncode(Text.In(mail.Language, "Mail.Unsubscribe"))}</a></small></p>";
            text += $"\n\n{note} {unsubscribe}";
        }
        message.Body = new BodyBuilder { HtmlBody = html, TextBody = text }.ToMessageBody();
        await DeliverAsync(smtp, message, ct);
        return await interactions.CreateAsync(new InteractionInput
        {
            Channel = InteractionChannel.Email, Direction = InteractionDirection.Outbound, Subject = mail.Subject, Body = mail.BodyHtml,
            OccurredAt = db.Clock.GetUtcNow(), PersonIds = [personId], UserIds = [db.Scope.UserId], OrganizationId = input.OrganizationId, DealId = input.DealId,
            Outcome = "Message-ID " + message.MessageId,
        }, ct);
    }

    /// <summary>The caller's own mail server, else the system's.</summary>
    private static async Task<SmtpSettings> SmtpForAsync(MotivDbContext db, CancellationToken ct) =>
        await SettingsService.ReadAsync<SmtpSettings>(db, UserKey(db.Scope.UserId), ct)
        ?? await SettingsService.ReadAsync<SmtpSettings>(db, SystemKey, ct)
        ?? throw ValidationException.For("smtp", Text.Get("Validation.NoSmtp"));

    /// <summary>
    /// Sends a meeting's invitation (iCalendar, METHOD:REQUEST) to its people who have an address; their calendar program
    /// answers by mail, and the answer reaches the meeting through mailbox synchronisation. Returns the number of invitees.
    /// </summary>
    public async Task<int> InviteAsync(Guid meetingId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var meeting = await Records.FindAsync(db.Interactions.AsNoTracking().Include(i => i.Participants), meetingId, ct);
        if (!Access.AccessRules.CanWrite(db.Scope, meeting.OwnerId, meeting.TeamId, meeting.Visibility)) throw new AccessDeniedException(Text.Get("Access.CannotChange"));
        if (meeting.Channel != InteractionChannel.Meeting) throw ValidationException.For("channel", Text.Get("Validation.NotAMeeting"));
        var smtp = await SmtpForAsync(db, ct);
        var e = await CalendarService.EventAsync(db, meeting, ct);
        if (e.Attendees.Count == 0) throw ValidationException.For("personIds", Text.Get("Validation.NoInvitees"));
        e.Organizer = new Ical.Net.DataTypes.Organizer("mailto:" + smtp.FromAddress) { CommonName = smtp.FromName };
        var calendar = new Ical.Net.Calendar { ProductId = "-//Motiv//CRM//DE", Method = "REQUEST" };
        calendar.Events.Add(e);
        var ics = new Ical.Net.Serialization.CalendarSerializer().SerializeToString(calendar) ?? "";
        var message = new MimeMessage { Subject = Text.Get("Meeting.Invitation", meeting.Subject) };
        message.From.Add(new MailboxAddress(smtp.FromName ?? "", smtp.FromAddress));
        foreach (var a in e.Attendees) message.To.Add(new MailboxAddress(a.CommonName ?? "", a.Value!.ToString()["mailto:".Length..]));
        var invitation = new TextPart("calendar") { Text = ics };
        invitation.ContentType.Charset = "utf-8";
        invitation.ContentType.Parameters.Add("method", "REQUEST");
        var when = Dates.Format(meeting.OccurredAt);
        message.Body = new MultipartAlternative { new TextPart("plain") { Text = Text.Get("Meeting.InvitationText", meeting.Subject, when) }, invitation };
        await DeliverAsync(smtp, message, ct);
        return e.Attendees.Count;
    }

    /// <summary>The double-opt-in mail with the confirmation link, in the visitor's language, from the system's mail server (a transactional mail).</summary>
    public async Task SendDoubleOptInAsync(MotivDbContext systemDb, string to, string language, string formName, string secret, CancellationToken ct = default)
    {
        var smtp = await SettingsService.ReadAsync<SmtpSettings>(systemDb, SystemKey, ct) ?? throw new MailDeliveryException(Text.Get("Validation.NoSmtp"), new InvalidOperationException());
        var link = links.Value.Link("/confirm/" + secret);
        var message = new MimeMessage { Subject = Text.In(language, "DoubleOptIn.Subject", formName) };
        message.From.Add(new MailboxAddress(smtp.FromName ?? "", smtp.FromAddress));
        message.To.Add(MailboxAddress.Parse(to));
        var text = Text.In(language, "DoubleOptIn.Body", formName, (int)ConsentService.DoubleOptInValidity.TotalDays);
        message.Body = new BodyBuilder
        {
            TextBody = text + "\n\n" + link,
            HtmlBody = $"<p>{System.Net.WebUtility.HtmlEncode(text)}</p><p><a href=\"{System.Net.WebUtility.HtmlEncode(link)}\">{System.Net.WebUtility.HtmlEncode(Text.In(language, "DoubleOptIn.Button"))}</a></p>",
        }.ToMessageBody();
        await DeliverAsync(smtp, message, ct);
    }

    /// <summary>
    /// Reminder mails to the users of new notifications, in each user's language, when the system's mail server is set up.
    /// A refused mail is skipped (the reminder is in the app anyway). Runs as Motiv itself.
    /// </summary>
    public async Task<int> SendRemindersAsync(MotivDbContext systemDb, IReadOnlyList<Activities.Notification> notifications, string baseUrl, CancellationToken ct = default)
    {
        if (notifications.Count == 0 || await SettingsService.ReadAsync<SmtpSettings>(systemDb, SystemKey, ct) is not { } smtp) return 0;
        var userIds = notifications.Select(n => n.UserId).Distinct().ToList();
        var users = await systemDb.Users.AsNoTracking().Where(u => userIds.Contains(u.Id) && u.IsActive && u.Email != null)
            .Select(u => new { u.Id, u.Email, u.Culture }).ToDictionaryAsync(u => u.Id, ct);
        var sent = 0;
        foreach (var n in notifications.Where(n => users.ContainsKey(n.UserId)))
        {
            var user = users[n.UserId];
            var culture = CultureInfo.GetCultureInfo(user.Culture is { Length: > 0 } c && c.StartsWith("en", StringComparison.Ordinal) ? "en" : "de");
            var (previous, previousUi) = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
            CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = culture;
            try
            {
                var message = new MimeMessage { Subject = Text.Get("Task.Reminder", n.Title) };
                message.From.Add(new MailboxAddress(smtp.FromName ?? "Motiv", smtp.FromAddress));
                message.To.Add(MailboxAddress.Parse(user.Email!));
                var link = baseUrl.TrimEnd('/') + (n.Link ?? "/tasks");
                message.Body = new TextPart("plain") { Text = Text.Get("Task.Reminder", n.Title) + "\n\n" + link };
                await DeliverAsync(smtp, message, ct);
                sent++;
            }
            catch (MailDeliveryException)
            {
                // The reminder stays in the app; the next reminder tries the mail server again.
            }
            finally
            {
                (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = (previous, previousUi);
            }
        }
        return sent;
    }

    /// <summary>MailKit's connection option for an encryption setting (SMTP and IMAP alike).</summary>
    public static SecureSocketOptions Socket(MailSecurity security) => security switch
    {
        MailSecurity.None => SecureSocketOptions.None,
        MailSecurity.StartTls => SecureSocketOptions.StartTls,
        MailSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
        _ => SecureSocketOptions.Auto,
    };

    private async Task DeliverAsync(SmtpSettings smtp, MimeMessage message, CancellationToken ct)
    {
        try
        {
            using var client = new SmtpClient { Timeout = 30_000 };
            await client.ConnectAsync(smtp.Host, smtp.Port, Socket(smtp.Security), ct);
            if (smtp.UserName is { } user && smtp.Password is { } password) await client.AuthenticateAsync(user, secrets.Unprotect(password), ct);
            await client.SendAsync(message, ct);
            await client.DisconnectAsync(true, ct);
        }
        catch (Exception e) when (e is MailKit.ServiceNotConnectedException or MailKit.Net.Smtp.SmtpCommandException or MailKit.Net.Smtp.SmtpProtocolException
                                      or MailKit.Security.AuthenticationException or System.Net.Sockets.SocketException or IOException or TimeoutException)
        {
            throw new MailDeliveryException(Text.Get("Problem.MailDelivery", e.Message), e);
        }
    }

    private async Task<(RenderedMail Mail, Guid PersonId)> RenderAsync(MotivDbContext db, MailSendInput input, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var person = input.PersonId is { } pid ? await db.People.AsNoTracking().Include(p => p.Employments).FirstOrDefaultAsync(p => p.Id == pid, ct) : null;
        if (person is null) errors.Add("personId", Text.Get(input.PersonId is null ? "Validation.Required" : "Validation.UnknownPerson"));
        else if (person.PrimaryEmail is null) errors.Add("personId", Text.Get("Validation.NoEmail"));
        MailTemplate? template = null;
        if (input.TemplateId is { } tid)
        {
            template = await db.MailTemplates.AsNoTracking().FirstOrDefaultAsync(t => t.Id == tid && t.IsActive, ct);
            if (template is null) errors.Add("templateId", Text.Get("Validation.UnknownRecord"));
        }
        var subjectSource = string.IsNullOrWhiteSpace(input.Subject) ? template?.Subject : input.Subject;
        var bodySource = string.IsNullOrWhiteSpace(input.Body) ? template?.Body : input.Body;
        if (string.IsNullOrWhiteSpace(subjectSource)) errors.Add("subject", Text.Get("Validation.Required"));
        if (string.IsNullOrWhiteSpace(bodySource)) errors.Add("body", Text.Get("Validation.Required"));
        IFluidTemplate? subject = null, body = null;
        if (subjectSource is not null && !Parser.TryParse(subjectSource, out subject, out var subjectError)) errors.Add("subject", Text.Get("Validation.Template", subjectError));
        if (bodySource is not null && !Parser.TryParse(bodySource, out body, out var bodyError)) errors.Add("body", Text.Get("Validation.Template", bodyError));
        errors.ThrowIfAny();

        var language = template?.Language ?? person!.PreferredLanguage ?? (Text.IsGerman ? "de" : "en");
        var culture = CultureInfo.GetCultureInfo(language == "de" ? "de-DE" : "en-GB");
        var orgId = input.OrganizationId ?? person!.Employments.FirstOrDefault(e => e.IsPrimary)?.OrganizationId;
        var org = orgId is { } o ? await db.Organizations.AsNoTracking().FirstOrDefaultAsync(x => x.Id == o, ct) : null;
        var deal = input.DealId is { } d ? await db.Deals.AsNoTracking().FirstOrDefaultAsync(x => x.Id == d, ct) : null;
        var me = await db.Users.AsNoTracking().Where(u => u.Id == db.Scope.UserId).Select(u => new { u.DisplayName, u.Email }).FirstOrDefaultAsync(ct);

        var options = new TemplateOptions { CultureInfo = culture };
        options.MemberAccessStrategy.Register<Dictionary<string, object?>, object?>((values, name) => values.GetValueOrDefault(name));
        var context = new TemplateContext(options);
        context.SetValue("person", Model(person!, language));
        context.SetValue("organization", new Dictionary<string, object?> { ["name"] = org?.Name, ["city"] = org?.City });
        context.SetValue("deal", new Dictionary<string, object?> { ["title"] = deal?.Title, ["amount"] = deal is null ? null : deal.Amount.ToString("N2", culture) + " " + deal.Currency });
        context.SetValue("user", new Dictionary<string, object?> { ["name"] = me?.DisplayName, ["email"] = me?.Email });
        var renderedSubject = (await subject!.RenderAsync(context, NullEncoder.Default)).Trim();
        // Values are HTML-encoded into the body; the result is sanitised like every stored body.
        var renderedBody = InteractionService.SanitizeBody(await body!.RenderAsync(context, HtmlEncoder.Default)) ?? "";
        return (new RenderedMail(person!.PrimaryEmail!, renderedSubject, renderedBody, language, input.Purpose ?? template?.Purpose), person.Id);
    }

    private static Dictionary<string, object?> Model(Customers.Person p, string language)
    {
        var de = language == "de";
        var title = p.AcademicTitle is { Length: > 0 } t ? t + " " : "";
        var greeting = (p.Salutation, de) switch
        {
            (Customers.Salutation.Mr, true) => $"Sehr geehrter Herr {title}{p.LastName}",
            (Customers.Salutation.Ms, true) => $"Sehr geehrte Frau {title}{p.LastName}",
            (_, true) => $"Guten Tag {p.FirstName} {p.LastName}",
            (Customers.Salutation.Mr, false) => $"Dear Mr {title}{p.LastName}",
            (Customers.Salutation.Ms, false) => $"Dear Ms {title}{p.LastName}",
            _ => $"Dear {p.FirstName} {p.LastName}",
        };
        return new Dictionary<string, object?>
        {
            ["firstName"] = p.FirstName, ["lastName"] = p.LastName, ["fullName"] = $"{title}{p.FirstName} {p.LastName}", ["title"] = p.AcademicTitle,
            ["email"] = p.PrimaryEmail, ["greeting"] = greeting,
        };
    }
}
