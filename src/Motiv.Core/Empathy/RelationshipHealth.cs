using Motiv.Core.Communication;
using Motiv.Core.Sales;

namespace Motiv.Core.Empathy;

/// <summary>The latest health of a person's or organisation's relationship with us, with its components and the drop over about 30 days.</summary>
public sealed class HealthScore
{
    public Guid SubjectId { get; set; }

    /// <summary>"person" or "organization".</summary>
    public string SubjectType { get; set; } = "";
    public int Score { get; set; }

    /// <summary>Whether there was ever a contact: a record nobody has been in touch with is no relationship at risk.</summary>
    public bool HasContact { get; set; }
    public List<HealthComponent> Components { get; set; } = [];

    /// <summary>The score about 30 days earlier (the oldest one kept if younger), and how far it fell since (negative: it rose).</summary>
    public int? Previous { get; set; }
    public int Drop { get; set; }
    public DateTimeOffset ComputedAt { get; set; }
}

/// <summary>A subject's score on a day it was computed; the health chart over time.</summary>
public sealed class HealthHistory
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid SubjectId { get; set; }
    public DateOnly Day { get; set; }
    public int Score { get; set; }
}

/// <summary>
/// One named part of the score: its value (0–1), the points it contributes and could contribute at most (the points of
/// all present components add up to the score), and a sentence saying why.
/// </summary>
public sealed record HealthComponent(string Code, double Value, int Points, int MaxPoints, string Explanation);

public sealed record ContactSignal(DateTimeOffset At, InteractionDirection Direction, InteractionChannel Channel);

public sealed record DealSignal(DealStatus Status, DateTimeOffset UpdatedAt, DateTimeOffset? ClosedAt);

/// <summary>What the score is computed from: contacts of the last year (and the last one ever), the keep-in-touch cadence, overdue tasks, deals, order dates.</summary>
public sealed record HealthSignals(IReadOnlyList<ContactSignal> Contacts, DateTimeOffset? LastContactEver, int? RhythmDays, int OverdueTasks,
    IReadOnlyList<DealSignal> Deals, IReadOnlyList<DateOnly> OrderDates);

public sealed record HealthResult(int Score, IReadOnlyList<HealthComponent> Components, int UsualRhythmDays, int? DaysSinceContact);

/// <summary>
/// Relationship health 0–100 from named components, each weighted; a component without data (no deals, no orders, no
/// mail to answer) is left out and the others share its weight. Weights: recency 25, trend 15, two-way 15, reply
/// latency 10, open issues 15, deals 10, purchases 10.
/// </summary>
public static class HealthModel
{
    public static readonly IReadOnlyDictionary<string, double> Weights = new Dictionary<string, double>
    {
        ["recency"] = 25, ["trend"] = 15, ["twoWay"] = 15, ["replyLatency"] = 10, ["openIssues"] = 15, ["deals"] = 10, ["purchases"] = 10,
    };

    private static readonly InteractionChannel[] Written = [InteractionChannel.Email, InteractionChannel.Chat, InteractionChannel.Sms, InteractionChannel.WebForm, InteractionChannel.Letter];

    /// <summary>The usual gap between contacts: the agreed cadence, else the median gap of the last year (at least three contacts), else 30 days.</summary>
    public static int UsualRhythm(HealthSignals s)
    {
        if (s.RhythmDays is { } r) return r;
        var times = s.Contacts.Where(c => c.Direction != InteractionDirection.Internal).Select(c => c.At).Order().ToList();
        if (times.Count < 3) return 30;
        var gaps = times.Zip(times.Skip(1), (a, b) => (b - a).TotalDays).Where(g => g >= 0.5).Order().ToList();
        return gaps.Count == 0 ? 30 : (int)Math.Clamp(Math.Round(gaps[gaps.Count / 2]), 7, 180);
    }

    public static HealthResult Compute(HealthSignals s, DateTimeOffset now)
    {
        var parts = new List<(string Code, double Value, string Why)>();
        var contacts = s.Contacts.Where(c => c.Direction != InteractionDirection.Internal && c.At <= now).OrderBy(c => c.At).ToList();
        var rhythm = UsualRhythm(s);
        var last = contacts.Count > 0 ? contacts[^1].At : s.LastContactEver;
        int? days = last is { } l ? (int)Math.Floor((now - l).TotalDays) : null;
        parts.Add(days is { } d
            ? ("recency", Lateness(d, rhythm), Text.Get("Health.Recency", d, rhythm))
            : ("recency", 0, Text.Get("Health.NoContact")));

        var recent = contacts.Count(c => c.At > now.AddDays(-90));
        var before = contacts.Count(c => c.At <= now.AddDays(-90) && c.At > now.AddDays(-180));
        if (recent + before > 0) parts.Add(("trend", 0.5 + 0.5 * (recent - before) / Math.Max(recent, before), Text.Get("Health.Trend", recent, before)));

        var halfYear = contacts.Where(c => c.At > now.AddDays(-180)).ToList();
        var inbound = halfYear.Count(c => c.Direction == InteractionDirection.Inbound);
        if (halfYear.Count > 0)
        {
            var share = (double)inbound / halfYear.Count;
            parts.Add(("twoWay", Math.Min(1, share / 0.4), Text.Get("Health.TwoWay", (int)Math.Round(share * 100))));
        }

        var latencies = new List<double>();
        foreach (var c in halfYear.Where(c => c.Direction == InteractionDirection.Inbound && Written.Contains(c.Channel)))
        {
            var answer = contacts.FirstOrDefault(o => o.Direction == InteractionDirection.Outbound && o.At >= c.At);
            if (answer is not null) latencies.Add(Math.Min(168, (answer.At - c.At).TotalHours));
            else if (now - c.At > TimeSpan.FromDays(1)) latencies.Add(Math.Min(168, (now - c.At).TotalHours));
        }
        if (latencies.Count > 0)
        {
            var median = latencies.Order().ElementAt(latencies.Count / 2);
            parts.Add(("replyLatency", median <= 24 ? 1 : Math.Max(0, 1 - (median - 24) / 144), Text.Get("Health.ReplyLatency", (int)Math.Round(median))));
        }

        parts.Add(("openIssues", Math.Max(0, 1 - s.OverdueTasks / 3.0), Text.Get("Health.OpenIssues", s.OverdueTasks)));

        var dealValues = s.Deals.Select(x => x.Status switch
        {
            DealStatus.Open => now - x.UpdatedAt <= TimeSpan.FromDays(60) ? 1.0 : 0.4,
            DealStatus.Won when x.ClosedAt > now.AddDays(-365) => 1.0,
            DealStatus.Lost when x.ClosedAt > now.AddDays(-365) => 0.3,
            _ => (double?)null,
        }).OfType<double>().ToList();
        if (dealValues.Count > 0)
        {
            parts.Add(("deals", dealValues.Max(), Text.Get("Health.Deals", s.Deals.Count(x => x.Status == DealStatus.Open),
                s.Deals.Count(x => x.Status == DealStatus.Won && x.ClosedAt > now.AddDays(-365)))));
        }

        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var orders = s.OrderDates.Where(d => d <= today).Order().ToList();
        if (orders.Count > 0)
        {
            var interval = orders.Count >= 2 ? Math.Max(7, (orders[^1].DayNumber - orders[0].DayNumber) / (orders.Count - 1)) : 365;
            var since = today.DayNumber - orders[^1].DayNumber;
            parts.Add(("purchases", Lateness(since, interval), Text.Get("Health.Purchases", since, interval)));
        }

        var total = parts.Sum(p => Weights[p.Code]);
        var components = parts.Select(p => new HealthComponent(p.Code, Math.Round(p.Value, 2), (int)Math.Round(100 * Weights[p.Code] * p.Value / total),
            (int)Math.Round(100 * Weights[p.Code] / total), p.Why)).ToList();
        var score = (int)Math.Round(parts.Sum(p => 100 * Weights[p.Code] * p.Value / total));
        return new HealthResult(Math.Clamp(score, 0, 100), components, rhythm, days);
    }

    /// <summary>1 while within the expected gap, falling to 0 at three times it.</summary>
    private static double Lateness(double days, double expected) => days <= expected ? 1 : Math.Max(0, 1 - (days - expected) / (2 * expected));
}
