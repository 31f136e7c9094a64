using System.Runtime.InteropServices;

namespace Motiv.Core.Analytics;

/// <summary>A rule "who buys <see cref="Antecedent"/> also buys <see cref="Consequent"/>" with its standard measures.</summary>
public sealed record AssociationRule<T>(IReadOnlyList<T> Antecedent, IReadOnlyList<T> Consequent, double AntecedentSupport, double ConsequentSupport,
    double Support, double Confidence, double Lift, double Leverage, double? Conviction)
{
    /// <summary>The same rule over other items (product numbers to ids or names).</summary>
    public AssociationRule<TOut> Map<TOut>(Func<T, TOut> item) =>
        new([.. Antecedent.Select(item)], [.. Consequent.Select(item)], AntecedentSupport, ConsequentSupport, Support, Confidence, Lift, Leverage, Conviction);
}

/// <summary>
/// Frequent itemsets level by level, as Apriori does, and the rules between them: support = share of baskets with all
/// items, confidence = support(A ∪ C) / support(A), lift = confidence / support(C), leverage = support(A ∪ C) −
/// support(A) · support(C), conviction = (1 − support(C)) / (1 − confidence) (null when the confidence is 1: infinite).
/// Each level reads every basket once and counts the item sets that occur in it, made only of items still in a frequent
/// set of the level below (a set is never more frequent than its subsets). Classic Apriori instead tests every
/// candidate against every basket: 2,000 products × 2,000,000 orders are four billion tests for the first level alone.
/// </summary>
public static class AssociationRules
{
    public static Dictionary<ItemSet<T>, double> FrequentItemSets<T>(IReadOnlyList<IReadOnlyCollection<T>> baskets, double minSupport, int maxSize = int.MaxValue)
        where T : IComparable<T>
    {
        if (minSupport is <= 0 or > 1) throw new ArgumentOutOfRangeException(nameof(minSupport));
        var result = new Dictionary<ItemSet<T>, double>();
        var minCount = minSupport * baskets.Count - 1e-9;
        HashSet<T>? alive = null;
        var items = new List<T>();
        for (var size = 1; size <= maxSize; size++)
        {
            var counts = new Dictionary<ItemSet<T>, int>();
            foreach (var basket in baskets)
            {
                items.Clear();
                foreach (var item in basket)
                    if (alive is null || alive.Contains(item)) items.Add(item);
                if (items.Count < size) continue;
                items.Sort();
                foreach (var set in ItemSet<T>.Combinations(items, size))
                    CollectionsMarshal.GetValueRefOrAddDefault(counts, set, out _)++;
            }
            alive = [];
            foreach (var (set, count) in counts)
            {
                if (count < minCount) continue;
                result[set] = (double)count / baskets.Count;
                alive.UnionWith(set.Items);
            }
            if (alive.Count <= size) break; // no set of the next size can be made of fewer items
        }
        return result;
    }

    public static List<AssociationRule<T>> Rules<T>(IReadOnlyList<IReadOnlyCollection<T>> baskets, double minSupport, double minConfidence, int maxSize = int.MaxValue)
        where T : IComparable<T>
    {
        if (minConfidence is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(minConfidence));
        var sets = FrequentItemSets(baskets, minSupport, maxSize);
        var rules = new List<AssociationRule<T>>();
        foreach (var (set, support) in sets.Where(s => s.Key.Items.Count > 1))
        {
            for (var size = 1; size < set.Items.Count; size++)
            {
                foreach (var antecedent in set.Subsets(size))
                {
                    var consequent = new ItemSet<T>([.. set.Items.Except(antecedent.Items)]);
                    double a = sets[antecedent], c = sets[consequent];
                    var confidence = support / a;
                    if (confidence < minConfidence - 1e-12) continue;
                    rules.Add(new AssociationRule<T>(antecedent.Items, consequent.Items, a, c, support, confidence, confidence / c, support - a * c,
                        confidence >= 1 - 1e-12 ? null : (1 - c) / (1 - confidence)));
                }
            }
        }
        return [.. rules.OrderByDescending(r => r.Lift).ThenByDescending(r => r.Confidence).ThenByDescending(r => r.Support)];
    }
}

/// <summary>A set of items in sorted order, compared by its items.</summary>
public sealed class ItemSet<T> : IEquatable<ItemSet<T>> where T : IComparable<T>
{
    private readonly T[] items;
    private readonly int hash;

    public ItemSet(IEnumerable<T> items) : this([.. items.Distinct().Order()], sorted: true)
    {
    }

    private ItemSet(T[] sortedDistinct, bool sorted)
    {
        items = sortedDistinct;
        hash = items.Aggregate(17, (h, i) => HashCode.Combine(h, i));
    }

    public IReadOnlyList<T> Items => items;

    public IEnumerable<ItemSet<T>> Subsets(int size) => Combinations(items, size);

    /// <summary>Every set of <paramref name="size"/> items out of <paramref name="sorted"/> (in order; repeated items count once).</summary>
    public static IEnumerable<ItemSet<T>> Combinations(IReadOnlyList<T> sorted, int size)
    {
        var distinct = new List<T>(sorted.Count);
        foreach (var item in sorted)
            if (distinct.Count == 0 || !EqualityComparer<T>.Default.Equals(distinct[^1], item)) distinct.Add(item);
        if (size < 1 || size > distinct.Count) yield break;
        var at = Enumerable.Range(0, size).ToArray();
        while (true)
        {
            var set = new T[size];
            for (var i = 0; i < size; i++) set[i] = distinct[at[i]];
            yield return new ItemSet<T>(set, sorted: true);
            var k = size - 1;
            while (k >= 0 && at[k] == distinct.Count - size + k) k--;
            if (k < 0) yield break;
            at[k]++;
            for (var i = k + 1; i < size; i++) at[i] = at[i - 1] + 1;
        }
    }

    public bool Equals(ItemSet<T>? other) => other is not null && hash == other.hash && items.AsSpan().SequenceEqual(other.items, EqualityComparer<T>.Default);

    public override bool Equals(object? obj) => obj is ItemSet<T> s && Equals(s);

    public override int GetHashCode() => hash;

    public override string ToString() => "{" + string.Join(", ", items) + "}";
}
