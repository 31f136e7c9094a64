using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Motiv.Core.Common;
using Motiv.Core.Data;
using Motiv.Core.Sales;

namespace Motiv.Core.Communication;

/// <summary>A field of a web form, mapped to a lead field (or <c>message</c>, which becomes the submission's text on the timeline).</summary>
public sealed record WebFormField(string Key, string LabelDe, string LabelEn, bool Required);

/// <summary>A consent checkbox: the purpose (by e-mail) and the exact text shown, in German and English.</summary>
public sealed record WebFormConsent(ConsentPurpose Purpose, string TextDe, string TextEn);

/// <summary>A public web-to-lead form at <c>/forms/{slug}</c>. Submissions create leads; ticked consents start a double opt-in.</summary>
public sealed class WebForm
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public string Slug { get; set; } = "";
    public string Name { get; set; } = "";
    public string TitleDe { get; set; } = "";
    public string TitleEn { get; set; } = "";
    public string? ThanksDe { get; set; }
    public string? ThanksEn { get; set; }
    public List<WebFormField> Fields { get; set; } = [];
    public List<WebFormConsent> Consents { get; set; } = [];

    /// <summary>Who gets the leads.</summary>
    public Guid OwnerId { get; set; }
    public Guid? TeamId { get; set; }
    public bool IsActive { get; set; } = true;
    public int Submissions { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

public sealed record WebFormInput(string? Slug, string? Name, string? TitleDe, string? TitleEn, string? ThanksDe, string? ThanksEn, List<WebFormField>? Fields,
    List<WebFormConsent>? Consents, Guid? OwnerId, Guid? TeamId, bool? IsActive);

public sealed record WebFormDto(Guid Id, string Slug, string Name, string TitleDe, string TitleEn, string? ThanksDe, string? ThanksEn, IReadOnlyList<WebFormField> Fields,
    IReadOnlyList<WebFormConsent> Consents, Guid OwnerId, Guid? TeamId, bool IsActive, int Submissions, string Url, string Embed);

/// <summary>What a visitor sent: the values by field key, the ticked consent purposes, and where it came from.</summary>
public sealed record FormSubmission(IReadOnlyDictionary<string, string?> Values, IReadOnlySet<ConsentPurpose> Consents, string Language, string? Ip, string? UserAgent);

public sealed record FormResult(Guid LeadId, bool DoubleOptInSent);

/// <summary>Web forms: built by administrators, submitted by anyone (as Motiv itself, with the form's owner as the lead's owner).</summary>
public sealed partial class WebFormService(IDbContextFactory<MotivDbContext> dbFactory, Microsoft.Extensions.Options.IOptions<LinkOptions> links)
{
    /// <summary>The lead fields a form may ask for, and <c>message</c>.</summary>
    public static readonly string[] FieldKeys = ["firstName", "lastName", "email", "phone", "companyName", "position", "city", "country", "website", "message"];

    public async Task<IReadOnlyList<WebFormDto>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!db.Scope.IsAuthenticated) throw new AccessDeniedException(Text.Get("Access.SignIn"));
        return [.. (await db.WebForms.AsNoTracking().OrderBy(f => f.Name).ToListAsync(ct)).Select(Dto)];
    }

    public async Task<WebFormDto> SaveAsync(Guid? id, WebFormInput input, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!db.Scope.CanAdminister) throw new AccessDeniedException(Text.Get("Access.AdministratorsOnly"));
        var form = id is { } existing
            ? await db.WebForms.FirstOrDefaultAsync(f => f.Id == existing, ct) ?? throw new NotFoundException("webForm", existing)
            : db.WebForms.Add(new WebForm { OwnerId = db.Scope.UserId, CreatedAt = db.Clock.GetUtcNow() }).Entity;
        var errors = new FieldErrors();
        form.Name = errors.Required("name", input.Name ?? (id is null ? null : form.Name), 100);
        form.Slug = errors.Required("slug", (input.Slug ?? (id is null ? null : form.Slug))?.ToLowerInvariant(), 60);
        if (form.Slug.Length > 0 && !SlugPattern().IsMatch(form.Slug)) errors.Add("slug", Text.Get("Validation.Slug"));
        else if (await db.WebForms.AnyAsync(f => f.Slug == form.Slug && f.Id != form.Id, ct)) errors.Add("slug", Text.Get("Validation.NameTaken"));
        form.TitleDe = errors.Required("titleDe", input.TitleDe ?? (id is null ? null : form.TitleDe), 200);
        form.TitleEn = errors.Required("titleEn", input.TitleEn ?? (id is null ? null : form.TitleEn), 200);
        form.ThanksDe = errors.Optional("thanksDe", input.ThanksDe ?? form.ThanksDe, 1000);
        form.ThanksEn = errors.Optional("thanksEn", input.ThanksEn ?? form.ThanksEn, 1000);
        if (input.Fields is { } fields)
        {
            form.Fields = [];
            foreach (var (f, i) in fields.Select((f, i) => (f, i)))
            {
                if (f is null || !FieldKeys.Contains(f.Key)) { errors.Add($"fields[{i}].key", Text.Get("Validation.Choice")); continue; }
                form.Fields.Add(new WebFormField(f.Key, errors.Required($"fields[{i}].labelDe", f.LabelDe, 200), errors.Required($"fields[{i}].labelEn", f.LabelEn, 200),
                    f.Required || f.Key is "lastName" or "email"));
            }
            if (form.Fields.Select(f => f.Key).Distinct().Count() != form.Fields.Count) errors.Add("fields", Text.Get("Validation.DuplicateField"));
        }
        foreach (var required in new[] { "lastName", "email" })
            if (form.Fields.All(f => f.Key != required)) errors.Add("fields", Text.Get("Validation.FormNeeds", required));
        if (input.Consents is { } consents)
        {
            form.Consents = [];
            foreach (var (c, i) in consents.Select((c, i) => (c, i)))
            {
                if (c is null || !Enum.IsDefined(c.Purpose)) { errors.Add($"consents[{i}].purpose", Text.Get("Validation.Choice")); continue; }
                form.Consents.Add(new WebFormConsent(c.Purpose, errors.Required($"consents[{i}].textDe", c.TextDe, 2000), errors.Required($"consents[{i}].textEn", c.TextEn, 2000)));
            }
            if (form.Consents.Select(c => c.Purpose).Distinct().Count() != form.Consents.Count) errors.Add("consents", Text.Get("Validation.DuplicateField"));
        }
        if (input.OwnerId is { } owner && owner != form.OwnerId)
        {
            if (!await db.Users.AnyAsync(u => u.Id == owner && u.IsActive, ct)) errors.Add("ownerId", Text.Get("Validation.UnknownUser"));
            else form.OwnerId = owner;
        }
        if (input.TeamId is { } team && team != form.TeamId)
        {
            if (!await db.Teams.AnyAsync(t => t.Id == team, ct)) errors.Add("teamId", Text.Get("Validation.UnknownTeam"));
            else form.TeamId = team;
        }
        form.IsActive = input.IsActive ?? form.IsActive;
        errors.ThrowIfAny();
        form.UpdatedAt = db.Clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
        return Dto(form);
    }

    /// <summary>An active form by its public address, or null.</summary>
    public async Task<WebForm?> FindPublicAsync(string slug, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.WebForms.AsNoTracking().FirstOrDefaultAsync(f => f.Slug == slug && f.IsActive, ct);
    }

    /// <summary>
    /// Takes a submission as Motiv itself: a new lead (or the open lead with that address, counting one more submission),
    /// the message on its timeline, and for ticked consents double-opt-in requests whose link goes out by mail
    /// (<paramref name="sendDoubleOptIn"/>). One transaction: a mail that cannot go out stores nothing.
    /// Field errors come back as a <see cref="ValidationException"/> with the field keys.
    /// </summary>
    public static async Task<FormResult> SubmitAsync(MotivDbContext systemDb, WebForm form, FormSubmission submission,
        Func<string, string, Task> sendDoubleOptIn, CancellationToken ct = default)
    {
        var errors = new FieldErrors();
        string? Value(string key)
        {
            var field = form.Fields.FirstOrDefault(f => f.Key == key);
            var v = field is null ? null : submission.Values.GetValueOrDefault(key)?.Trim();
            if (field is { Required: true } && string.IsNullOrEmpty(v)) errors.Add(key, Text.Get("Validation.Required"));
            return string.IsNullOrEmpty(v) ? null : v;
        }
        var input = new LeadInput
        {
            FirstName = Value("firstName"), LastName = Value("lastName"), Email = Value("email"), Phone = Value("phone"), CompanyName = Value("companyName"),
            Position = Value("position"), City = Value("city"), Country = Value("country"), Website = Value("website"), Source = LeadSource.WebForm, FormSubmissions = 1,
            OwnerId = form.OwnerId, TeamId = form.TeamId, Visibility = form.TeamId is null ? Visibility.Everyone : Visibility.Team,
        };
        var message = errors.Optional("message", Value("message"), 5000);
        // Every field's problem at once: the lead's own rules (e-mail, phone, country, …) next to the form's.
        var fresh = new Lead();
        try
        {
            await LeadService.ApplyAsync(systemDb, fresh, input, isNew: true, ct);
        }
        catch (ValidationException v)
        {
            foreach (var (field, messages) in v.Errors.Where(e => !errors.Has(e.Key)))
                foreach (var m in messages) errors.Add(field, m);
        }
        errors.ThrowIfAny();

        await using var transaction = await systemDb.Database.BeginTransactionAsync(ct);
        var email = input.Email?.ToLowerInvariant();
        var lead = email is null ? null : await systemDb.Leads.FirstOrDefaultAsync(l => l.Email == email && l.Status != LeadStatus.Converted && l.Status != LeadStatus.Disqualified, ct);
        if (lead is null)
        {
            lead = fresh;
            systemDb.Leads.Add(lead);
        }
        else
        {
            lead.FormSubmissions++;
            (lead.Score, lead.ScoreReasons) = LeadScoring.Evaluate(lead, await systemDb.LeadScoringRules.AsNoTracking().ToListAsync(ct));
        }
        var language = submission.Language == "de" ? "de" : "en";
        var lines = form.Fields.Where(f => f.Key != "message" && submission.Values.GetValueOrDefault(f.Key) is { Length: > 0 })
            .Select(f => $"{(language == "de" ? f.LabelDe : f.LabelEn)}: {submission.Values[f.Key]!.Trim()}");
        // What the visitor typed is kept as text: markup in it stays inert.
        var body = InteractionService.SanitizeBody(InteractionService.TextToHtml(string.Join("\n", lines) + (message is null ? "" : "\n\n" + message)));
        systemDb.Interactions.Add(new Interaction
        {
            Channel = InteractionChannel.WebForm, Direction = InteractionDirection.Inbound, Subject = form.Name, LeadId = lead.Id, BodyHtml = body,
            BodyText = InteractionService.PlainText(body), OccurredAt = systemDb.Clock.GetUtcNow(), OwnerId = form.OwnerId, TeamId = form.TeamId, Visibility = lead.Visibility,
        });
        var ticked = form.Consents.Where(c => submission.Consents.Contains(c.Purpose)).ToList();
        string? secret = null;
        if (ticked.Count > 0)
        {
            secret = ConsentService.AddDoubleOptInRequests(systemDb, null, lead.Id, ticked.Select(c => (c.Purpose, language == "de" ? c.TextDe : c.TextEn)),
                language, form.Name, submission.Ip, submission.UserAgent, form.Id);
        }
        await systemDb.WebForms.Where(f => f.Id == form.Id).ExecuteUpdateAsync(u => u.SetProperty(f => f.Submissions, f => f.Submissions + 1), ct);
        await systemDb.SaveChangesAsync(ct);
        if (secret is not null) await sendDoubleOptIn(lead.Email!, secret);
        await transaction.CommitAsync(ct);
        return new FormResult(lead.Id, secret is not null);
    }

    private WebFormDto Dto(WebForm f)
    {
        var url = links.Value.Link("/forms/" + f.Slug);
        return new WebFormDto(f.Id, f.Slug, f.Name, f.TitleDe, f.TitleEn, f.ThanksDe, f.ThanksEn, f.Fields, f.Consents, f.OwnerId, f.TeamId, f.IsActive, f.Submissions,
            url, $"<iframe src=\"{url}\" title=\"{System.Net.WebUtility.HtmlEncode(f.TitleDe)}\" style=\"width:100%;min-height:640px;border:0\" loading=\"lazy\"></iframe>");
    }

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex SlugPattern();
}
