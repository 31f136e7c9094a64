using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Motiv.Core.Access;
using Motiv.Core.Common;
using Motiv.Core.Data;

namespace Motiv.Core.Communication;

/// <summary>A marketing message was refused: the person has no valid legal basis for it on that channel. The reason says why.</summary>
public sealed class ConsentRequiredException(string reason) : Exception(reason);

/// <summary>
/// Consent per person, channel and purpose (DSGVO): the append-only history, the current state derived from it, the one
/// check every marketing send goes through, unsubscribe links, double opt-in, and the printable proof.
/// </summary>
public sealed class ConsentService(IDbContextFactory<MotivDbContext> dbFactory, ISecretProtector secrets)
{
    public static readonly TimeSpan DoubleOptInValidity = TimeSpan.FromDays(7);

    public async Task<ConsentOverview> GetAsync(Guid personId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await Records.FindAsync(db.People.AsNoTracking(), personId, ct);
        var entries = await db.ConsentEntries.AsNoTracking().Where(c => c.PersonId == personId).OrderBy(c => c.At).ThenBy(c => c.Id).ToListAsync(ct);
        var users = await UserNamesAsync(db, entries, ct);
        var current = (from channel in Enum.GetValues<ConsentChannel>() from purpose in Enum.GetValues<ConsentPurpose>() select State(entries, channel, purpose)).ToList();
        return new ConsentOverview(personId, current, [.. entries.OrderByDescending(e => e.At).ThenByDescending(e => e.Id).Select(e => Dto(e, users))]);
    }

    /// <summary>Adds an entry: consent given or a legal basis recorded (<c>grant</c>), or withdrawn (<c>withdraw</c>). Needs the right to change the person.</summary>
    public async Task<ConsentOverview> RecordAsync(Guid personId, ConsentInput input, CancellationToken ct = default)
    {
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var person = await Records.FindAsync(db.People.AsNoTracking(), personId, ct);
            if (!AccessRules.CanWrite(db.Scope, person.OwnerId, person.TeamId, person.Visibility)) throw new AccessDeniedException(Text.Get("Access.CannotChange"));
            var errors = new FieldErrors();
            if (input.Channel is not { } channel || !Enum.IsDefined(channel)) { errors.Add("channel", Text.Get("Validation.Choice")); channel = default; }
            if (input.Purpose is not { } purpose || !Enum.IsDefined(purpose)) { errors.Add("purpose", Text.Get("Validation.Choice")); purpose = default; }
            var action = input.Action?.Trim().ToLowerInvariant() switch { "grant" => ConsentAction.Granted, "withdraw" => ConsentAction.Withdrawn, _ => (ConsentAction?)null };
            if (action is null) errors.Add("action", Text.Get("Validation.Choice"));
            var basis = input.LegalBasis ?? LegalBasis.Consent;
            if (!Enum.IsDefined(basis)) errors.Add("legalBasis", Text.Get("Validation.Choice"));
            else if (basis == LegalBasis.ExistingCustomer && action == ConsentAction.Granted && (channel != ConsentChannel.Email || purpose != ConsentPurpose.ProductInformation))
                errors.Add("legalBasis", Text.Get("Validation.ExistingCustomerRule"));
            var source = errors.Required("source", input.Source, 200);
            var text = errors.Optional("text", input.Text, 4000);
            if (action == ConsentAction.Granted && basis == LegalBasis.Consent && text is null) errors.Add("text", Text.Get("Validation.ConsentText"));
            var language = input.Language?.Trim().ToLowerInvariant();
            if (language is not (null or "de" or "en")) errors.Add("language", Text.Get("Validation.Language"));
            errors.ThrowIfAny();
            db.ConsentEntries.Add(new ConsentEntry
            {
                PersonId = personId, Channel = channel, Purpose = purpose, Action = action!.Value, LegalBasis = basis, Source = source, Text = text, Language = language,
                At = db.Clock.GetUtcNow(), RecordedById = db.Scope.UserId,
            });
            await db.SaveChangesAsync(ct);
        }
        return await GetAsync(personId, ct);
    }

    /// <summary>
    /// The one check every marketing send goes through: allowed when the latest entry for this channel and purpose grants
    /// it on a valid basis. Throws <see cref="ConsentRequiredException"/> with the reason otherwise.
    /// </summary>
    public static async Task RequireAsync(MotivDbContext db, Guid personId, ConsentChannel channel, ConsentPurpose purpose, CancellationToken ct)
    {
        var entries = await db.ConsentEntries.AsNoTracking().Where(c => c.PersonId == personId && c.Channel == channel && c.Purpose == purpose).ToListAsync(ct);
        var state = State(entries, channel, purpose);
        if (!state.Allowed) throw new ConsentRequiredException(state.Reason);
    }

    /// <summary>The state for one channel and purpose: the latest entry that is not a pending request decides.</summary>
    public static ConsentState State(IEnumerable<ConsentEntry> all, ConsentChannel channel, ConsentPurpose purpose)
    {
        var entries = all.Where(e => e.Channel == channel && e.Purpose == purpose).OrderBy(e => e.At).ThenBy(e => e.Id).ToList();
        var decisive = entries.LastOrDefault(e => e.Action != ConsentAction.Requested);
        var request = entries.LastOrDefault(e => e.Action == ConsentAction.Requested);
        var pending = request is not null && (decisive is null || request.At > decisive.At) && !entries.Any(e => e.Action == ConsentAction.Confirmed && e.TokenHash == request.TokenHash);
        var what = $"{Text.Get("ConsentPurpose." + purpose)} / {Text.Get("Channel." + channel)}";
        return decisive switch
        {
            { Action: ConsentAction.Granted or ConsentAction.Confirmed } d => new ConsentState(channel, purpose, true, d.LegalBasis, d.At, pending,
                Text.Get("Consent.Reason.Allowed", what, Text.Get("LegalBasis." + d.LegalBasis), Dates.Format(d.At))),
            { Action: ConsentAction.Withdrawn } d => new ConsentState(channel, purpose, false, null, d.At, pending,
                Text.Get("Consent.Reason.Withdrawn", what, Dates.Format(d.At), d.Source)),
            _ when pending => new ConsentState(channel, purpose, false, null, request!.At, true, Text.Get("Consent.Reason.Pending", what, Dates.Format(request.At))),
            _ => new ConsentState(channel, purpose, false, null, null, false, Text.Get("Consent.Reason.None", what)),
        };
    }

    /// <summary>The secret part of a person's unsubscribe link for one purpose: encrypted and signed, so it cannot be guessed or altered.</summary>
    public string UnsubscribeToken(Guid personId, ConsentPurpose purpose) => secrets.Protect($"unsubscribe|{personId:N}|{(int)purpose}");

    /// <summary>What an unsubscribe link stands for, or null for a link that is not one of ours.</summary>
    public (Guid PersonId, ConsentPurpose Purpose)? ReadUnsubscribeToken(string token)
    {
        try
        {
            var parts = secrets.Unprotect(token).Split('|');
            return parts is ["unsubscribe", var p, var u] && Guid.TryParseExact(p, "N", out var personId) && int.TryParse(u, out var purpose) && Enum.IsDefined((ConsentPurpose)purpose)
                ? (personId, (ConsentPurpose)purpose) : null;
        }
        catch (CryptographicException)
        {
            return null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>Withdraws e-mail consent for the link's purpose, without sign-in; clicking twice adds nothing. False for a link that is not ours.</summary>
    public async Task<bool> UnsubscribeAsync(MotivDbContext systemDb, string token, string? ip, string? userAgent, CancellationToken ct = default)
    {
        if (ReadUnsubscribeToken(token) is not var (personId, purpose)) return false;
        if (!await systemDb.People.AnyAsync(p => p.Id == personId, ct)) return false;
        var entries = await systemDb.ConsentEntries.Where(c => c.PersonId == personId && c.Channel == ConsentChannel.Email && c.Purpose == purpose).ToListAsync(ct);
        var last = entries.OrderBy(e => e.At).ThenBy(e => e.Id).LastOrDefault(e => e.Action != ConsentAction.Requested);
        if (last?.Action == ConsentAction.Withdrawn) return true;
        systemDb.ConsentEntries.Add(new ConsentEntry
        {
            PersonId = personId, Channel = ConsentChannel.Email, Purpose = purpose, Action = ConsentAction.Withdrawn, LegalBasis = last?.LegalBasis ?? LegalBasis.Consent,
            Source = "unsubscribe link", At = systemDb.Clock.GetUtcNow(), Ip = Texts.Cut(ip, 45), UserAgent = Texts.Cut(userAgent, 300),
        });
        await systemDb.SaveChangesAsync(ct);
        return true;
    }

    /// <summary>
    /// Adds double-opt-in requests (for a person or a lead) for e-mail and the given purposes, with the texts shown, and
    /// returns the confirmation link's secret; only its hash is stored. The caller sends the mail and saves.
    /// </summary>
    public static string AddDoubleOptInRequests(MotivDbContext db, Guid? personId, Guid? leadId, IEnumerable<(ConsentPurpose Purpose, string Text)> purposes,
        string language, string source, string? ip, string? userAgent, Guid? formId)
    {
        var secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        var now = db.Clock.GetUtcNow();
        foreach (var (purpose, text) in purposes)
        {
            db.ConsentEntries.Add(new ConsentEntry
            {
                PersonId = personId, LeadId = leadId, Channel = ConsentChannel.Email, Purpose = purpose, Action = ConsentAction.Requested, LegalBasis = LegalBasis.Consent,
                Source = source, Text = text, Language = language, At = now, Ip = Texts.Cut(ip, 45), UserAgent = Texts.Cut(userAgent, 300), TokenHash = Hash(secret),
                ExpiresAt = now + DoubleOptInValidity, FormId = formId,
            });
        }
        return secret;
    }

    /// <summary>Confirms the requests behind a double-opt-in link: each becomes a confirmed consent with the time, IP and browser of the click.</summary>
    public static async Task<DoubleOptInResult> ConfirmAsync(MotivDbContext systemDb, string secret, string? ip, string? userAgent, CancellationToken ct = default)
    {
        if (secret.Length != 48 || !secret.All(char.IsAsciiHexDigitLower)) return DoubleOptInResult.Unknown;
        var hash = Hash(secret);
        var entries = await systemDb.ConsentEntries.Where(c => c.TokenHash == hash).ToListAsync(ct);
        var requests = entries.Where(e => e.Action == ConsentAction.Requested).ToList();
        if (requests.Count == 0) return DoubleOptInResult.Unknown;
        if (entries.Any(e => e.Action == ConsentAction.Confirmed)) return DoubleOptInResult.AlreadyConfirmed;
        var now = systemDb.Clock.GetUtcNow();
        if (requests.Any(r => r.ExpiresAt < now)) return DoubleOptInResult.Expired;
        foreach (var r in requests)
        {
            systemDb.ConsentEntries.Add(new ConsentEntry
            {
                PersonId = r.PersonId, LeadId = r.LeadId, Channel = r.Channel, Purpose = r.Purpose, Action = ConsentAction.Confirmed, LegalBasis = LegalBasis.Consent,
                Source = r.Source, Text = r.Text, Language = r.Language, At = now, Ip = Texts.Cut(ip, 45), UserAgent = Texts.Cut(userAgent, 300), TokenHash = hash, FormId = r.FormId,
            });
        }
        await systemDb.SaveChangesAsync(ct);
        return DoubleOptInResult.Confirmed;
    }

    /// <summary>A lead's consents belong to the person it becomes.</summary>
    public static Task MoveToPersonAsync(MotivDbContext db, Guid leadId, Guid personId, CancellationToken ct) =>
        db.ConsentEntries.Where(c => c.LeadId == leadId && c.PersonId == null).ExecuteUpdateAsync(u => u.SetProperty(c => c.PersonId, personId), ct);

    /// <summary>The consent history as a printable document (HTML, every value encoded), in the reader's language.</summary>
    public async Task<string> ProofAsync(Guid personId, CancellationToken ct = default)
    {
        var overview = await GetAsync(personId, ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var person = await db.People.AsNoTracking().Where(p => p.Id == personId).Select(p => new { p.FirstName, p.LastName, p.PrimaryEmail }).FirstAsync(ct);
        var encoder = System.Text.Encodings.Web.HtmlEncoder.Create(System.Text.Unicode.UnicodeRanges.All);
        string E(string? s) => encoder.Encode(s ?? "");
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"").Append(Text.IsGerman ? "de" : "en").Append("\"><head><meta charset=\"utf-8\"><title>")
            .Append(E(Text.Get("Consent.ProofTitle"))).Append("</title><style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;width:100%}")
            .Append("td,th{border:1px solid #999;padding:4px;text-align:left;vertical-align:top;font-size:12px}</style></head><body>")
            .Append("<h1>").Append(E(Text.Get("Consent.ProofTitle"))).Append("</h1><p>").Append(E($"{person.FirstName} {person.LastName}"))
            .Append(person.PrimaryEmail is null ? "" : " &lt;" + E(person.PrimaryEmail) + "&gt;").Append("<br>")
            .Append(E(Text.Get("Consent.ProofPrinted", Dates.Format(db.Clock.GetUtcNow())))).Append("</p><h2>").Append(E(Text.Get("Consent.Current"))).Append("</h2><ul>");
        foreach (var s in overview.Current.Where(s => s.Allowed || s.Since is not null)) html.Append("<li>").Append(E(s.Reason)).Append("</li>");
        html.Append("</ul><h2>").Append(E(Text.Get("Consent.History"))).Append("</h2><table><tr>");
        foreach (var h in new[] { "Field.at", "Field.channel", "Field.purpose", "Field.action", "Field.legalBasis", "Field.source", "Field.text", "Consent.Evidence" })
            html.Append("<th>").Append(E(Text.Get(h))).Append("</th>");
        html.Append("</tr>");
        foreach (var e in overview.History.OrderBy(e => e.At))
        {
            html.Append("<tr><td>").Append(E(Dates.Format(e.At))).Append("</td><td>").Append(E(Text.Get("Channel." + e.Channel))).Append("</td><td>")
                .Append(E(Text.Get("ConsentPurpose." + e.Purpose))).Append("</td><td>").Append(E(Text.Get("ConsentAction." + e.Action))).Append("</td><td>")
                .Append(E(Text.Get("LegalBasis." + e.LegalBasis))).Append("</td><td>").Append(E(e.Source)).Append("</td><td>").Append(E(e.Text)).Append("</td><td>")
                .Append(E(string.Join(", ", new[] { e.RecordedBy, e.Ip is null ? null : "IP " + e.Ip, e.UserAgent, e.ExpiresAt is { } x ? Text.Get("Consent.ExpiresAt", Dates.Format(x)) : null }
                    .Where(v => v is not null)))).Append("</td></tr>");
        }
        html.Append("</table></body></html>");
        return html.ToString();
    }

    private static async Task<Dictionary<Guid, string>> UserNamesAsync(MotivDbContext db, List<ConsentEntry> entries, CancellationToken ct)
    {
        var ids = entries.Where(e => e.RecordedById != null).Select(e => e.RecordedById!.Value).Distinct().ToList();
        return await db.Users.AsNoTracking().Where(u => ids.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
    }

    private static ConsentEntryDto Dto(ConsentEntry e, Dictionary<Guid, string> users) => new(e.Id, e.Channel, e.Purpose, e.Action, e.LegalBasis, e.Source, e.Text, e.Language,
        e.At, e.RecordedById is { } u ? users.GetValueOrDefault(u) : null, e.Ip, e.UserAgent, e.ExpiresAt);

    private static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
}

public enum DoubleOptInResult
{
    Confirmed,
    AlreadyConfirmed,
    Expired,
    Unknown,
}
