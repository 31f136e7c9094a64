using System.Globalization;
using Motiv.Core.Common;

namespace Motiv.Web.Components.Shared;

/// <summary>Amounts, dates and percentages as the reader's culture writes them.</summary>
public static class Show
{
    public static string Money(decimal amount, string currency) =>
        amount.ToString(Core.Common.Money.MinorUnits(currency) == 0 ? "N0" : "N2", CultureInfo.CurrentCulture) + " " + currency;

    public static string Money(Money money) => Money(money.Amount, money.Currency);

    public static string Date(DateOnly? date) => date?.ToString("d", CultureInfo.CurrentCulture) ?? "";

    public static string Percent(decimal value) => value.ToString("0.##", CultureInfo.CurrentCulture) + " %";
}
