using Motiv.Core.Common;
using Motiv.Core.Sales;

namespace Motiv.Core.Tests;

public sealed class SalesMathTests
{
    [Theory]
    [InlineData("0.125", "EUR", "0.13")]
    [InlineData("-0.125", "EUR", "-0.13")]
    [InlineData("0.124999", "EUR", "0.12")]
    [InlineData("2.5", "JPY", "3")]
    [InlineData("1234.5678", "USD", "1234.57")]
    public void Rounds_commercially_to_the_currencys_minor_unit(string amount, string currency, string expected) =>
        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture),
            Money.Round(decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture), currency));

    [Fact]
    public void Knows_iso_currencies_and_refuses_to_add_different_ones()
    {
        Assert.True(Money.IsKnownCurrency("EUR"));
        Assert.True(Money.IsKnownCurrency("CHF"));
        Assert.False(Money.IsKnownCurrency("EURO"));
        Assert.False(Money.IsKnownCurrency("XYZ"));
        Assert.Equal(new Money(3m, "EUR"), new Money(1m, "EUR") + new Money(2m, "EUR"));
        Assert.Throws<InvalidOperationException>(() => new Money(1m, "EUR") + new Money(1m, "USD"));
    }

    [Fact]
    public void Totals_round_each_line_then_the_vat_once_per_rate()
    {
        var totals = LineMath.Calculate("EUR",
        [
            new PricedLine(3, 19.99m, 0, 19),      // 59.97
            new PricedLine(1, 0.335m, 0, 19),      // 0.335 → 0.34
            new PricedLine(7, 4.15m, 10, 7),       // 29.05 × 0.9 = 26.145 → 26.15
            new PricedLine(2, 100m, 0, 0),         // 200.00, no VAT
        ]);
        Assert.Equal([59.97m, 0.34m, 26.15m, 200.00m], totals.LineNets);
        Assert.Equal(3, totals.VatByRate.Count);
        Assert.Equal(new VatAmount(19, 60.31m, 11.46m), totals.VatByRate[0]);   // 60.31 × 19 % = 11.4589 → 11.46
        Assert.Equal(new VatAmount(7, 26.15m, 1.83m), totals.VatByRate[1]);     // 26.15 × 7 % = 1.8305 → 1.83
        Assert.Equal(new VatAmount(0, 200.00m, 0m), totals.VatByRate[2]);
        Assert.Equal(286.46m, totals.Net);
        Assert.Equal(13.29m, totals.Vat);
        Assert.Equal(299.75m, totals.Gross);
    }

    [Fact]
    public void Vat_per_rate_differs_from_summing_per_line_vat_and_the_rule_is_per_rate()
    {
        // Three lines of 0.10 € at 19 %: per line 0.019 → 0.02 each = 0.06; per rate 0.30 × 19 % = 0.057 → 0.06.
        // Ten lines show the difference: per line 10 × 0.02 = 0.20, per rate 1.00 × 19 % = 0.19.
        var totals = LineMath.Calculate("EUR", Enumerable.Repeat(new PricedLine(1, 0.10m, 0, 19), 10).ToList());
        Assert.Equal(0.19m, totals.Vat);
        Assert.Equal(1.19m, totals.Gross);
    }
}

public sealed class ConversionTests
{
    [Fact]
    public void Converts_at_the_given_rate_rounding_in_the_base_currency_and_says_which_rate()
    {
        var converted = Motiv.Core.Sales.ExchangeRateService.Convert(new Money(1234.56m, "USD"), 0.9213m, new DateOnly(2026, 3, 31), "EUR");
        Assert.Equal(new Money(1137.40m, "EUR"), converted.Base);   // 1137.400128 → 1137.40
        Assert.Equal(0.9213m, converted.Rate);
        Assert.Equal(new DateOnly(2026, 3, 31), converted.RateDate);
        Assert.Equal(new Money(1234.56m, "USD"), converted.Original);
    }
}
