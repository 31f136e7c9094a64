using System.Globalization;
using Motiv.Core.Communication;
using Motiv.Core.Empathy;
using Motiv.Core.Sales;

namespace Motiv.Core.Tests;

public sealed class MotiveAnalyzerTests
{
    /// <summary>A small lexicon of its own, so that these tests pin the rules, not the shipped word lists.</summary>
    private static readonly MotiveAnalyzer Analyzer = new([
        new MotiveDimension { Code = "economy", LabelDe = "Wirtschaftlichkeit", LabelEn = "Economy", Cues = [new("preis", "de"), new("zu teuer", "de", 3), new("price", "en"), new("too expensive", "en", 3), new("preis*", "de")] },
        new MotiveDimension { Code = "security", LabelDe = "Sicherheit", LabelEn = "Security", Cues = [new("*sicherheit", "de"), new("kein risiko", "de", 3), new("risiko", "de"), new("reliable", "en"), new("risk", "en")] },
        new MotiveDimension { Code = "curiosity", LabelDe = "Neugier", LabelEn = "Curiosity", Cues = [new("ausprobieren", "de")], Retired = true },
    ]);

    [Theory]
    [InlineData("Der Preis ist ihm wichtig.", "economy", false)]
    [InlineData("Die Preise sind ihm wichtig.", "economy", false)]
    [InlineData("Das Angebot ist uns zu teuer.", "economy", false)]
    [InlineData("Es geht ihr nicht um den Preis.", "economy", true)]
    [InlineData("Der Preis spielt keine Rolle.", "economy", true)]
    [InlineData("Der Preis ist zweitrangig.", "economy", true)]
    [InlineData("The price is not important to them.", "economy", true)]
    [InlineData("It's not about price.", "economy", true)]
    [InlineData("Risk is not a concern for them.", "security", true)]
    [InlineData("We don't want to take any risk.", "security", false)]
    [InlineData("Wir wollen kein Risiko eingehen.", "security", false)]
    [InlineData("Ausfallsicherheit ist uns das Wichtigste.", "security", false)]
    [InlineData("Der Preisnachlass ist entscheidend.", "economy", false)]
    public void Finds_cues_and_negations(string text, string motive, bool negated)
    {
        var hit = Assert.Single(Analyzer.Analyze(text, MotiveAnalyzer.DetectLanguage(text)).Evidence);
        Assert.Equal(motive, hit.Motive);
        Assert.Equal(negated, hit.Negated);
        Assert.Equal(text, hit.Sentence);
    }

    [Fact]
    public void A_negation_does_not_reach_past_a_contrast()
    {
        var hits = Analyzer.Analyze("Nicht der Preis, sondern die Ausfallsicherheit zählt.", "de").Evidence;
        Assert.True(Assert.Single(hits, h => h.Motive == "economy").Negated);
        Assert.False(Assert.Single(hits, h => h.Motive == "security").Negated);
    }

    [Fact]
    public void Intensifiers_raise_the_strength_and_longer_cues_win()
    {
        var plain = Assert.Single(Analyzer.Analyze("Der Preis zählt.", "de").Evidence);
        var strong = Assert.Single(Analyzer.Analyze("Der Preis ist sehr wichtig.", "de").Evidence);
        Assert.True(strong.Strength > plain.Strength);
        Assert.Equal("kein risiko", Assert.Single(Analyzer.Analyze("Bitte kein Risiko.", "de").Evidence).Cue);
    }

    [Fact]
    public void Splits_sentences_but_not_at_abbreviations_and_skips_quoted_replies()
    {
        var analysis = Analyzer.Analyze("Danke für das Angebot, z.B. der Preis passt. Ausfallsicherheit ist Pflicht!\n\nAm 3. März schrieb Vertrieb <a@b.de>:\n> Der Preis ist zu teuer", "de");
        Assert.Equal(["Danke für das Angebot, z.B. der Preis passt.", "Ausfallsicherheit ist Pflicht!"], analysis.Evidence.Select(e => e.Sentence).ToArray());
    }

    [Fact]
    public void Retired_dimensions_are_not_inferred() => Assert.Empty(Analyzer.Analyze("Das möchten wir ausprobieren.", "de").Evidence);

    [Theory]
    [InlineData("Herr Maier möchte vor allem wissen, ob die Lösung mit unserem System läuft.", "de")]
    [InlineData("Kd. will unbedingt Festpreis, Lieferung bis Ende März", "de")]
    [InlineData("She said the board only cares about the return on investment.", "en")]
    [InlineData("Could you send me the updated quote by Friday?", "en")]
    [InlineData("Grüße aus München", "de")]
    public void Detects_the_language(string text, string language) => Assert.Equal(language, MotiveAnalyzer.DetectLanguage(text));

    [Fact]
    public void No_text_no_language() => Assert.Null(MotiveAnalyzer.DetectLanguage("12345 ..."));
}

public sealed class MotiveEstimatorTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly MotiveSettings Settings = new()
    {
        Dimensions = [new MotiveDimension { Code = "security" }, new MotiveDimension { Code = "economy" }],
        ConfidenceThreshold = 0.35,
        HalfLifeDays = new Dictionary<string, int>(MotiveSettings.DefaultHalfLives),
    };

    private static MotiveEvidence Cue(string motive, int daysAgo, EvidenceStatus status = EvidenceStatus.Open, bool negated = false) => new()
    {
        Motive = motive, Strength = 1, Reliability = 0.9, Source = EvidenceSource.OwnWords, OccurredAt = Now.AddDays(-daysAgo), Status = status, Negated = negated,
    };

    [Fact]
    public void Weight_halves_with_each_half_life()
    {
        var fresh = MotiveEstimator.Weight(MotiveEstimator.Observe(Cue("security", 0))!, Settings, Now);
        var yearOld = MotiveEstimator.Weight(MotiveEstimator.Observe(Cue("security", 365))!, Settings, Now);
        var twoYears = MotiveEstimator.Weight(MotiveEstimator.Observe(Cue("security", 730))!, Settings, Now);
        Assert.Equal(0.9, fresh, 6);
        Assert.Equal(0.45, yearOld, 6);
        Assert.Equal(0.225, twoYears, 6);
    }

    [Fact]
    public void One_cue_is_not_enough_two_are_and_confidence_grows()
    {
        var one = MotiveEstimator.Profile(Settings, [Cue("security", 1)], [], Now).Single(s => s.Motive == "security");
        var two = MotiveEstimator.Profile(Settings, [Cue("security", 1), Cue("security", 2)], [], Now).Single(s => s.Motive == "security");
        var five = MotiveEstimator.Profile(Settings, [.. Enumerable.Range(1, 5).Select(d => Cue("security", d))], [], Now).Single(s => s.Motive == "security");
        Assert.Null(one.Score);
        Assert.NotNull(two.Score);
        Assert.True(five.Confidence > two.Confidence && two.Confidence > one.Confidence);
        Assert.True(five.Score > two.Score);
        Assert.Null(MotiveEstimator.Profile(Settings, [Cue("security", 1), Cue("security", 2)], [], Now).Single(s => s.Motive == "economy").Score);
    }

    [Fact]
    public void Old_evidence_counts_less_so_confidence_falls_with_age()
    {
        var recent = MotiveEstimator.Profile(Settings, [Cue("security", 1), Cue("security", 2)], [], Now).Single(s => s.Motive == "security");
        var old = MotiveEstimator.Profile(Settings, [Cue("security", 700), Cue("security", 720)], [], Now).Single(s => s.Motive == "security");
        Assert.True(old.Confidence < recent.Confidence);
        Assert.Null(old.Score);
    }

    [Fact]
    public void A_rejected_cue_stops_counting_and_a_confirmed_one_counts_more()
    {
        var evidence = new[] { Cue("security", 1), Cue("security", 2) };
        var before = MotiveEstimator.Profile(Settings, evidence, [], Now).Single(s => s.Motive == "security");
        evidence[0].Status = EvidenceStatus.Rejected;
        var rejected = MotiveEstimator.Profile(Settings, evidence, [], Now).Single(s => s.Motive == "security");
        evidence[0].Status = EvidenceStatus.Confirmed;
        var confirmed = MotiveEstimator.Profile(Settings, evidence, [], Now).Single(s => s.Motive == "security");
        Assert.Null(rejected.Score);
        Assert.True(rejected.Confidence < before.Confidence);
        Assert.True(confirmed.Confidence > before.Confidence);
    }

    [Fact]
    public void Staff_ratings_weigh_more_than_cues_and_the_latest_rating_counts()
    {
        var ratings = new List<MotiveRating>
        {
            new() { Motive = "economy", Kind = RatingKind.Staff, Value = 5, At = Now.AddDays(-10) },
            new() { Motive = "economy", Kind = RatingKind.Staff, Value = 1, At = Now.AddDays(-1) },
        };
        // The later rating of 1/5 replaces the 5/5: (3 × 0.2 + 1 × 0.5) / (3 + 1) × 5 ≈ 1.4.
        var profile = MotiveEstimator.Profile(Settings, [], ratings, Now).Single(s => s.Motive == "economy");
        Assert.Equal(1.4, profile.Score!.Value, 1);
        var withCues = MotiveEstimator.Profile(Settings, [Cue("economy", 1), Cue("economy", 2)], ratings, Now).Single(s => s.Motive == "economy");
        Assert.True(withCues.Score < 3, "two cues do not outweigh the staff rating");
        ratings.Add(new MotiveRating { Motive = "economy", Kind = RatingKind.Staff, Value = null, At = Now });
        Assert.Null(MotiveEstimator.Profile(Settings, [], ratings, Now).Single(s => s.Motive == "economy").Score);
    }

    [Fact]
    public void Negated_cues_pull_the_estimate_down()
    {
        var positive = MotiveEstimator.Profile(Settings, [Cue("economy", 1), Cue("economy", 2), Cue("economy", 3)], [], Now).Single(s => s.Motive == "economy");
        var mixed = MotiveEstimator.Profile(Settings, [Cue("economy", 1), Cue("economy", 2), Cue("economy", 3), Cue("economy", 1, negated: true), Cue("economy", 2, negated: true)], [], Now)
            .Single(s => s.Motive == "economy");
        Assert.True(mixed.Score < positive.Score);
    }
}

public sealed class HealthModelTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);

    private static ContactSignal In(int daysAgo, InteractionChannel channel = InteractionChannel.Email) => new(Now.AddDays(-daysAgo), InteractionDirection.Inbound, channel);

    private static ContactSignal Out(int daysAgo, double hours = 0) => new(Now.AddDays(-daysAgo).AddHours(hours), InteractionDirection.Outbound, InteractionChannel.Email);

    [Fact]
    public void Recency_is_measured_against_the_usual_rhythm()
    {
        // Contacts every 14 days, the last one 41 days ago.
        var contacts = Enumerable.Range(0, 8).Select(i => Out(41 + i * 14)).ToList();
        var result = HealthModel.Compute(new HealthSignals(contacts, null, null, 0, [], []), Now);
        Assert.Equal(14, result.UsualRhythmDays);
        Assert.Equal(41, result.DaysSinceContact);
        var recency = result.Components.Single(c => c.Code == "recency");
        Assert.Equal(0.04, recency.Value, 2); // (41 − 14) / 28 late → 1 − 0.96
        var onTime = HealthModel.Compute(new HealthSignals([.. contacts.Select(c => c with { At = c.At.AddDays(35) })], null, null, 0, [], []), Now);
        Assert.Equal(1, onTime.Components.Single(c => c.Code == "recency").Value);
        Assert.True(onTime.Score > result.Score);
    }

    [Fact]
    public void Components_without_data_are_left_out_and_the_points_add_up()
    {
        var result = HealthModel.Compute(new HealthSignals([In(3), Out(2)], null, 20, 1, [], []), Now);
        Assert.Equal(["recency", "trend", "twoWay", "replyLatency", "openIssues"], result.Components.Select(c => c.Code).ToArray());
        Assert.Equal(100, result.Components.Sum(c => c.MaxPoints));
        Assert.InRange(result.Score - result.Components.Sum(c => c.Points), -2, 2);
        Assert.Equal(20, result.UsualRhythmDays);
        var withDeals = HealthModel.Compute(new HealthSignals([In(3), Out(2)], null, 20, 1, [new DealSignal(DealStatus.Open, Now.AddDays(-5), null)], [DateOnly.FromDateTime(Now.UtcDateTime.AddDays(-30))]), Now);
        Assert.Contains(withDeals.Components, c => c.Code == "deals" && c.Value == 1);
        Assert.Contains(withDeals.Components, c => c.Code == "purchases");
    }

    [Fact]
    public void Overdue_tasks_slow_replies_and_one_sided_contact_lower_the_score()
    {
        var good = HealthModel.Compute(new HealthSignals([In(10), Out(10, 2), In(5), Out(5, 3), In(1), Out(1, 1)], null, null, 0, [], []), Now);
        var slow = HealthModel.Compute(new HealthSignals([In(20), Out(14), In(10), Out(3)], null, null, 0, [], []), Now);
        var oneSided = HealthModel.Compute(new HealthSignals([Out(10), Out(5), Out(1)], null, null, 0, [], []), Now);
        var overdue = HealthModel.Compute(new HealthSignals([In(10), Out(10, 2), In(5), Out(5, 3), In(1), Out(1, 1)], null, null, 3, [], []), Now);
        Assert.Equal(1, good.Components.Single(c => c.Code == "replyLatency").Value);
        Assert.True(slow.Components.Single(c => c.Code == "replyLatency").Value < 0.5);
        Assert.Equal(0, oneSided.Components.Single(c => c.Code == "twoWay").Value);
        Assert.Equal(0, overdue.Components.Single(c => c.Code == "openIssues").Value);
        Assert.True(good.Score > overdue.Score);
    }

    [Fact]
    public void No_contact_at_all_scores_low_and_says_so()
    {
        var result = HealthModel.Compute(new HealthSignals([], null, null, 0, [], []), Now);
        Assert.Equal(0, result.Components.Single(c => c.Code == "recency").Value);
        Assert.Null(result.DaysSinceContact);
    }
}

public sealed class NextBestActionRulesTests
{
    [Fact]
    public void Feedback_factor_starts_neutral_and_follows_what_the_user_takes()
    {
        Assert.Equal(1, NextBestActionService.FeedbackFactor([], "followUp"));
        var dismissed = Enumerable.Range(0, 4).Select(_ => new ActionFeedback { Kind = "followUp", Accepted = false }).ToList();
        Assert.Equal(2.0 / 6, NextBestActionService.FeedbackFactor(dismissed, "followUp"), 6);
        Assert.Equal(1, NextBestActionService.FeedbackFactor(dismissed, "proposeProduct"));
    }

    [Theory]
    [InlineData("2026-11-20", "1980-11-25", "2026-11-25")]
    [InlineData("2026-11-20", "1980-03-01", "2027-03-01")]
    [InlineData("2027-02-01", "1984-02-29", "2027-02-28")]
    [InlineData("2028-02-01", "1984-02-29", "2028-02-29")]
    public void Yearly_dates_come_round(string today, string date, string next) =>
        Assert.Equal(DateOnly.Parse(next, CultureInfo.InvariantCulture), Customers.ImportantDates.Next(DateOnly.Parse(date, CultureInfo.InvariantCulture), DateOnly.Parse(today, CultureInfo.InvariantCulture)));
}

public sealed class TextCutTests
{
    [Fact]
    public void Cutting_never_splits_a_character()
    {
        Assert.Equal("ab", Common.Texts.Cut("ab😀c", 3));
        Assert.Equal("ab😀", Common.Texts.Cut("ab😀c", 4));
        Assert.Equal("abc", Common.Texts.Cut("abc", 5));
        Assert.Null(Common.Texts.Cut(null, 3));
    }
}
