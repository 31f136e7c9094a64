using Motiv.Core.Common;

namespace Motiv.Core.Sales;

/// <summary>Something we sell: names and descriptions in German and English, a unit and a VAT rate.</summary>
public sealed class Product : Record
{
    public const string Type = "product";
    public override string RecordType => Type;
    public override string DisplayName => $"{Sku} {NameDe}";

    public string Sku { get; set; } = "";
    public string NameDe { get; set; } = "";
    public string NameEn { get; set; } = "";
    public string? DescriptionDe { get; set; }
    public string? DescriptionEn { get; set; }
    public string? Category { get; set; }

    /// <summary>"Stück", "Stunde", "Lizenz/Monat" … as printed on quotes.</summary>
    public string Unit { get; set; } = "";

    /// <summary>The VAT rate in percent (19, 7, 0 in Germany).</summary>
    public decimal VatRate { get; set; }

    public bool IsActive { get; set; } = true;
}
