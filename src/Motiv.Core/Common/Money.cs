using System.Globalization;

namespace Motiv.Core.Common;

/// <summary>An amount in one ISO 4217 currency. Amounts of different currencies are never added.</summary>
public readonly record struct Money(decimal Amount, string Currency)
{
    public const string DefaultCurrency = "EUR";

    private static readonly HashSet<string> Known = CultureInfo.GetCultures(CultureTypes.SpecificCultures)
        .Select(c => { try { return new RegionInfo(c.Name).ISOCurrencySymbol; } catch (ArgumentException) { return null; } })
        .OfType<string>().Append("EUR").ToHashSet(StringComparer.Ordinal);

    /// <summary>Currencies without minor units; all others have two (as used in German and EU trade).</summary>
    private static readonly HashSet<string> WholeUnits = ["JPY", "KRW", "ISK", "CLP", "VND", "HUF"];

    public static bool IsKnownCurrency(string? code) => code is { Length: 3 } && Known.Contains(code);

    public static int MinorUnits(string currency) => WholeUnits.Contains(currency) ? 0 : 2;

    /// <summary>Commercial rounding (half away from zero) to the currency's minor unit: 0.125 → 0.13, −0.125 → −0.13.</summary>
    public static decimal Round(decimal amount, string currency) => Math.Round(amount, MinorUnits(currency), MidpointRounding.AwayFromZero);

    public Money Rounded() => this with { Amount = Round(Amount, Currency) };

    public static Money operator +(Money a, Money b) =>
        a.Currency == b.Currency ? new Money(a.Amount + b.Amount, a.Currency) : throw new InvalidOperationException($"Cannot add {a.Currency} and {b.Currency}; convert first.");

    public override string ToString() => Amount.ToString("0.00##", CultureInfo.InvariantCulture) + " " + Currency;
}
