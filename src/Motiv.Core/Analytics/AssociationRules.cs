namespace Motiv.Core.Analytics;

/// <summary>A rule "who buys <see cref="Antecedent"/> also buys <see cref="Consequent"/>" with its standard measures.</summary>
public sealed record AssociationRule<T>(IReadOnlyList<T> Antecedent, IReadOnlyList<T> Consequent, double AntecedentSupport, double ConsequentSupport,
    double Support, double Confidence, double Lift, double Leverage, double? Conviction);

/// <summary>
/// Frequent itemsets by Apriori (level by level, a candidate's every subset must be frequent) and the rules between
/// them: support = share of baskets with all items, confidence = support(A ∪ C) / support(A), lift = confidence /
/// support(C), leverage = support(A ∪ C) − support(A) · support(C), conviction = (1 − support(C)) / (1 − confidence)
/// (null when the confidence is 1: infinite).
/// </summary>
public static class AssociationRules
{
    public static Dictionary<ItemSet<T>, double> FrequentItemSets<T>(IReadOnlyList<IReadOnlySet<T>> baskets, double minSupport, int maxSize = int.MaxValue) where T : IComparable<T>
    {
        if (minSupport is <= 0 or > 1) throw new ArgumentOutOfRangeException(nameof(minSupport));
        var result = new Dictionary<ItemSet<T>, double>();
        if (baskets.Count == 0) return result;
        var minCount = minSupport * baskets.Count - 1e-9;
        var level = baskets.SelectMany(b => b).Distinct().Select(i => new ItemSet<T>([i])).ToList();
        while (level.Count > 0 && level[0].Items.Count <= maxSize)
        {
            var counts = level.ToDictionary(s => s, s => baskets.Count(b => s.Items.All(b.Contains)));
            var frequent = counts.Where(c => c.Value >= minCount).Select(c => c.Key).ToList();
            foreach (var s in frequent) result[s] = (double)counts[s] / baskets.Count;
            var known = frequent.ToHashSet();
            // Join sets that share all but their last item; keep a candidate only if all its subsets are frequent.
            level = [.. (from x in frequent
                         from y in frequent
                         where x.Items.Count == y.Items.Count && x.Items.Take(x.Items.Count - 1).SequenceEqual(y.Items.Take(y.Items.Count - 1))
                             && x.Items[^1].CompareTo(y.Items[^1]) < 0
                         let candidate = new ItemSet<T>([.. x.Items, y.Items[^1]])
                         where candidate.Subsets(candidate.Items.Count - 1).All(known.Contains)
                         select candidate).Distinct()];
        }
        return result;
    }

    public static List<AssociationRule<T>> Rules<T>(IReadOnlyList<IReadOnlySet<T>> baskets, double minSupport, double minConfidence, int maxSize = int.MaxValue)
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
    public ItemSet(IEnumerable<T> items) => Items = [.. items.Distinct().Order()];

    public IReadOnlyList<T> Items { get; }

    public IEnumerable<ItemSet<T>> Subsets(int size) => Combinations(0, size).Select(c => new ItemSet<T>(c));

    private IEnumerable<List<T>> Combinations(int start, int size)
    {
        if (size == 0)
        {
            yield return [];
            yield break;
        }
        for (var i = start; i <= Items.Count - size; i++)
            foreach (var rest in Combinations(i + 1, size - 1))
                yield return [Items[i], .. rest];
    }

    public bool Equals(ItemSet<T>? other) => other is not null && Items.SequenceEqual(other.Items);

    public override bool Equals(object? obj) => obj is ItemSet<T> s && Equals(s);

    public override int GetHashCode() => Items.Aggregate(17, (h, i) => HashCode.Combine(h, i));

    public override string ToString() => "{" + string.Join(", ", Items) + "}";
}
