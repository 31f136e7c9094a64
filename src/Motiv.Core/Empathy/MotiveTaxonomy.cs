using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Motiv.Core.Access;
using Motiv.Core.Common;
using Motiv.Core.Data;

namespace Motiv.Core.Empathy;

/// <summary>
/// A cue word or phrase of a motive in one language; strength 1 (a hint) to 3 (unmistakable), or 0 for a false friend
/// that silences the cues it covers ("preisliste" against "preis*"). <c>*</c> at a word's end or start matches
/// compounds; <c>=</c> before a word matches it exactly, unstemmed.
/// </summary>
public sealed record MotiveCue(string Phrase, string Language, int Strength = 2);

/// <summary>One motive dimension: its stable code, labels and communication guidance in German and English, and its cue lexicon.</summary>
public sealed record MotiveDimension
{
    public string Code { get; init; } = "";
    public string LabelDe { get; init; } = "";
    public string LabelEn { get; init; } = "";
    public string? DescriptionDe { get; init; }
    public string? DescriptionEn { get; init; }
    public string? TalkDe { get; init; }
    public string? TalkEn { get; init; }

    /// <summary>Arguments and proofs that fit, separated by semicolons (the composer offers them one by one).</summary>
    public string? ArgumentsDe { get; init; }
    public string? ArgumentsEn { get; init; }
    public string? AvoidDe { get; init; }
    public string? AvoidEn { get; init; }

    /// <summary>Retired dimensions keep their history but are no longer inferred, rated or shown.</summary>
    public bool Retired { get; init; }
    public List<MotiveCue> Cues { get; init; } = [];

    public string Label => Text.IsGerman ? LabelDe : LabelEn;
    public string? Description => Text.IsGerman ? DescriptionDe : DescriptionEn;
    public string? Talk => Text.IsGerman ? TalkDe : TalkEn;
    public string? Avoid => Text.IsGerman ? AvoidDe : AvoidEn;

    public IReadOnlyList<string> Arguments(string? language = null) =>
        ((language ?? (Text.IsGerman ? "de" : "en")) == "de" ? ArgumentsDe : ArgumentsEn)?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
}

/// <summary>
/// The motive settings an administrator changes: the taxonomy, which roles see motive data, the confidence below which a
/// motive shows as unknown, and the half-life in days of each kind of evidence.
/// </summary>
public sealed record MotiveSettings
{
    public List<MotiveDimension> Dimensions { get; init; } = [];
    public List<string> Roles { get; init; } = [];
    public double ConfidenceThreshold { get; init; } = 0.35;
    public Dictionary<string, int> HalfLifeDays { get; init; } = [];

    public IEnumerable<MotiveDimension> Active => Dimensions.Where(d => !d.Retired);

    public MotiveDimension? Find(string code) => Dimensions.FirstOrDefault(d => d.Code == code);

    public int HalfLife(string source) => HalfLifeDays.TryGetValue(source, out var days) ? days : DefaultHalfLives.GetValueOrDefault(source, 365);

    public bool CanSee(AccessScope scope) => scope.IsAuthenticated && (scope.IsAdministrator || scope.Roles.Any(Roles.Contains));

    /// <summary>Half-lives by source: staff and self ratings age slowly, a remark in an internal note fast.</summary>
    public static readonly IReadOnlyDictionary<string, int> DefaultHalfLives = new Dictionary<string, int>
    {
        ["staffRating"] = 730, ["selfAssessment"] = 730, ["ownWords"] = 365, ["conversationNote"] = 270, ["internalNote"] = 180,
    };
}

/// <summary>Reads and changes the motive settings (setting "motives"); the defaults are the seven dimensions with their lexicon.</summary>
public sealed partial class MotiveTaxonomyService(IDbContextFactory<MotivDbContext> dbFactory, ICurrentUser currentUser)
{
    public const string SettingKey = "motives";
    private static readonly Lazy<MotiveSettings> DefaultSettings = new(BuildDefaults);
    private static CachedAnalyzer? cachedAnalyzer;

    private sealed record CachedAnalyzer(List<MotiveDimension> Dimensions, string Json, MotiveAnalyzer Analyzer);

    public static MotiveSettings Defaults => DefaultSettings.Value;

    public async Task<MotiveSettings> GetAsync(CancellationToken ct = default)
    {
        if (!currentUser.Scope.IsAuthenticated) throw new AccessDeniedException(Text.Get("Access.SignIn"));
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await ReadAsync(db, ct);
    }

    public static async Task<MotiveSettings> ReadAsync(MotivDbContext db, CancellationToken ct) =>
        await SettingsService.ReadAsync<MotiveSettings>(db, SettingKey, ct) ?? Defaults;

    /// <summary>The analyser for the current lexicon; built once per lexicon, shared (it holds no state per text).</summary>
    public static MotiveAnalyzer Analyzer(MotiveSettings settings)
    {
        // The same settings object (the defaults, or one read for a whole job run) needs no comparison of its lexicon.
        var cached = Volatile.Read(ref cachedAnalyzer);
        if (cached is not null && ReferenceEquals(cached.Dimensions, settings.Dimensions)) return cached.Analyzer;
        var json = JsonColumn.Serialize(settings.Dimensions);
        if (cached is not null && cached.Json == json) return cached.Analyzer;
        var analyzer = new MotiveAnalyzer(settings.Dimensions);
        Volatile.Write(ref cachedAnalyzer, new CachedAnalyzer(settings.Dimensions, json, analyzer));
        return analyzer;
    }

    public async Task<MotiveSettings> SetAsync(MotiveSettings input, CancellationToken ct = default)
    {
        if (!currentUser.Scope.CanAdminister) throw new AccessDeniedException(Text.Get("Access.AdministratorsOnly"));
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var errors = new FieldErrors();
        var dimensions = new List<MotiveDimension>();
        var codes = new HashSet<string>();
        if (input.Dimensions is { Count: > 50 }) errors.Add("dimensions", Text.Get("Validation.TooMany", 50));
        foreach (var (d, i) in (input.Dimensions ?? []).Select((d, i) => (d, i)))
        {
            var f = $"dimensions[{i}]";
            if (d is null)
            {
                errors.Add(f, Text.Get("Validation.Required"));
                continue;
            }
            var code = (d.Code ?? "").Trim();
            if (!CodePattern().IsMatch(code)) errors.Add(f + ".code", Text.Get("Validation.Code"));
            else if (!codes.Add(code)) errors.Add(f + ".code", Text.Get("Validation.Duplicate"));
            var cues = new List<MotiveCue>();
            foreach (var (cue, j) in (d.Cues ?? []).Select((c, j) => (c, j)))
            {
                if (cue is null)
                {
                    errors.Add($"{f}.cues[{j}]", Text.Get("Validation.Required"));
                    continue;
                }
                var phrase = errors.Required($"{f}.cues[{j}].phrase", cue.Phrase, 80);
                // A wildcard or exact word needs three letters besides * and = (a lone "*" would match every word).
                var words = phrase.Split([' ', '-', '/', '\''], StringSplitOptions.RemoveEmptyEntries);
                if (words.Length == 0 || phrase.Count(char.IsLetterOrDigit) < 2
                    || words.Any(w => w.Trim('*', '=').Count(char.IsLetterOrDigit) < (w.Contains('*') || w.StartsWith('=') ? 3 : 1)))
                    errors.Add($"{f}.cues[{j}].phrase", Text.Get("Validation.CuePhrase"));
                if (cue.Language is not ("de" or "en")) errors.Add($"{f}.cues[{j}].language", Text.Get("Validation.Language"));
                if (cue.Strength is < 0 or > 3) errors.Add($"{f}.cues[{j}].strength", Text.Get("Validation.Range", 0, 3));
                cues.Add(cue with { Phrase = phrase.ToLowerInvariant() });
            }
            if (cues.Count > 3000) errors.Add(f + ".cues", Text.Get("Validation.TooMany", 3000));
            dimensions.Add(d with
            {
                Code = code,
                LabelDe = errors.Required(f + ".labelDe", d.LabelDe, 60),
                LabelEn = errors.Required(f + ".labelEn", d.LabelEn, 60),
                DescriptionDe = errors.Optional(f + ".descriptionDe", d.DescriptionDe, 2000),
                DescriptionEn = errors.Optional(f + ".descriptionEn", d.DescriptionEn, 2000),
                TalkDe = errors.Optional(f + ".talkDe", d.TalkDe, 2000),
                TalkEn = errors.Optional(f + ".talkEn", d.TalkEn, 2000),
                ArgumentsDe = errors.Optional(f + ".argumentsDe", d.ArgumentsDe, 2000),
                ArgumentsEn = errors.Optional(f + ".argumentsEn", d.ArgumentsEn, 2000),
                AvoidDe = errors.Optional(f + ".avoidDe", d.AvoidDe, 2000),
                AvoidEn = errors.Optional(f + ".avoidEn", d.AvoidEn, 2000),
                Cues = cues,
            });
        }
        if (dimensions.Count == 0) errors.Add("dimensions", Text.Get("Validation.Required"));
        // A dimension with data is retired, not removed: its evidence and ratings stay explainable.
        var before = await ReadAsync(db, ct);
        var removed = before.Dimensions.Select(d => d.Code).Except(codes).ToList();
        var inUse = await db.MotiveEvidence.Where(e => removed.Contains(e.Motive)).Select(e => e.Motive)
            .Union(db.MotiveRatings.Where(r => removed.Contains(r.Motive)).Select(r => r.Motive)).ToListAsync(ct);
        foreach (var code in inUse) errors.Add("dimensions", Text.Get("Validation.MotiveInUse", code));
        var roles = (input.Roles ?? []).Distinct().ToList();
        if (roles.Any(r => !Access.Roles.All.Contains(r))) errors.Add("roles", Text.Get("Validation.Choice"));
        if (!roles.Contains(Access.Roles.Administrator)) roles.Insert(0, Access.Roles.Administrator);
        if (input.ConfidenceThreshold is < 0.05 or > 0.95 || double.IsNaN(input.ConfidenceThreshold)) errors.Add("confidenceThreshold", Text.Get("Validation.Range", 0.05, 0.95));
        var halfLives = new Dictionary<string, int>();
        foreach (var source in MotiveSettings.DefaultHalfLives.Keys)
        {
            var days = input.HalfLifeDays?.GetValueOrDefault(source) is > 0 and var d ? d : MotiveSettings.DefaultHalfLives[source];
            if (days is < 7 or > 3650) errors.Add("halfLifeDays." + source, Text.Get("Validation.Range", 7, 3650));
            halfLives[source] = days;
        }
        errors.ThrowIfAny();
        var clean = new MotiveSettings { Dimensions = dimensions, Roles = roles, ConfidenceThreshold = input.ConfidenceThreshold, HalfLifeDays = halfLives };
        var lexiconChanged = JsonColumn.Serialize(before.Dimensions) != JsonColumn.Serialize(clean.Dimensions);
        await SettingsService.WriteAsync(db, SettingKey, clean, ct);
        // New cues or dimensions: the inference job analyses every interaction again (idempotent; review decisions stay).
        if (lexiconChanged) await db.Settings.Where(s => s.Key == MotiveService.WatermarkKey).ExecuteDeleteAsync(ct);
        return clean;
    }

    /// <summary>The seven default dimensions (codes stable), their guidance and the lexicon shipped with Motiv.</summary>
    private static MotiveSettings BuildDefaults()
    {
        using var stream = typeof(MotiveTaxonomyService).Assembly.GetManifestResourceStream("Motiv.Empathy.motive-lexicon.tsv")
            ?? throw new InvalidOperationException("The motive lexicon is missing from the assembly.");
        using var reader = new StreamReader(stream);
        var cues = new List<(string Motive, MotiveCue Cue)>();
        while (reader.ReadLine() is { } line)
        {
            var parts = line.Split('\t');
            if (parts.Length != 4 || parts[0] == "motive" || !int.TryParse(parts[2], out var strength)) continue;
            cues.Add((parts[0].Trim(), new MotiveCue(parts[3].Trim().ToLowerInvariant(), parts[1].Trim(), strength)));
        }
        return new MotiveSettings
        {
            Dimensions = [.. MotiveGuidance.Defaults.Select(g => new MotiveDimension
            {
                Code = g.Code, LabelDe = g.LabelDe, LabelEn = g.LabelEn, DescriptionDe = g.DescriptionDe, DescriptionEn = g.DescriptionEn,
                TalkDe = g.TalkDe, TalkEn = g.TalkEn, ArgumentsDe = g.ArgumentsDe, ArgumentsEn = g.ArgumentsEn, AvoidDe = g.AvoidDe, AvoidEn = g.AvoidEn,
                Cues = [.. cues.Where(c => c.Motive == g.Code).Select(c => c.Cue)],
            })],
            Roles = [Access.Roles.Administrator, Access.Roles.Manager, Access.Roles.Sales, Access.Roles.Service],
            HalfLifeDays = new Dictionary<string, int>(MotiveSettings.DefaultHalfLives),
        };
    }

    [GeneratedRegex("^[a-z][a-z0-9-]{1,39}$")]
    private static partial Regex CodePattern();
}
