using Motiv.Core.Common;

namespace Motiv.Core.Sales;

/// <summary>A priced line: quantity × unit price less a discount, taxed at one VAT rate (in percent).</summary>
public sealed record PricedLine(decimal Quantity, decimal UnitPrice, decimal DiscountPercent, decimal VatRate);

public sealed record VatAmount(decimal Rate, decimal Net, decimal Vat);

public sealed record Totals(string Currency, IReadOnlyList<decimal> LineNets, IReadOnlyList<VatAmount> VatByRate, decimal Net, decimal Vat, decimal Gross);

/// <summary>
/// Totals of quotes and orders as German commercial practice computes them: each line's net amount is
/// rounded, the VAT is computed once per rate on the sum of that rate's nets and rounded, and the gross
/// amount is net plus VAT. Pure: no I/O, unit-tested to the cent.
/// </summary>
public static class LineMath
{
    public static Totals Calculate(string currency, IReadOnlyList<PricedLine> lines)
    {
        var nets = lines.Select(l => Money.Round(l.Quantity * l.UnitPrice * (1 - l.DiscountPercent / 100m), currency)).ToList();
        var byRate = lines.Select((l, i) => (l.VatRate, Net: nets[i]))
            .GroupBy(x => x.VatRate)
            .OrderByDescending(g => g.Key)
            .Select(g =>
            {
                var net = g.Sum(x => x.Net);
                return new VatAmount(g.Key, net, Money.Round(net * g.Key / 100m, currency));
            })
            .ToList();
        var totalNet = nets.Sum();
        var totalVat = byRate.Sum(v => v.Vat);
        return new Totals(currency, nets, byRate, totalNet, totalVat, totalNet + totalVat);
    }
}
