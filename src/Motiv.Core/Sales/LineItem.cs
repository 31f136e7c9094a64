using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Motiv.Core.Common;
using Motiv.Core.Data;

namespace Motiv.Core.Sales;

/// <summary>
/// One priced line of a deal, quote or order. It keeps a snapshot of the product (SKU, name, unit) and
/// the price as agreed, so later changes to the catalogue or price list do not rewrite what was offered or sold.
/// </summary>
public sealed class LineItem : IRecordPart
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    /// <summary>The deal, quote or order the line belongs to.</summary>
    public Guid RecordId { get; set; }

    public int Position { get; set; }
    public Guid? ProductId { get; set; }
    public string? Sku { get; set; }
    public string Name { get; set; } = "";
    public string? Description { get; set; }
    public string Unit { get; set; } = "";
    public decimal Quantity { get; set; }
    public decimal UnitPrice { get; set; }
    public decimal DiscountPercent { get; set; }
    public decimal VatRate { get; set; }

    /// <summary>The line's net amount, rounded commercially; kept so analytics can sum it in SQL.</summary>
    public decimal Net { get; set; }

    Guid IRecordPart.PartOf => RecordId;
    string IRecordPart.AuditField => "lines";
    string IRecordPart.Describe() => string.Create(CultureInfo.InvariantCulture,
        $"{Position}. {Sku} {Name}: {Quantity} {Unit} × {UnitPrice}{(DiscountPercent != 0 ? $" −{DiscountPercent} %" : "")} @ {VatRate} % VAT");

    public PricedLine Priced => new(Quantity, UnitPrice, DiscountPercent, VatRate);
}

/// <summary>A line as a caller sends it. With a product, empty name, unit, price and VAT rate come from the product and the price list.</summary>
public sealed record LineInput(Guid? ProductId, string? Name, string? Description, string? Unit, decimal? Quantity, decimal? UnitPrice, decimal? DiscountPercent, decimal? VatRate);

public sealed record LineDto(Guid Id, int Position, Guid? ProductId, string? Sku, string Name, string? Description, string Unit,
    decimal Quantity, decimal UnitPrice, decimal DiscountPercent, decimal VatRate, decimal Net);

/// <summary>Validating lines and computing a record's totals: the one place for deals, quotes and orders.</summary>
internal static class LineItems
{
    public static LineInput ToInput(LineDto l) => new(l.ProductId, l.Name, l.Description, l.Unit, l.Quantity, l.UnitPrice, l.DiscountPercent, l.VatRate);

    public static LineDto ToDto(LineItem l) => new(l.Id, l.Position, l.ProductId, l.Sku, l.Name, l.Description, l.Unit, l.Quantity, l.UnitPrice, l.DiscountPercent, l.VatRate, l.Net);

    public static IReadOnlyList<LineDto> ToDtos(IEnumerable<LineItem> lines) => lines.OrderBy(l => l.Position).Select(ToDto).ToList();

    /// <summary>
    /// Replaces <paramref name="lines"/> with <paramref name="input"/>, keeping unchanged rows (so the history shows real changes only).
    /// Prices come from <paramref name="priceListId"/> when a line names a product and no price; names are taken in <paramref name="language"/>.
    /// </summary>
    public static async Task<Totals> ApplyAsync(MotivDbContext db, FieldErrors errors, Guid recordId, List<LineItem> lines, IReadOnlyList<LineInput> input,
        string currency, Guid? priceListId, string language, IReadOnlyCollection<decimal> vatRates, CancellationToken ct)
    {
        if (input.Count > 500) errors.Add("lines", Text.Get("Validation.MaxEntries", 500));
        var productIds = input.Where(l => l.ProductId is not null).Select(l => l.ProductId!.Value).Distinct().ToList();
        var products = await db.Products.AsNoTracking().Where(p => productIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, ct);
        // A line that keeps a product the user can no longer see (or that was deleted) keeps its snapshot.
        var snapshots = lines.Where(l => l.ProductId is { } pid && !products.ContainsKey(pid)).GroupBy(l => l.ProductId!.Value).ToDictionary(g => g.Key, g => g.First());
        var prices = priceListId is { } listId
            ? await db.PriceListEntries.AsNoTracking().Where(e => e.PriceListId == listId && productIds.Contains(e.ProductId)).ToDictionaryAsync(e => e.ProductId, e => e.UnitPrice, ct)
            : [];
        var wanted = new List<LineItem>();
        foreach (var (l, i) in input.Select((l, i) => (l, i)))
        {
            var field = $"lines[{i}]";
            Product? product = null;
            LineItem? snapshot = null;
            if (l.ProductId is { } pid && !products.TryGetValue(pid, out product) && !snapshots.TryGetValue(pid, out snapshot))
                errors.Add(field + ".productId", Text.Get("Validation.UnknownProduct"));
            var line = new LineItem
            {
                RecordId = recordId,
                Position = i + 1,
                ProductId = product?.Id ?? snapshot?.ProductId,
                Sku = product?.Sku ?? snapshot?.Sku,
                Name = errors.Required(field + ".name", l.Name is { Length: > 0 } ? l.Name : product is null ? snapshot?.Name : language == "de" ? product.NameDe : product.NameEn, 200),
                Description = errors.Optional(field + ".description", l.Description, 2000),
                Unit = errors.Required(field + ".unit", l.Unit is { Length: > 0 } ? l.Unit : product?.Unit ?? snapshot?.Unit, 20),
                // Stored with 4 and 2 decimals: the net is computed from what is stored.
                Quantity = Math.Round(l.Quantity ?? 1, 4, MidpointRounding.AwayFromZero),
                DiscountPercent = Math.Round(l.DiscountPercent ?? 0, 2, MidpointRounding.AwayFromZero),
            };
            if (line.Quantity <= 0) errors.Add(field + ".quantity", Text.Get("Validation.Positive"));
            if (line.DiscountPercent is < 0 or > 100) errors.Add(field + ".discountPercent", Text.Get("Validation.Percent"));
            if (l.UnitPrice is { } price) line.UnitPrice = price;
            else if (product is not null && prices.TryGetValue(product.Id, out var listed)) line.UnitPrice = listed;
            else errors.Add(field + ".unitPrice", Text.Get(product is not null && priceListId is not null ? "Validation.NoListPrice" : "Validation.Required"));
            if (line.UnitPrice < 0) errors.Add(field + ".unitPrice", Text.Get("Validation.NotNegative"));
            line.UnitPrice = Math.Round(line.UnitPrice, 4, MidpointRounding.AwayFromZero);
            var rate = l.VatRate ?? product?.VatRate ?? snapshot?.VatRate;
            if (rate is not { } r || !vatRates.Contains(r))
                errors.Add(field + ".vatRate", Text.Get("Validation.VatRate", string.Join(", ", vatRates.Select(v => v + " %"))));
            else line.VatRate = r;
            wanted.Add(line);
        }
        var totals = LineMath.Calculate(currency, wanted.Select(w => w.Priced).ToList());
        for (var i = 0; i < wanted.Count; i++) wanted[i].Net = totals.LineNets[i];

        // Keep rows whose content did not change; replace the rest.
        var kept = new List<LineItem>();
        foreach (var w in wanted)
        {
            var same = lines.FirstOrDefault(x => !kept.Contains(x) && Same(x, w));
            kept.Add(same ?? w);
        }
        foreach (var gone in lines.Except(kept).ToList()) lines.Remove(gone);
        foreach (var added in kept.Except(lines).ToList()) lines.Add(added);
        return totals;
    }

    private static bool Same(LineItem a, LineItem b) =>
        a.Position == b.Position && a.ProductId == b.ProductId && a.Sku == b.Sku && a.Name == b.Name && a.Description == b.Description && a.Unit == b.Unit
        && a.Quantity == b.Quantity && a.UnitPrice == b.UnitPrice && a.DiscountPercent == b.DiscountPercent && a.VatRate == b.VatRate && a.Net == b.Net;
}
