namespace Motiv.Core.Empathy;

/// <summary>Where a piece of evidence comes from; each has its own reliability and half-life.</summary>
public enum EvidenceSource
{
    /// <summary>The person's own words: an e-mail, letter, chat or web-form message from them.</summary>
    OwnWords = 0,

    /// <summary>Our notes of a call or meeting with them.</summary>
    ConversationNote = 1,

    /// <summary>An internal note about them.</summary>
    InternalNote = 2,
}

public enum EvidenceStatus
{
    Open = 0,
    Confirmed = 1,
    Rejected = 2,
}

/// <summary>
/// A cue for a motive found in one sentence of an interaction with the person, with the quote that shows it. Derived
/// data: re-running the inference replaces it, but a member of staff's confirmation or rejection stays with the sentence.
/// </summary>
public sealed class MotiveEvidence
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid PersonId { get; set; }
    public string Motive { get; set; } = "";

    /// <summary>0–1: how clearly the sentence speaks of the motive (cue strength, raised by "sehr", "most important").</summary>
    public double Strength { get; set; }

    /// <summary>0–1: how far the source can be trusted (the person's own words more than a colleague's note).</summary>
    public double Reliability { get; set; }
    public EvidenceSource Source { get; set; }
    public Guid InteractionId { get; set; }
    public string Sentence { get; set; } = "";

    /// <summary>A short hash of the sentence: with person, interaction and motive it identifies the item across re-runs.</summary>
    public string SentenceKey { get; set; } = "";
    public bool Negated { get; set; }
    public string Language { get; set; } = "";
    public string Cue { get; set; } = "";
    public DateTimeOffset OccurredAt { get; set; }
    public string ExtractorVersion { get; set; } = "";
    public EvidenceStatus Status { get; set; }
    public Guid? ReviewedById { get; set; }
    public DateTimeOffset? ReviewedAt { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

public enum RatingKind
{
    Staff = 0,
    SelfAssessment = 1,
}

/// <summary>An explicit rating of one motive (0–5), by staff or by the person themselves. Ratings are added, never changed: the latest counts.</summary>
public sealed class MotiveRating
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid PersonId { get; set; }
    public string Motive { get; set; } = "";
    public RatingKind Kind { get; set; }

    /// <summary>0–5; null clears an earlier rating.</summary>
    public int? Value { get; set; }
    public string? Note { get; set; }
    public Guid? RatedById { get; set; }
    public DateTimeOffset At { get; set; }
}

/// <summary>The profile as it was on a day: one row per person and day on which it changed.</summary>
public sealed class MotiveSnapshot
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid PersonId { get; set; }
    public DateOnly Day { get; set; }
    public List<MotiveScore> Scores { get; set; } = [];
}

/// <summary>A motive's estimate (0–5, null while unknown) and the confidence in it (0–1).</summary>
public sealed record MotiveScore(string Motive, double? Score, double Confidence);

/// <summary>One thing that counted for an estimate, with the weight it had.</summary>
public sealed record MotiveObservation(string Motive, double Value, double BaseWeight, DateTimeOffset At, string Source);

/// <summary>
/// The estimator. Each observation says how much the person values a motive (0–1: a rating of 4 is 0.8, a cue 1, a
/// negated cue 0) with a weight: staff ratings 3, self-assessments 2, cues their reliability × strength (× 1.5 when
/// confirmed, × 0.5 when negated). Weights halve every half-life of their source. The estimate is the weighted mean,
/// pulled towards the middle by a prior of weight 1 (thin evidence gives moderate values); the confidence is
/// W / (W + 2) for the total weight W. Below the threshold the motive is unknown.
/// </summary>
public static class MotiveEstimator
{
    public const double StaffWeight = 3;
    public const double SelfWeight = 2;
    public const double PriorValue = 0.5;
    public const double PriorWeight = 1;
    public const double ConfidenceScale = 2;

    public static double Decay(DateTimeOffset at, DateTimeOffset now, int halfLifeDays) =>
        Math.Pow(0.5, Math.Max(0, (now - at).TotalDays) / Math.Max(1, halfLifeDays));

    public static double Weight(MotiveObservation o, MotiveSettings settings, DateTimeOffset now) => o.BaseWeight * Decay(o.At, now, settings.HalfLife(o.Source));

    public static MotiveScore Estimate(string motive, IEnumerable<MotiveObservation> observations, MotiveSettings settings, DateTimeOffset now)
    {
        double total = 0, sum = 0;
        foreach (var o in observations.Where(o => o.Motive == motive))
        {
            var w = Weight(o, settings, now);
            total += w;
            sum += w * o.Value;
        }
        var confidence = total / (total + ConfidenceScale);
        var value = (sum + PriorValue * PriorWeight) / (total + PriorWeight);
        return new MotiveScore(motive, confidence < settings.ConfidenceThreshold ? null : Math.Round(value * 5, 1), Math.Round(confidence, 2));
    }

    /// <summary>What a piece of evidence counts as; rejected evidence counts for nothing.</summary>
    public static MotiveObservation? Observe(MotiveEvidence e) => e.Status == EvidenceStatus.Rejected ? null : new MotiveObservation(
        e.Motive, e.Negated ? 0 : 1, e.Reliability * e.Strength * (e.Status == EvidenceStatus.Confirmed ? 1.5 : 1) * (e.Negated ? 0.5 : 1), e.OccurredAt, SourceKey(e.Source));

    public static MotiveObservation? Observe(MotiveRating r) => r.Value is not { } v ? null : new MotiveObservation(
        r.Motive, v / 5.0, r.Kind == RatingKind.Staff ? StaffWeight : SelfWeight, r.At, r.Kind == RatingKind.Staff ? "staffRating" : "selfAssessment");

    public static string SourceKey(EvidenceSource s) => s switch
    {
        EvidenceSource.OwnWords => "ownWords",
        EvidenceSource.ConversationNote => "conversationNote",
        _ => "internalNote",
    };

    /// <summary>The current ratings: the latest per motive and kind (a cleared one counts as none).</summary>
    public static IEnumerable<MotiveRating> Current(IEnumerable<MotiveRating> ratings) =>
        ratings.GroupBy(r => (r.Motive, r.Kind)).Select(g => g.OrderBy(r => r.At).ThenBy(r => r.Id).Last()).Where(r => r.Value is not null);

    public static List<MotiveScore> Profile(MotiveSettings settings, IEnumerable<MotiveEvidence> evidence, IEnumerable<MotiveRating> ratings, DateTimeOffset now)
    {
        var observations = evidence.Select(Observe).Concat(Current(ratings).Select(Observe)).OfType<MotiveObservation>().ToList();
        return [.. settings.Active.Select(d => Estimate(d.Code, observations, settings, now))];
    }
}
