using Motiv.Core.Analytics;

namespace Motiv.Core.Tests;

public sealed class AssociationRuleTests
{
    /// <summary>mlxtend's example of five baskets.</summary>
    private static readonly IReadOnlyList<IReadOnlySet<string>> Baskets =
    [
        new HashSet<string> { "Milk", "Onion", "Nutmeg", "Kidney Beans", "Eggs", "Yogurt" },
        new HashSet<string> { "Dill", "Onion", "Nutmeg", "Kidney Beans", "Eggs", "Yogurt" },
        new HashSet<string> { "Milk", "Apple", "Kidney Beans", "Eggs" },
        new HashSet<string> { "Milk", "Unicorn", "Corn", "Kidney Beans", "Yogurt" },
        new HashSet<string> { "Corn", "Onion", "Kidney Beans", "Ice cream", "Eggs" },
    ];

    [Fact]
    public void Finds_the_frequent_item_sets_of_the_reference_example()
    {
        var sets = AssociationRules.FrequentItemSets(Baskets, 0.6);
        Assert.Equal(11, sets.Count);
        Assert.Equal(1.0, sets[new ItemSet<string>(["Kidney Beans"])]);
        Assert.Equal(0.6, sets[new ItemSet<string>(["Eggs", "Kidney Beans", "Onion"])], 12);
    }

    [Fact]
    public void Gives_exactly_the_nine_rules_of_the_reference_example_with_their_measures()
    {
        var rules = AssociationRules.Rules(Baskets, 0.6, 0.8);
        Assert.Equal(9, rules.Count);
        var onionEggs = Assert.Single(rules, r => r.Antecedent.SequenceEqual(["Onion"]) && r.Consequent.SequenceEqual(["Eggs"]));
        Assert.Equal(1.0, onionEggs.Confidence, 12);
        Assert.Equal(1.25, onionEggs.Lift, 12);
        Assert.Equal(0.6 - 0.6 * 0.8, onionEggs.Leverage, 12);
        Assert.Null(onionEggs.Conviction);
        var eggsBeans = Assert.Single(rules, r => r.Antecedent.SequenceEqual(["Eggs"]) && r.Consequent.SequenceEqual(["Kidney Beans"]));
        Assert.Equal(1.0, eggsBeans.Confidence, 12);
        Assert.Equal(1.0, eggsBeans.Lift, 12);
        Assert.DoesNotContain(rules, r => r.Antecedent.SequenceEqual(["Eggs"]) && r.Consequent.SequenceEqual(["Onion"])); // 0.75 < 0.8
    }

    [Fact]
    public void Counts_every_item_set_as_testing_each_set_against_each_basket_would()
    {
        // Random baskets of products with a skew, some repeated items: the supports must equal a plain count.
        var random = new Random(7);
        IReadOnlyList<int[]> baskets = [.. Enumerable.Range(0, 400).Select(_ => Enumerable.Range(0, 1 + random.Next(6)).Select(_ => (int)Math.Pow(random.Next(1000), 2) / 70_000).ToArray())];
        var sets = AssociationRules.FrequentItemSets(baskets, 0.02);
        Assert.Contains(sets.Keys, s => s.Items.Count == 3);
        var items = baskets.SelectMany(b => b).Distinct().Order().ToList();
        var candidates = items.Select(i => new ItemSet<int>([i]))
            .Concat(items.SelectMany(a => items.Where(b => b > a).Select(b => new ItemSet<int>([a, b]))))
            .Concat(items.SelectMany(a => items.Where(b => b > a).SelectMany(b => items.Where(c => c > b).Select(c => new ItemSet<int>([a, b, c])))));
        foreach (var candidate in candidates)
        {
            var support = (double)baskets.Count(b => candidate.Items.All(b.Contains)) / baskets.Count;
            if (support >= 0.02) Assert.Equal(support, sets[candidate], 12);
            else Assert.False(sets.ContainsKey(candidate), candidate.ToString());
        }
        Assert.DoesNotContain(AssociationRules.FrequentItemSets(baskets, 0.02, maxSize: 2).Keys, s => s.Items.Count > 2);
    }

    [Fact]
    public void Conviction_is_finite_below_full_confidence()
    {
        var rule = AssociationRules.Rules(Baskets, 0.6, 0.7).Single(r => r.Antecedent.SequenceEqual(["Eggs"]) && r.Consequent.SequenceEqual(["Onion"]));
        Assert.Equal(0.75, rule.Confidence, 12);
        Assert.Equal((1 - 0.6) / (1 - 0.75), rule.Conviction!.Value, 12);
    }
}

public sealed class RfmTests
{
    private static CustomerHistory Customer(int lastDaysAgo, int purchases, decimal total) =>
        new(Guid.CreateVersion7(), purchases - 1, 0, 0, 0, default, new DateOnly(2026, 11, 27).AddDays(-lastDaysAgo), total);

    [Fact]
    public void Quintiles_give_ties_the_better_score_regardless_of_order()
    {
        Assert.Equal([5, 5, 4, 4, 3, 3, 2, 2, 1, 1], Rfm.Quintiles([10m, 9m, 8m, 7m, 6m, 5m, 4m, 3m, 2m, 1m]));
        Assert.Equal([5, 5, 5, 2, 1], Rfm.Quintiles([7m, 7m, 7m, 3m, 1m]));
        Assert.Equal([1, 5, 5, 2, 5], Rfm.Quintiles([1m, 7m, 7m, 3m, 7m]));
    }

    [Fact]
    public void Scores_and_segments_follow_the_documented_rules()
    {
        var champion = Customer(1, 20, 5000m);
        var lost = Customer(400, 1, 30m);
        var atRisk = Customer(300, 12, 900m);
        var fresh = Customer(2, 1, 40m);
        var others = Enumerable.Range(0, 6).Select(i => Customer(60 + i * 20, 3 + i % 3, 200m + i * 50)).ToList();
        var scores = Rfm.Score([champion, lost, atRisk, fresh, .. others], new DateOnly(2026, 11, 27)).ToDictionary(s => s.CustomerId);
        Assert.Equal((5, 5, 5, RfmSegment.Champions), (scores[champion.CustomerId].R, scores[champion.CustomerId].F, scores[champion.CustomerId].M, scores[champion.CustomerId].Segment));
        Assert.Equal(RfmSegment.Lost, scores[lost.CustomerId].Segment);
        Assert.Equal(RfmSegment.CannotLoseThem, scores[atRisk.CustomerId].Segment);
        Assert.Equal(RfmSegment.NewCustomers, scores[fresh.CustomerId].Segment);
        Assert.Equal(400, scores[lost.CustomerId].RecencyDays);
    }
}

public sealed class CohortTests
{
    [Fact]
    public void Retention_is_the_share_of_each_first_purchase_month_buying_again_k_months_later()
    {
        Guid a = Guid.CreateVersion7(), b = Guid.CreateVersion7(), c = Guid.CreateVersion7(), d = Guid.CreateVersion7();
        var purchases = new[]
        {
            new Purchase(a, new DateOnly(2026, 1, 5), 1), new Purchase(a, new DateOnly(2026, 2, 5), 1), new Purchase(a, new DateOnly(2026, 2, 20), 1),
            new Purchase(b, new DateOnly(2026, 1, 31), 1), new Purchase(b, new DateOnly(2026, 3, 1), 1),
            new Purchase(c, new DateOnly(2026, 2, 10), 1), new Purchase(c, new DateOnly(2026, 3, 10), 1),
            new Purchase(d, new DateOnly(2026, 4, 1), 1),
        };
        var cohorts = Cohorts.Retention(purchases, new DateOnly(2026, 3, 31));
        Assert.Equal(2, cohorts.Count);
        Assert.Equal((new DateOnly(2026, 1, 1), 2), (cohorts[0].Month, cohorts[0].Size));
        Assert.Equal([1.0, 0.5, 0.5], cohorts[0].Retention);
        Assert.Equal((new DateOnly(2026, 2, 1), 1), (cohorts[1].Month, cohorts[1].Size));
        Assert.Equal([1.0, 1.0], cohorts[1].Retention);
    }
}

public sealed class CsvExportTests
{
    [Theory]
    [InlineData("=SUM(A1:A9)", "'=SUM(A1:A9)")]
    [InlineData("+49 30 123", "'+49 30 123")]
    [InlineData("-2+3", "'-2+3")]
    [InlineData("@cmd", "'@cmd")]
    [InlineData("\tTab", "'\tTab")]
    [InlineData("Müller, Anna", "\"Müller, Anna\"")]
    [InlineData("Sie sagte \"ja\"", "\"Sie sagte \"\"ja\"\"\"")]
    [InlineData("=1,2", "\"'=1,2\"")]
    [InlineData("plain", "plain")]
    [InlineData(null, "")]
    public void Cells_a_spreadsheet_would_run_are_neutralised_and_fields_are_quoted(string? value, string expected) =>
        Assert.Equal(expected, ExportService.Csv(value));

    [Fact]
    public void The_raw_export_keeps_values_as_they_are() => Assert.Equal("=SUM(A1)", ExportService.Csv("=SUM(A1)", raw: true));
}

public sealed class VCardTests
{
    [Fact]
    public void Writes_a_vcard_4_with_escaped_values_and_folded_lines()
    {
        var note = "Kennt uns seit der Messe; mag kurze Mails, keine Anrufe vor 10 Uhr.\nZweite Zeile mit Umlauten äöü und einem Emoji 😀 " + new string('x', 60);
        var person = new Customers.PersonDto(Guid.CreateVersion7(), Customers.Salutation.Ms, "Dr.", "Anna", "Müller, Schmidt", "Dr. Anna Müller, Schmidt",
            [new Customers.EmailAddress("anna@kunde.example")], [new Customers.PhoneNumber("+4930123456", Customers.PhoneType.Mobile)],
            [new Customers.PostalAddress("Hafenstraße 1", "20457", "Hamburg", "DE")], new DateOnly(1980, 2, 29), "de", null,
            [new Customers.EmploymentDto(Guid.CreateVersion7(), "Kunde; GmbH", "Einkauf", null, true, null, null)], ["vip"], null, note,
            Guid.Empty, null, Common.Visibility.Everyone, DateTimeOffset.UnixEpoch, Guid.Empty, DateTimeOffset.UnixEpoch, Guid.Empty, 1, new Dictionary<string, object?>());
        var card = VCard.Write(person);
        Assert.StartsWith("BEGIN:VCARD\r\nVERSION:4.0\r\n", card);
        Assert.Contains("N:Müller\\, Schmidt;Anna;;Dr.;\r\n", card);
        Assert.Contains("ORG:Kunde\\; GmbH\r\n", card);
        Assert.Contains("TEL;VALUE=uri;TYPE=cell:tel:+4930123456\r\n", card);
        Assert.Contains("BDAY:19800229\r\n", card);
        Assert.All(card.Split("\r\n"), line => Assert.True(System.Text.Encoding.UTF8.GetByteCount(line) <= 75, line));
        var unfolded = card.Replace("\r\n ", "", StringComparison.Ordinal);
        Assert.Contains("NOTE:Kennt uns seit der Messe\\; mag kurze Mails\\, keine Anrufe vor 10 Uhr.\\nZweite Zeile mit Umlauten äöü und einem Emoji 😀 ", unfolded);
        Assert.EndsWith("END:VCARD\r\n", card);
    }
}
