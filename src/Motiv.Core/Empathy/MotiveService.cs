using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Motiv.Core.Access;
using Motiv.Core.Common;
using Motiv.Core.Communication;
using Motiv.Core.Customers;
using Motiv.Core.Data;

namespace Motiv.Core.Empathy;

public sealed record MotiveRatingDto(int Value, string? Note, string? By, DateTimeOffset At);

public sealed record MotiveGuidanceDto(string? Description, string? Talk, IReadOnlyList<string> Arguments, string? Avoid);

/// <summary>One motive of a profile: the estimate (0–5, null = unknown), its confidence, what it rests on, and how to talk to the person.</summary>
public sealed record MotiveEstimateDto(string Code, string Label, double? Score, double Confidence, bool Known, int Evidence, int Rejected,
    MotiveRatingDto? StaffRating, MotiveRatingDto? SelfAssessment, MotiveGuidanceDto Guidance);

public sealed record MotiveHistoryDto(DateOnly Day, IReadOnlyList<MotiveScore> Scores);

public sealed record MotiveProfileDto(Guid PersonId, bool Objected, DateTimeOffset? ObjectedAt, double ConfidenceThreshold,
    IReadOnlyList<MotiveEstimateDto> Motives, IReadOnlyList<MotiveHistoryDto> History);

/// <summary>A piece of evidence as staff see it, with the weight it has today (0 when rejected).</summary>
public sealed record MotiveEvidenceDto(Guid Id, string Motive, string Label, double Strength, double Reliability, EvidenceSource Source, Guid? InteractionId,
    string? InteractionSubject, string Sentence, bool Negated, string Language, string Cue, DateTimeOffset OccurredAt, string ExtractorVersion,
    EvidenceStatus Status, string? ReviewedBy, DateTimeOffset? ReviewedAt, double Weight);

public sealed record MotiveRatingInput(string? Motive, int? Value, string? Note);

public sealed record MotiveRatingsInput(List<MotiveRatingInput>? Ratings);

public sealed record EvidenceReviewInput(string? Status);

public sealed record ObjectionInput(string? Note);

public sealed record AnalyzeInput(string? Text, string? Language);

public sealed record SelfAssessmentLink(string Url, DateTimeOffset ExpiresAt);

/// <summary>
/// Motive profiles: the estimate per motive from evidence and ratings, the evidence with its quotes (confirm, reject),
/// staff ratings, the person's self-assessment, objection (evidence deleted, inference off) and the inference itself.
/// Motive data is for the roles the setting names and for people the user may read; changes need the right to change the person.
/// </summary>
public sealed class MotiveService(IDbContextFactory<MotivDbContext> dbFactory, ISecretProtector secrets)
{
    public const int MaxInteractionsPerPerson = 500;
    public static readonly TimeSpan SelfAssessmentValidity = TimeSpan.FromDays(30);

    /// <summary>Analyses a text without storing anything (preview, integrations).</summary>
    public async Task<MotiveAnalysis> AnalyzeAsync(AnalyzeInput input, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var settings = await MotiveTaxonomyService.ReadAsync(db, ct);
        Require(db.Scope, settings);
        var errors = new FieldErrors();
        var text = errors.Required("text", input.Text, 20000);
        var language = input.Language?.Trim().ToLowerInvariant() is { Length: > 0 } l ? l : null;
        if (language is not (null or "de" or "en")) errors.Add("language", Text.Get("Validation.Language"));
        errors.ThrowIfAny();
        return MotiveTaxonomyService.Analyzer(settings).Analyze(text, language);
    }

    public async Task<MotiveProfileDto> GetProfileAsync(Guid personId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var (person, settings) = await OpenAsync(db, personId, write: false, ct);
        return await ProfileAsync(db, person, settings, ct);
    }

    /// <summary>The evidence, newest first (1,000 at most unless <paramref name="all"/>). A quote from an interaction the user may not read counts, but is not shown.</summary>
    public async Task<IReadOnlyList<MotiveEvidenceDto>> GetEvidenceAsync(Guid personId, string? motive, CancellationToken ct = default, bool all = false)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var (_, settings) = await OpenAsync(db, personId, write: false, ct);
        var query = db.MotiveEvidence.AsNoTracking().Where(e => e.PersonId == personId);
        if (!string.IsNullOrWhiteSpace(motive)) query = query.Where(e => e.Motive == motive);
        query = query.OrderByDescending(e => e.OccurredAt).ThenBy(e => e.Motive);
        var items = await (all ? query : query.Take(1000)).ToListAsync(ct);
        var subjects = await ReadableSubjectsAsync(db, items, ct);
        var reviewerIds = items.Where(e => e.ReviewedById != null).Select(e => e.ReviewedById!.Value).Distinct().ToList();
        var reviewers = await db.Users.AsNoTracking().Where(u => reviewerIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
        var now = db.Clock.GetUtcNow();
        return [.. items.Select(e => new MotiveEvidenceDto(e.Id, e.Motive, settings.Find(e.Motive)?.Label ?? e.Motive, e.Strength, e.Reliability, e.Source,
            subjects.ContainsKey(e.InteractionId) ? e.InteractionId : null, subjects.GetValueOrDefault(e.InteractionId),
            subjects.ContainsKey(e.InteractionId) ? e.Sentence : Text.Get("Motives.HiddenQuote"), e.Negated, e.Language, e.Cue, e.OccurredAt, e.ExtractorVersion, e.Status,
            e.ReviewedById is { } r ? reviewers.GetValueOrDefault(r) : null, e.ReviewedAt,
            MotiveEstimator.Observe(e) is { } o ? Math.Round(MotiveEstimator.Weight(o, settings, now), 3) : 0))];
    }

    /// <summary>The subjects of the interactions behind the evidence that the user may read (the access filter decides); quotes from others stay hidden.</summary>
    internal static async Task<Dictionary<Guid, string>> ReadableSubjectsAsync(MotivDbContext db, IEnumerable<MotiveEvidence> evidence, CancellationToken ct)
    {
        var ids = evidence.Select(e => e.InteractionId).Distinct().ToList();
        return await db.Interactions.AsNoTracking().Where(i => ids.Contains(i.Id)).ToDictionaryAsync(i => i.Id, i => i.Subject, ct);
    }

    /// <summary>Confirms, rejects or reopens one piece of evidence; a rejected one stops counting.</summary>
    public async Task<MotiveProfileDto> ReviewAsync(Guid personId, Guid evidenceId, EvidenceReviewInput input, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var (person, settings) = await OpenAsync(db, personId, write: true, ct);
        var status = input.Status?.Trim().ToLowerInvariant() switch
        {
            "confirmed" => EvidenceStatus.Confirmed,
            "rejected" => EvidenceStatus.Rejected,
            "open" => EvidenceStatus.Open,
            _ => throw ValidationException.For("status", Text.Get("Validation.Choice")),
        };
        var evidence = await db.MotiveEvidence.FirstOrDefaultAsync(e => e.Id == evidenceId && e.PersonId == personId, ct)
            ?? throw new NotFoundException("evidence", evidenceId);
        evidence.Status = status;
        evidence.ReviewedById = status == EvidenceStatus.Open ? null : db.Scope.UserId;
        evidence.ReviewedAt = status == EvidenceStatus.Open ? null : db.Clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
        await SnapshotAsync(db, personId, settings, ct);
        return await ProfileAsync(db, person, settings, ct);
    }

    /// <summary>Staff ratings 0–5 with a note; a null value clears the rating. Each rating is added to the history.</summary>
    public async Task<MotiveProfileDto> RateAsync(Guid personId, MotiveRatingsInput input, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var (person, settings) = await OpenAsync(db, personId, write: true, ct);
        if (person.MotivesObjectedAt is not null) throw ValidationException.For("ratings", Text.Get("Motives.ObjectionActive"));
        var errors = new FieldErrors();
        var now = db.Clock.GetUtcNow();
        var ratings = input.Ratings ?? [];
        if (ratings.Count > settings.Dimensions.Count) errors.Add("ratings", Text.Get("Validation.TooMany", settings.Dimensions.Count));
        foreach (var (r, i) in ratings.Select((r, i) => (r, i)))
        {
            if (r is null)
            {
                errors.Add($"ratings[{i}]", Text.Get("Validation.Required"));
                continue;
            }
            if (ratings.Take(i).Any(x => x?.Motive == r.Motive)) errors.Add($"ratings[{i}].motive", Text.Get("Validation.Duplicate"));
            var dimension = r.Motive is null ? null : settings.Find(r.Motive);
            if (dimension is null || dimension.Retired) errors.Add($"ratings[{i}].motive", Text.Get("Validation.Choice"));
            if (r.Value is < 0 or > 5) errors.Add($"ratings[{i}].value", Text.Get("Validation.Range", 0, 5));
            var note = errors.Optional($"ratings[{i}].note", r.Note, 1000);
            db.MotiveRatings.Add(new MotiveRating { PersonId = personId, Motive = r.Motive ?? "", Kind = RatingKind.Staff, Value = r.Value, Note = note, RatedById = db.Scope.UserId, At = now });
        }
        if (input.Ratings is not { Count: > 0 }) errors.Add("ratings", Text.Get("Validation.Required"));
        errors.ThrowIfAny();
        await db.SaveChangesAsync(ct);
        await SnapshotAsync(db, personId, settings, ct);
        return await ProfileAsync(db, person, settings, ct);
    }

    /// <summary>The person objected to profiling: evidence, ratings and history are deleted, and nothing is inferred again until the objection is lifted.</summary>
    public async Task<MotiveProfileDto> ObjectAsync(Guid personId, ObjectionInput input, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var person = await Records.FindAsync(db.People, personId, ct);
        if (!AccessRules.CanWrite(db.Scope, person.OwnerId, person.TeamId, person.Visibility)) throw new AccessDeniedException(Text.Get("Access.CannotChange"));
        var note = Texts.Cut(input.Note?.Trim(), 500);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        person.MotivesObjectedAt ??= db.Clock.GetUtcNow();
        if (note is not null) person.Notes = Texts.Cut(string.Join("\n", new[] { person.Notes, Text.Get("Motives.ObjectionNote", Dates.Format(person.MotivesObjectedAt.Value), note) }.Where(s => !string.IsNullOrEmpty(s))), 10000);
        await db.SaveChangesAsync(ct);
        await EraseAsync(db, personId, ct);
        await transaction.CommitAsync(ct);
        return await ProfileOrNothingAsync(db, person, ct);
    }

    /// <summary>The person withdrew the objection: inference may start again (from the next run on).</summary>
    public async Task<MotiveProfileDto> LiftObjectionAsync(Guid personId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var person = await Records.FindAsync(db.People, personId, ct);
        if (!AccessRules.CanWrite(db.Scope, person.OwnerId, person.TeamId, person.Visibility)) throw new AccessDeniedException(Text.Get("Access.CannotChange"));
        if (person.MotivesObjectedAt is null) return await ProfileOrNothingAsync(db, person, ct);
        person.MotivesObjectedAt = null;
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
        try
        {
            await RefreshPersonAsync(db, personId, ct);
        }
        catch (DbUpdateException)
        {
            // The job refreshed the person at the same moment; what it stored is the same.
        }
        return await ProfileOrNothingAsync(db, person, ct);
    }

    /// <summary>
    /// After an objection is recorded or lifted (which anyone who may change the person may do): the profile for users
    /// whose role may see motive data, else only whether the objection stands.
    /// </summary>
    private static async Task<MotiveProfileDto> ProfileOrNothingAsync(MotivDbContext db, Person person, CancellationToken ct)
    {
        var settings = await MotiveTaxonomyService.ReadAsync(db, ct);
        return settings.CanSee(db.Scope)
            ? await ProfileAsync(db, person, settings, ct)
            : new MotiveProfileDto(person.Id, person.MotivesObjectedAt is not null, person.MotivesObjectedAt, settings.ConfidenceThreshold, [], []);
    }

    private static async Task EraseAsync(MotivDbContext db, Guid personId, CancellationToken ct)
    {
        await db.MotiveEvidence.Where(e => e.PersonId == personId).ExecuteDeleteAsync(ct);
        await db.MotiveRatings.Where(e => e.PersonId == personId).ExecuteDeleteAsync(ct);
        await db.MotiveSnapshots.Where(e => e.PersonId == personId).ExecuteDeleteAsync(ct);
    }

    /// <summary>A link for the person's own assessment (30 days); their answers become self-assessment ratings.</summary>
    public async Task<SelfAssessmentLink> CreateSelfAssessmentLinkAsync(Guid personId, string baseUrl, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var (person, _) = await OpenAsync(db, personId, write: true, ct);
        if (person.MotivesObjectedAt is not null) throw ValidationException.For("motives", Text.Get("Motives.ObjectionActive"));
        var expires = db.Clock.GetUtcNow() + SelfAssessmentValidity;
        var token = secrets.Protect($"motives-self|{personId:N}|{expires.ToUnixTimeSeconds()}");
        return new SelfAssessmentLink($"{baseUrl.TrimEnd('/')}/motives/self/{Uri.EscapeDataString(token)}", expires);
    }

    /// <summary>Whom a self-assessment link is for, while it is valid; null otherwise.</summary>
    public Guid? ReadSelfAssessmentToken(string token, DateTimeOffset now)
    {
        try
        {
            var parts = secrets.Unprotect(token).Split('|');
            return parts is ["motives-self", var p, var e] && Guid.TryParseExact(p, "N", out var personId) && long.TryParse(e, out var expires)
                && DateTimeOffset.FromUnixTimeSeconds(expires) > now ? personId : null;
        }
        catch (Exception ex) when (ex is CryptographicException or FormatException)
        {
            return null;
        }
    }

    /// <summary>Stores a person's own answers (item index → 1–5) as self-assessment ratings 0–5 per motive. False when the person objected or is gone.</summary>
    public static async Task<bool> SubmitSelfAssessmentAsync(MotivDbContext systemDb, Guid personId, IReadOnlyDictionary<int, int> answers, CancellationToken ct = default)
    {
        var person = await systemDb.People.FirstOrDefaultAsync(p => p.Id == personId, ct);
        if (person is null || person.MotivesObjectedAt is not null) return false;
        var settings = await MotiveTaxonomyService.ReadAsync(systemDb, ct);
        var now = systemDb.Clock.GetUtcNow();
        foreach (var group in answers.Where(a => a.Key >= 0 && a.Key < SelfAssessment.Items.Count && a.Value is >= 1 and <= 5)
            .GroupBy(a => SelfAssessment.Items[a.Key].Motive).Where(g => settings.Find(g.Key) is { Retired: false }))
        {
            var mean = group.Average(a => a.Value);
            systemDb.MotiveRatings.Add(new MotiveRating { PersonId = personId, Motive = group.Key, Kind = RatingKind.SelfAssessment, Value = (int)Math.Round((mean - 1) * 5 / 4), At = now });
        }
        await systemDb.SaveChangesAsync(ct);
        await SnapshotAsync(systemDb, personId, settings, ct);
        return true;
    }

    /// <summary>
    /// Re-derives a person's evidence from their interactions (newest 500): items for sentences that are gone go, new ones
    /// come, and a confirmation or rejection stays with its sentence. Running it twice changes nothing. Returns the number of items changed.
    /// </summary>
    public static async Task<int> RefreshPersonAsync(MotivDbContext systemDb, Guid personId, CancellationToken ct = default) =>
        await RefreshPersonAsync(systemDb, personId, await MotiveTaxonomyService.ReadAsync(systemDb, ct), ct);

    private static async Task<int> RefreshPersonAsync(MotivDbContext systemDb, Guid personId, MotiveSettings settings, CancellationToken ct)
    {
        var person = await systemDb.People.IgnoreQueryFilters([MotivDbContext.AccessFilter]).AsNoTracking().Where(p => p.Id == personId)
            .Select(p => new { p.MotivesObjectedAt }).FirstOrDefaultAsync(ct);
        // In the recycle bin (or gone): nothing changes, so a restored person still has their evidence and its review.
        if (person is null) return 0;
        var existing = await systemDb.MotiveEvidence.Where(e => e.PersonId == personId).ToListAsync(ct);
        var desired = new Dictionary<(Guid, string, string), MotiveEvidence>();
        if (person.MotivesObjectedAt is null)
        {
            var analyzer = MotiveTaxonomyService.Analyzer(settings);
            var interactions = await systemDb.Interactions.IgnoreQueryFilters([MotivDbContext.AccessFilter]).AsNoTracking()
                .Where(i => i.Participants.Any(p => p.PersonId == personId))
                .OrderByDescending(i => i.OccurredAt).Take(MaxInteractionsPerPerson)
                .Select(i => new { i.Id, i.Channel, i.Direction, i.Subject, i.BodyText, i.OccurredAt, People = i.Participants.Count(p => p.PersonId != null) })
                .ToListAsync(ct);
            foreach (var i in interactions)
            {
                if (SourceOf(i.Channel, i.Direction) is not { } source) continue;
                var analysis = analyzer.Analyze($"{i.Subject}\n{i.BodyText}", null);
                var reliability = Math.Round(Reliability(source) / Math.Sqrt(Math.Max(1, i.People)), 3);
                foreach (var hit in analysis.Evidence)
                {
                    var key = (i.Id, hit.Motive, SentenceKey(hit.Sentence));
                    desired[key] = new MotiveEvidence
                    {
                        PersonId = personId, Motive = hit.Motive, Strength = hit.Strength, Reliability = reliability, Source = source, InteractionId = i.Id,
                        Sentence = hit.Sentence, SentenceKey = key.Item3, Negated = hit.Negated, Language = analysis.Language, Cue = Texts.Cut(hit.Cue, 80)!,
                        OccurredAt = i.OccurredAt, ExtractorVersion = MotiveAnalyzer.Version, CreatedAt = systemDb.Clock.GetUtcNow(),
                    };
                }
            }
        }
        var retired = settings.Dimensions.Where(d => d.Retired).Select(d => d.Code).ToHashSet();
        var changed = 0;
        foreach (var e in existing)
        {
            if (desired.Remove((e.InteractionId, e.Motive, e.SentenceKey), out var now))
            {
                if (e.Strength == now.Strength && e.Reliability == now.Reliability && e.Negated == now.Negated && e.ExtractorVersion == now.ExtractorVersion
                    && e.OccurredAt == now.OccurredAt && e.Cue == now.Cue) continue;
                (e.Strength, e.Reliability, e.Negated, e.ExtractorVersion, e.OccurredAt, e.Cue, e.Language) =
                    (now.Strength, now.Reliability, now.Negated, now.ExtractorVersion, now.OccurredAt, now.Cue, now.Language);
            }
            // A retired motive keeps its history (unless the person objected: then everything goes).
            else if (retired.Contains(e.Motive) && person.MotivesObjectedAt is null) continue;
            else systemDb.MotiveEvidence.Remove(e);
            changed++;
        }
        systemDb.MotiveEvidence.AddRange(desired.Values);
        changed += desired.Count;
        if (changed == 0) return 0;
        await systemDb.SaveChangesAsync(ct);
        await SnapshotAsync(systemDb, personId, settings, ct);
        return changed;
    }

    public const string WatermarkKey = "motives:watermark";
    private const int CatchUpPage = 2000;

    /// <summary>
    /// The inference job. Reads every interaction changed since the watermark in pages (by time and id), and re-derives
    /// the evidence of their people and of anyone who had evidence from them (a participant removed). The watermark then
    /// stays two minutes behind the run's start, so a transaction that committed late is read next time (re-deriving is
    /// idempotent). One person's failure is reported and skipped, not the run's end. Finally any motive data of people
    /// who objected meanwhile is erased (an objection racing a refresh cannot leave data behind for long).
    /// </summary>
    public static async Task<int> CatchUpAsync(MotivDbContext systemDb, CancellationToken ct = default, Action<Guid, Exception>? onError = null)
    {
        var start = systemDb.Clock.GetUtcNow();
        var settings = await MotiveTaxonomyService.ReadAsync(systemDb, ct);
        var from = await SettingsService.ReadAsync<string>(systemDb, WatermarkKey, ct) is { } last
            ? DateTimeOffset.Parse(last, System.Globalization.CultureInfo.InvariantCulture) : DateTimeOffset.MinValue;
        var interactions = systemDb.Interactions.IgnoreQueryFilters().AsNoTracking();
        var count = 0;
        var seen = new HashSet<Guid>();
        (DateTimeOffset At, Guid Id)? after = null;
        var newest = from;
        while (true)
        {
            var page = await (after is var (at, id)
                    ? interactions.Where(i => i.UpdatedAt > at || (i.UpdatedAt == at && i.Id.CompareTo(id) > 0))
                    : interactions.Where(i => i.UpdatedAt > from))
                .OrderBy(i => i.UpdatedAt).ThenBy(i => i.Id).Take(CatchUpPage)
                .Select(i => new { i.Id, i.UpdatedAt, People = i.Participants.Where(p => p.PersonId != null).Select(p => p.PersonId!.Value).ToList() })
                .ToListAsync(ct);
            if (page.Count == 0) break;
            var ids = page.Select(i => i.Id).ToList();
            var former = await systemDb.MotiveEvidence.AsNoTracking().Where(e => ids.Contains(e.InteractionId)).Select(e => e.PersonId).Distinct().ToListAsync(ct);
            foreach (var personId in page.SelectMany(c => c.People).Concat(former).Where(seen.Add))
            {
                try
                {
                    count += await RefreshPersonAsync(systemDb, personId, settings, ct);
                }
                catch (Exception e) when (e is DbUpdateException or InvalidOperationException)
                {
                    onError?.Invoke(personId, e);
                }
                systemDb.ChangeTracker.Clear();
            }
            after = (page[^1].UpdatedAt, page[^1].Id);
            newest = page[^1].UpdatedAt;
            if (page.Count < CatchUpPage) break;
        }
        var watermark = newest < start.AddMinutes(-2) ? newest : start.AddMinutes(-2);
        if (watermark > from) await SettingsService.WriteAsync(systemDb, WatermarkKey, watermark.ToString("O", System.Globalization.CultureInfo.InvariantCulture), ct);
        var objected = systemDb.People.IgnoreQueryFilters().Where(p => p.MotivesObjectedAt != null).Select(p => p.Id);
        await systemDb.MotiveEvidence.Where(e => objected.Contains(e.PersonId)).ExecuteDeleteAsync(ct);
        await systemDb.MotiveRatings.Where(e => objected.Contains(e.PersonId)).ExecuteDeleteAsync(ct);
        await systemDb.MotiveSnapshots.Where(e => objected.Contains(e.PersonId)).ExecuteDeleteAsync(ct);
        return count;
    }

    /// <summary>Which interactions speak of the person's motives: their own words and our notes of conversations; not what we wrote to them.</summary>
    public static EvidenceSource? SourceOf(InteractionChannel channel, InteractionDirection direction) => channel switch
    {
        InteractionChannel.Phone or InteractionChannel.Meeting => EvidenceSource.ConversationNote,
        InteractionChannel.Note => EvidenceSource.InternalNote,
        _ when direction == InteractionDirection.Inbound => EvidenceSource.OwnWords,
        _ when direction == InteractionDirection.Internal => EvidenceSource.InternalNote,
        _ => null,
    };

    public static double Reliability(EvidenceSource source) => source switch
    {
        EvidenceSource.OwnWords => 0.9,
        EvidenceSource.ConversationNote => 0.7,
        _ => 0.6,
    };

    private static string SentenceKey(string sentence) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sentence)))[..16];

    /// <summary>Records today's profile when it differs from the last one recorded; another writer's snapshot of the same day wins a race.</summary>
    internal static async Task SnapshotAsync(MotivDbContext db, Guid personId, MotiveSettings settings, CancellationToken ct)
    {
        var now = db.Clock.GetUtcNow();
        var scores = await ScoresAsync(db, personId, settings, now, ct);
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var last = await db.MotiveSnapshots.Where(s => s.PersonId == personId).OrderByDescending(s => s.Day).FirstOrDefaultAsync(ct);
        if (last is not null && JsonColumn.Serialize(last.Scores) == JsonColumn.Serialize(scores)) return;
        if (last?.Day == today) last.Scores = scores;
        else db.MotiveSnapshots.Add(new MotiveSnapshot { PersonId = personId, Day = today, Scores = scores });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();
        }
    }

    internal static async Task<List<MotiveScore>> ScoresAsync(MotivDbContext db, Guid personId, MotiveSettings settings, DateTimeOffset now, CancellationToken ct)
    {
        var evidence = await db.MotiveEvidence.AsNoTracking().Where(e => e.PersonId == personId).ToListAsync(ct);
        var ratings = await db.MotiveRatings.AsNoTracking().Where(r => r.PersonId == personId).ToListAsync(ct);
        return MotiveEstimator.Profile(settings, evidence, ratings, now);
    }

    private static async Task<MotiveProfileDto> ProfileAsync(MotivDbContext db, Person person, MotiveSettings settings, CancellationToken ct)
    {
        var now = db.Clock.GetUtcNow();
        var evidence = await db.MotiveEvidence.AsNoTracking().Where(e => e.PersonId == person.Id).ToListAsync(ct);
        var ratings = await db.MotiveRatings.AsNoTracking().Where(r => r.PersonId == person.Id).ToListAsync(ct);
        var scores = MotiveEstimator.Profile(settings, evidence, ratings, now);
        var current = MotiveEstimator.Current(ratings).ToList();
        var raterIds = current.Where(r => r.RatedById != null).Select(r => r.RatedById!.Value).Distinct().ToList();
        var raters = await db.Users.AsNoTracking().Where(u => raterIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
        MotiveRatingDto? Rating(string motive, RatingKind kind) => current.FirstOrDefault(r => r.Motive == motive && r.Kind == kind) is { } r
            ? new MotiveRatingDto(r.Value!.Value, r.Note, r.RatedById is { } u ? raters.GetValueOrDefault(u) : null, r.At) : null;
        var motives = settings.Active.Select(d =>
        {
            var s = scores.First(x => x.Motive == d.Code);
            return new MotiveEstimateDto(d.Code, d.Label, s.Score, s.Confidence, s.Score is not null,
                evidence.Count(e => e.Motive == d.Code && e.Status != EvidenceStatus.Rejected), evidence.Count(e => e.Motive == d.Code && e.Status == EvidenceStatus.Rejected),
                Rating(d.Code, RatingKind.Staff), Rating(d.Code, RatingKind.SelfAssessment), new MotiveGuidanceDto(d.Description, d.Talk, d.Arguments(), d.Avoid));
        }).ToList();
        var history = await db.MotiveSnapshots.AsNoTracking().Where(s => s.PersonId == person.Id).OrderByDescending(s => s.Day).Take(400).ToListAsync(ct);
        return new MotiveProfileDto(person.Id, person.MotivesObjectedAt is not null, person.MotivesObjectedAt, settings.ConfidenceThreshold, motives,
            [.. history.AsEnumerable().Reverse().Select(h => new MotiveHistoryDto(h.Day, h.Scores))]);
    }

    /// <summary>The person as the user may see them (else 404), and the settings; 403 when the user's roles may not see motive data or, for changes, may not change the person.</summary>
    private static async Task<(Person Person, MotiveSettings Settings)> OpenAsync(MotivDbContext db, Guid personId, bool write, CancellationToken ct)
    {
        var person = await Records.FindAsync(db.People.AsNoTracking(), personId, ct);
        var settings = await MotiveTaxonomyService.ReadAsync(db, ct);
        Require(db.Scope, settings);
        if (write && !AccessRules.CanWrite(db.Scope, person.OwnerId, person.TeamId, person.Visibility)) throw new AccessDeniedException(Text.Get("Access.CannotChange"));
        return (person, settings);
    }

    public static void Require(AccessScope scope, MotiveSettings settings)
    {
        if (!scope.IsAuthenticated) throw new AccessDeniedException(Text.Get("Access.SignIn"));
        if (!settings.CanSee(scope)) throw new AccessDeniedException(Text.Get("Access.Motives"));
    }
}

/// <summary>The self-assessment: two statements per default motive, answered from 1 (not at all) to 5 (completely).</summary>
public static class SelfAssessment
{
    public sealed record Item(string Motive, string De, string En);

    public static IReadOnlyList<Item> Items { get; } =
    [
        new("security", "Mir ist wichtig, dass eine Lösung erprobt ist und zuverlässig funktioniert.", "It matters to me that a solution is proven and works reliably."),
        new("security", "Garantien und Referenzen anderer Kunden geben mir Sicherheit.", "Guarantees and references from other customers reassure me."),
        new("economy", "Ich vergleiche Preise genau, bevor ich mich entscheide.", "I compare prices carefully before I decide."),
        new("economy", "Eine Anschaffung muss sich für mich rechnen.", "A purchase has to pay for itself."),
        new("convenience", "Ich schätze es, wenn mir jemand die Arbeit abnimmt.", "I appreciate it when someone takes the work off my hands."),
        new("convenience", "Einfache Abläufe sind mir wichtiger als viele Funktionen.", "Simple processes matter more to me than many features."),
        new("recognition", "Ich möchte zu den Ersten gehören, die etwas Besonderes haben.", "I like to be among the first to have something special."),
        new("recognition", "Es ist mir wichtig, wie meine Entscheidung von anderen gesehen wird.", "It matters to me how others see my decision."),
        new("curiosity", "Ich probiere gern Neues aus.", "I enjoy trying new things."),
        new("curiosity", "Innovationen und neue Technik interessieren mich.", "Innovations and new technology interest me."),
        new("responsibility", "Nachhaltigkeit und faire Bedingungen beeinflussen meine Entscheidungen.", "Sustainability and fair conditions influence my decisions."),
        new("responsibility", "Ich kaufe bevorzugt bei Anbietern aus der Region.", "I prefer to buy from local suppliers."),
        new("belonging", "Ein persönlicher Ansprechpartner, den ich kenne, ist mir wichtig.", "A personal contact whom I know matters to me."),
        new("belonging", "Ich bleibe gern bei Anbietern, denen ich vertraue.", "I like to stay with suppliers I trust."),
    ];
}
