namespace Motiv.Core.Analytics;

/// <summary>A cohort: the customers whose first purchase fell in <see cref="Month"/>, and the share of them buying again in each later month (index 0 = the first month, always 1).</summary>
public sealed record Cohort(DateOnly Month, int Size, IReadOnlyList<double> Retention);

/// <summary>Retention by month of first purchase: for month offset k, the share of the cohort with a purchase in the k-th month after the first.</summary>
public static class Cohorts
{
    public static List<Cohort> Retention(IEnumerable<Purchase> purchases, DateOnly asOf)
    {
        static DateOnly MonthOf(DateOnly d) => new(d.Year, d.Month, 1);
        static int Months(DateOnly from, DateOnly to) => (to.Year - from.Year) * 12 + to.Month - from.Month;
        var last = MonthOf(asOf);
        var customers = purchases.Where(p => p.Day <= asOf).GroupBy(p => p.CustomerId)
            .Select(g => g.Select(p => MonthOf(p.Day)).Distinct().Order().ToList()).ToList();
        return [.. customers.GroupBy(months => months[0]).OrderBy(g => g.Key).Select(cohort =>
        {
            var span = Months(cohort.Key, last);
            var size = cohort.Count();
            var retention = Enumerable.Range(0, span + 1)
                .Select(k => Math.Round((double)cohort.Count(months => months.Contains(cohort.Key.AddMonths(k))) / size, 4)).ToList();
            return new Cohort(cohort.Key, size, retention);
        })];
    }
}
