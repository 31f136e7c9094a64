namespace Motiv.Core.Analytics;

public enum RfmSegment
{
    Champions,
    Loyal,
    PotentialLoyalists,
    NewCustomers,
    CannotLoseThem,
    AtRisk,
    NeedAttention,
    Hibernating,
    Lost,
}

/// <summary>A customer's RFM scores (1–5 each; 5 = bought most recently, most often, for the most) and segment.</summary>
public sealed record RfmScore(Guid CustomerId, int RecencyDays, int Frequency, decimal Monetary, int R, int F, int M, RfmSegment Segment);

/// <summary>
/// RFM by quintiles. Each measure ranks the customers (recency: fewer days since the last purchase is better;
/// frequency: more purchase days; monetary: more spent); the score is 5 − ⌊(rank − 1) · 5 / n⌋, where the rank is
/// 1 + the number of customers strictly better. Ties therefore share the better score (standard competition
/// ranking), and the result does not depend on the order of the input. Segments, checked in this order:
/// Champions R≥4, F≥4, M≥4; Cannot lose them R≤2, F≥4, M≥4; Loyal R≥3, F≥4; New customers R=5, F=1;
/// Potential loyalists R≥4, F 2–3; At risk R≤2, F≥3; Lost R=1, F≤2; Hibernating R=2, F≤2; else Need attention.
/// </summary>
public static class Rfm
{
    public static List<RfmScore> Score(IReadOnlyList<CustomerHistory> customers, DateOnly asOf)
    {
        var n = customers.Count;
        if (n == 0) return [];
        var recency = customers.Select(c => asOf.DayNumber - c.Last.DayNumber).ToArray();
        var frequency = customers.Select(c => c.Frequency + 1).ToArray();
        var monetary = customers.Select(c => c.Total).ToArray();
        var r = Quintiles(recency.Select(d => (decimal)-d).ToArray());
        var f = Quintiles(frequency.Select(x => (decimal)x).ToArray());
        var m = Quintiles(monetary);
        return [.. customers.Select((c, i) => new RfmScore(c.CustomerId, recency[i], frequency[i], monetary[i], r[i], f[i], m[i], Segment(r[i], f[i], m[i])))];
    }

    /// <summary>Scores 1–5 where higher values are better; ties share the better score.</summary>
    public static int[] Quintiles(decimal[] values)
    {
        var n = values.Length;
        var sorted = values.OrderDescending().ToArray();
        return [.. values.Select(v =>
        {
            var better = LowerBound(sorted, v);
            return 5 - better * 5 / n;
        })];
    }

    /// <summary>How many entries of a descending array are strictly greater than <paramref name="v"/>.</summary>
    private static int LowerBound(decimal[] descending, decimal v)
    {
        int lo = 0, hi = descending.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) / 2;
            if (descending[mid] > v) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    public static RfmSegment Segment(int r, int f, int m) => (r, f, m) switch
    {
        ( >= 4, >= 4, >= 4) => RfmSegment.Champions,
        ( <= 2, >= 4, >= 4) => RfmSegment.CannotLoseThem,
        ( >= 3, >= 4, _) => RfmSegment.Loyal,
        (5, 1, _) => RfmSegment.NewCustomers,
        ( >= 4, 2 or 3, _) => RfmSegment.PotentialLoyalists,
        ( <= 2, >= 3, _) => RfmSegment.AtRisk,
        (1, <= 2, _) => RfmSegment.Lost,
        (2, <= 2, _) => RfmSegment.Hibernating,
        _ => RfmSegment.NeedAttention,
    };
}
