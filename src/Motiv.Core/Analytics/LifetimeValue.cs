using MathNet.Numerics;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.Optimization;

namespace Motiv.Core.Analytics;

/// <summary>One purchase as the models read it: the customer, the day, the amount (in the base currency).</summary>
public readonly record struct Purchase(Guid CustomerId, DateOnly Day, decimal Amount);

/// <summary>
/// A customer's purchase history as the BG/NBD and Gamma-Gamma models see it, in time units (weeks or days):
/// <see cref="Frequency"/> repeat purchase days after the first, <see cref="Recency"/> the time from the first to the
/// last purchase, <see cref="Age"/> (T) the time from the first purchase to the end of the calibration period, and
/// <see cref="MonetaryValue"/> the mean of the repeat purchase days' totals (0 without repeats).
/// </summary>
public readonly record struct CustomerHistory(Guid CustomerId, int Frequency, double Recency, double Age, double MonetaryValue, DateOnly First, DateOnly Last, decimal Total);

public static class CustomerHistories
{
    /// <summary>
    /// Summarises purchases up to and including <paramref name="end"/>: purchases on the same day count as one (their
    /// amounts add up), as in Fader, Hardie and Lee; <paramref name="unitDays"/> is 7 for weeks, 1 for days.
    /// </summary>
    public static List<CustomerHistory> Summarise(IEnumerable<Purchase> purchases, DateOnly end, int unitDays)
    {
        if (unitDays < 1) throw new ArgumentOutOfRangeException(nameof(unitDays));
        var result = new List<CustomerHistory>();
        foreach (var customer in purchases.Where(p => p.Day <= end).GroupBy(p => p.CustomerId))
        {
            var days = customer.GroupBy(p => p.Day).Select(d => (Day: d.Key, Amount: d.Sum(p => p.Amount))).OrderBy(d => d.Day).ToList();
            var first = days[0].Day;
            var last = days[^1].Day;
            var repeats = days.Skip(1).ToList();
            result.Add(new CustomerHistory(customer.Key, repeats.Count, (double)(last.DayNumber - first.DayNumber) / unitDays,
                (double)(end.DayNumber - first.DayNumber) / unitDays, repeats.Count == 0 ? 0 : (double)repeats.Average(d => d.Amount), first, last, days.Sum(d => d.Amount)));
        }
        return result;
    }
}

/// <summary>The BG/NBD parameters: purchase rate heterogeneity Gamma(r, α), dropout probability Beta(a, b).</summary>
public sealed record BgNbdParameters(double R, double Alpha, double A, double B, double LogLikelihood);

/// <summary>
/// The beta-geometric/negative binomial distribution model of Fader, Hardie and Lee (2005), "Counting your customers
/// the easy way": how often customers buy while alive, and when they drop out. Fitted by maximum likelihood.
/// </summary>
public static class BgNbd
{
    /// <summary>The log-likelihood of one customer's (x, t_x, T) (equation 6 of the paper, in logs).</summary>
    public static double LogLikelihood(double r, double alpha, double a, double b, int x, double tx, double t)
    {
        var a1 = SpecialFunctions.GammaLn(r + x) - SpecialFunctions.GammaLn(r) + r * Math.Log(alpha);
        var a2 = SpecialFunctions.GammaLn(a + b) + SpecialFunctions.GammaLn(b + x) - SpecialFunctions.GammaLn(b) - SpecialFunctions.GammaLn(a + b + x);
        var a3 = -(r + x) * Math.Log(alpha + t);
        if (x == 0) return a1 + a2 + a3;
        var a4 = Math.Log(a) - Math.Log(b + x - 1) - (r + x) * Math.Log(alpha + tx);
        return a1 + a2 + LogSumExp(a3, a4);
    }

    public static double LogLikelihood(BgNbdParameters p, IEnumerable<CustomerHistory> customers) =>
        customers.Sum(c => LogLikelihood(p.R, p.Alpha, p.A, p.B, c.Frequency, c.Recency, c.Age));

    /// <summary>Maximum likelihood by Nelder-Mead on the parameters' logarithms (all four are positive).</summary>
    public static BgNbdParameters Fit(IReadOnlyList<CustomerHistory> customers)
    {
        if (customers.Count == 0) throw new ArgumentException("No customers to fit.", nameof(customers));
        // Identical histories share one term: the sum runs over distinct (x, t_x, T) with their counts. The terms that depend
        // on x alone (four log-gammas) are summed once per distinct x with its count, so a customer costs three logarithms.
        var groups = customers.GroupBy(c => (c.Frequency, c.Recency, c.Age)).Select(g => (g.Key.Frequency, g.Key.Recency, g.Key.Age, Count: g.Count())).ToArray();
        var byX = groups.GroupBy(g => g.Frequency).Select(g => (X: g.Key, Count: g.Sum(x => x.Count))).ToArray();
        double Objective(Vector<double> v)
        {
            double r = Math.Exp(v[0]), alpha = Math.Exp(v[1]), a = Math.Exp(v[2]), b = Math.Exp(v[3]);
            double lnAlpha = Math.Log(alpha), lnA = Math.Log(a), gR = SpecialFunctions.GammaLn(r), gAb = SpecialFunctions.GammaLn(a + b), gB = SpecialFunctions.GammaLn(b);
            var sum = 0.0;
            foreach (var (x, n) in byX)
                sum += n * (SpecialFunctions.GammaLn(r + x) - gR + r * lnAlpha + gAb + SpecialFunctions.GammaLn(b + x) - gB - SpecialFunctions.GammaLn(a + b + x));
            // A hundred thousand histories take most of a run's time: the sum is split into fixed slices, one per core,
            // added up in order (so the result does not depend on which thread finished first).
            var slices = Math.Clamp(groups.Length / 10_000, 1, Environment.ProcessorCount);
            var partial = new double[slices];
            Parallel.For(0, slices, slice =>
            {
                var part = 0.0;
                for (var i = slice * groups.Length / slices; i < (slice + 1) * groups.Length / slices; i++)
                {
                    var (x, tx, t, n) = groups[i];
                    var a3 = -(r + x) * Math.Log(alpha + t);
                    part += n * (x == 0 ? a3 : LogSumExp(a3, lnA - Math.Log(b + x - 1) - (r + x) * Math.Log(alpha + tx)));
                }
                partial[slice] = part;
            });
            foreach (var part in partial) sum += part;
            return double.IsFinite(sum) ? -sum : double.MaxValue;
        }
        var result = Minimise(Objective, [0, 0, 0, 0]);
        var p = result.Select(Math.Exp).ToArray();
        return new BgNbdParameters(p[0], p[1], p[2], p[3], -Objective(Vector<double>.Build.DenseOfArray(result)));
    }

    /// <summary>P(alive | x, t_x, T): the probability that the customer has not dropped out.</summary>
    public static double ProbabilityAlive(BgNbdParameters p, int x, double tx, double t) =>
        x == 0 ? 1 : 1 / (1 + p.A / (p.B + x - 1) * Math.Pow((p.Alpha + t) / (p.Alpha + tx), p.R + x));

    /// <summary>E[Y(t) | x, t_x, T]: the expected number of purchases in the next <paramref name="horizon"/> time units (equation 10).</summary>
    public static double ExpectedPurchases(BgNbdParameters p, int x, double tx, double t, double horizon)
    {
        var (r, alpha, a, b) = (p.R, p.Alpha, p.A, p.B);
        var first = (a + b + x - 1) / (a - 1);
        var hyp = Hypergeometric2F1(r + x, b + x, a + b + x - 1, horizon / (alpha + t + horizon));
        var second = 1 - Math.Pow((alpha + t) / (alpha + t + horizon), r + x) * hyp;
        var denominator = 1 + (x > 0 ? a / (b + x - 1) * Math.Pow((alpha + t) / (alpha + tx), r + x) : 0);
        return first * second / denominator;
    }

    /// <summary>Gauss's hypergeometric function ₂F₁(a, b; c; z) for 0 ≤ z &lt; 1, by its series.</summary>
    public static double Hypergeometric2F1(double a, double b, double c, double z)
    {
        if (z is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(z));
        double term = 1, sum = 1;
        for (var k = 0; k < 100_000; k++)
        {
            term *= (a + k) * (b + k) / ((c + k) * (k + 1)) * z;
            sum += term;
            if (Math.Abs(term) < 1e-15 * Math.Abs(sum)) break;
        }
        return sum;
    }

    internal static double LogSumExp(double x, double y)
    {
        var max = Math.Max(x, y);
        return max + Math.Log(Math.Exp(x - max) + Math.Exp(y - max));
    }

    /// <summary>
    /// Nelder-Mead from a start, restarted from its result once (the simplex can stall on flat likelihoods; the restart
    /// gets 1,000 iterations). The log
    /// parameters are kept within ±15 (parameters between 3·10⁻⁷ and 3·10⁶): data without a dropout pattern drives a
    /// parameter towards zero or infinity, and the search would otherwise never end. Throws
    /// <see cref="InvalidOperationException"/> when it does not settle.
    /// </summary>
    internal static double[] Minimise(Func<Vector<double>, double> objective, double[] start)
    {
        var function = ObjectiveFunction.Value(v => v.Any(x => double.IsNaN(x) || Math.Abs(x) > 15) ? double.MaxValue / 4 : objective(v));
        // A likelihood that is flat towards a bound settles with a looser tolerance.
        foreach (var tolerance in new[] { 1e-10, 1e-7 })
        {
            Vector<double> point;
            try
            {
                point = NelderMeadSimplex.Minimum(function, Vector<double>.Build.DenseOfArray(start), tolerance, 20_000).MinimizingPoint;
            }
            catch (MaximumIterationsException)
            {
                continue;
            }
            // The restart only checks the optimum; one that cannot settle near it (rounding noise at 100,000 customers kept it
            // busy for 20,000 iterations, a minute) leaves the first result standing.
            try
            {
                return NelderMeadSimplex.Minimum(function, point, tolerance, 1_000).MinimizingPoint.ToArray();
            }
            catch (MaximumIterationsException)
            {
                return point.ToArray();
            }
        }
        throw new InvalidOperationException("The model did not converge on this data.");
    }
}

/// <summary>The Gamma-Gamma spend parameters: spend per transaction ~ Gamma(p, ν), ν ~ Gamma(q, v).</summary>
public sealed record GammaGammaParameters(double P, double Q, double V, double LogLikelihood);

/// <summary>
/// The Gamma-Gamma model of spend per transaction (Fader, Hardie and Lee 2005, "RFM and CLV"), fitted on customers with
/// repeat purchases from their number of repeat purchases and the mean of those purchases' amounts.
/// </summary>
public static class GammaGamma
{
    public static double LogLikelihood(double p, double q, double v, int x, double m) =>
        SpecialFunctions.GammaLn(p * x + q) - SpecialFunctions.GammaLn(p * x) - SpecialFunctions.GammaLn(q) + q * Math.Log(v)
        + (p * x - 1) * Math.Log(m) + p * x * Math.Log(x) - (p * x + q) * Math.Log(x * m + v);

    public static GammaGammaParameters Fit(IReadOnlyList<CustomerHistory> customers)
    {
        var repeat = customers.Where(c => c.Frequency > 0 && c.MonetaryValue > 0).Select(c => (c.Frequency, c.MonetaryValue)).ToArray();
        if (repeat.Length == 0) throw new ArgumentException("No customers with repeat purchases to fit.", nameof(customers));
        // LogLikelihood summed with what depends on x alone once per distinct x, and each customer's logarithms taken once.
        var byX = repeat.GroupBy(c => c.Frequency).Select(g => (X: g.Key, Count: g.Count())).ToArray();
        var terms = repeat.Select(c => (X: (double)c.Frequency, M: c.MonetaryValue, LnM: Math.Log(c.MonetaryValue), XLnX: c.Frequency * Math.Log(c.Frequency))).ToArray();
        double Objective(Vector<double> w)
        {
            double p = Math.Exp(w[0]), q = Math.Exp(w[1]), v = Math.Exp(w[2]);
            double gQ = SpecialFunctions.GammaLn(q), lnV = Math.Log(v);
            var sum = 0.0;
            foreach (var (x, n) in byX) sum += n * (SpecialFunctions.GammaLn(p * x + q) - SpecialFunctions.GammaLn(p * x) - gQ + q * lnV);
            foreach (var (x, m, lnM, xLnX) in terms) sum += (p * x - 1) * lnM + p * xLnX - (p * x + q) * Math.Log(x * m + v);
            return double.IsFinite(sum) ? -sum : double.MaxValue;
        }
        var result = BgNbd.Minimise(Objective, [0, 0, 0]);
        var e = result.Select(Math.Exp).ToArray();
        return new GammaGammaParameters(e[0], e[1], e[2], -Objective(Vector<double>.Build.DenseOfArray(result)));
    }

    /// <summary>E[M | x, m̄]: the expected spend per transaction, between the population mean and the customer's own mean.</summary>
    public static double ExpectedSpend(GammaGammaParameters g, int x, double m) => g.P * (g.V + x * m) / (g.P * x + g.Q - 1);
}
