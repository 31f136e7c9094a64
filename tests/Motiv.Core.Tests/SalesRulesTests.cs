using Motiv.Core.Common;
using Motiv.Core.Sales;

namespace Motiv.Core.Tests;

public sealed class SalesRulesTests
{
    [Theory]
    [InlineData("AN-{year}-{number:0000}", 2026, 7, "AN-2026-0007")]
    [InlineData("AB-{year}-{number:0000}", 2027, 12345, "AB-2027-12345")]
    [InlineData("Q{number}/{year}", 2026, 42, "Q42/2026")]
    public void Document_numbers_follow_the_configured_pattern(string pattern, int year, int number, string expected) =>
        Assert.Equal(expected, Numbering.Format(pattern, year, number));

    [Fact]
    public void A_lead_scores_the_sum_of_the_rules_it_matches_with_the_reasons()
    {
        var rules = new[]
        {
            Rule(ScoreField.Industry, ScoreOperator.Equals, "Maschinenbau", 15),
            Rule(ScoreField.Employees, ScoreOperator.AtLeast, "50", 10),
            Rule(ScoreField.Employees, ScoreOperator.AtLeast, "500", 10),
            Rule(ScoreField.Country, ScoreOperator.Equals, "DE", 5),
            Rule(ScoreField.Source, ScoreOperator.Equals, "Referral", 8),
            Rule(ScoreField.FormSubmissions, ScoreOperator.AtMost, "0", -5, ScoreCategory.Engagement),
            Rule(ScoreField.Interactions, ScoreOperator.AtLeast, "2", 12, ScoreCategory.Engagement),
        };
        rules[^1].IsActive = false;
        var lead = new Lead { LastName = "X", Industry = "maschinenbau", Employees = 120, Country = "AT", Source = LeadSource.Referral, FormSubmissions = 0, Interactions = 5 };
        var (score, reasons) = LeadScoring.Evaluate(lead, rules);
        Assert.Equal(15 + 10 + 8 - 5, score);
        Assert.Equal(["Maschinenbau", "50", "Referral", "0"], reasons.Select(r => r.LabelEn).ToArray());
        Assert.Equal(ScoreCategory.Engagement, reasons[^1].Category);
        // Nothing known: only "no web form yet" applies, and says so.
        var (empty, why) = LeadScoring.Evaluate(new Lead { LastName = "Y" }, rules);
        Assert.Equal(-5, empty);
        Assert.Equal("0", Assert.Single(why).LabelEn);
    }

    private static LeadScoringRule Rule(ScoreField field, ScoreOperator op, string value, int points, ScoreCategory category = ScoreCategory.Fit) =>
        new() { Category = category, Field = field, Operator = op, Value = value, Points = points, LabelDe = value, LabelEn = value };

    [Theory]
    [InlineData("DE89370400440532013000", true)]
    [InlineData("GB82WEST12345698765432", true)]
    [InlineData("DE89370400440532013001", false)]
    [InlineData("DE00123", false)]
    public void Ibans_are_checked_by_their_check_digits(string iban, bool valid) => Assert.Equal(valid, SettingsService.IsValidIban(iban));

    [Fact]
    public void A_rate_table_converts_at_the_latest_rate_on_or_before_the_date_and_refuses_without_one()
    {
        var table = new RateTable("EUR", new Dictionary<string, List<(DateOnly, decimal)>>
        {
            ["USD"] = [(new DateOnly(2026, 1, 1), 0.9m), (new DateOnly(2026, 6, 1), 0.95m)],
        });
        Assert.Equal(90.00m, table.Convert(new Money(100, "USD"), new DateOnly(2026, 5, 31))!.Base.Amount);
        var june = table.Convert(new Money(10.005m, "USD"), new DateOnly(2026, 7, 1))!;
        Assert.Equal((9.50m, new DateOnly(2026, 6, 1)), (june.Base.Amount, june.RateDate));
        Assert.Null(table.Convert(new Money(100, "USD"), new DateOnly(2025, 12, 31)));
        Assert.Null(table.Convert(new Money(100, "CHF"), new DateOnly(2026, 7, 1)));
        Assert.Equal(12.35m, table.Convert(new Money(12.345m, "EUR"), new DateOnly(2026, 7, 1))!.Base.Amount);
    }

    [Fact]
    public void Images_are_recognised_by_their_content_not_their_name()
    {
        Assert.Equal("png", SettingsService.ImageKind([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0]));
        Assert.Equal("jpeg", SettingsService.ImageKind([0xFF, 0xD8, 0xFF, 0xE0]));
        Assert.Null(SettingsService.ImageKind("<svg xmlns=\"http://www.w3.org/2000/svg\"/>"u8));
        Assert.Null(SettingsService.ImageKind("GIF89a"u8));
    }
}
