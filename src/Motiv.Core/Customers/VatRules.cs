using System.Text.RegularExpressions;

namespace Motiv.Core.Customers;

/// <summary>
/// VAT identification numbers (USt-IdNr.): the format of each EU country, Switzerland, Norway and the
/// United Kingdom, and the check digit where it is public (Germany, Austria).
/// </summary>
public static partial class VatRules
{
    private static readonly Dictionary<string, Regex> Formats = new(StringComparer.Ordinal)
    {
        ["AT"] = new(@"^ATU\d{8}$"),
        ["BE"] = new(@"^BE[01]\d{9}$"),
        ["BG"] = new(@"^BG\d{9,10}$"),
        ["CH"] = new(@"^CHE\d{9}(MWST|TVA|IVA)?$"),
        ["CY"] = new(@"^CY\d{8}[A-Z]$"),
        ["CZ"] = new(@"^CZ\d{8,10}$"),
        ["DE"] = new(@"^DE\d{9}$"),
        ["DK"] = new(@"^DK\d{8}$"),
        ["EE"] = new(@"^EE\d{9}$"),
        ["EL"] = new(@"^EL\d{9}$"),
        ["ES"] = new(@"^ES[A-Z0-9]\d{7}[A-Z0-9]$"),
        ["FI"] = new(@"^FI\d{8}$"),
        ["FR"] = new(@"^FR[A-HJ-NP-Z0-9]{2}\d{9}$"),
        ["GB"] = new(@"^GB(\d{9}|\d{12}|GD\d{3}|HA\d{3})$"),
        ["HR"] = new(@"^HR\d{11}$"),
        ["HU"] = new(@"^HU\d{8}$"),
        ["IE"] = new(@"^IE\d[A-Z0-9+*]\d{5}[A-Z]{1,2}$"),
        ["IT"] = new(@"^IT\d{11}$"),
        ["LT"] = new(@"^LT(\d{9}|\d{12})$"),
        ["LU"] = new(@"^LU\d{8}$"),
        ["LV"] = new(@"^LV\d{11}$"),
        ["MT"] = new(@"^MT\d{8}$"),
        ["NL"] = new(@"^NL\d{9}B\d{2}$"),
        ["NO"] = new(@"^NO\d{9}(MVA)?$"),
        ["PL"] = new(@"^PL\d{10}$"),
        ["PT"] = new(@"^PT\d{9}$"),
        ["RO"] = new(@"^RO\d{2,10}$"),
        ["SE"] = new(@"^SE\d{10}01$"),
        ["SI"] = new(@"^SI\d{8}$"),
        ["SK"] = new(@"^SK\d{10}$"),
    };

    /// <summary>Upper case without spaces, dots and dashes: "de 123.456.789" → "DE123456789".</summary>
    public static string Normalize(string raw) => Separators().Replace(raw, "").ToUpperInvariant();

    public static bool IsValid(string raw)
    {
        var vat = Normalize(raw);
        if (vat.Length < 4) return false;
        var country = vat[..2];
        if (!Formats.TryGetValue(country, out var format) || !format.IsMatch(vat)) return false;
        return country switch
        {
            "DE" => GermanCheckDigitOk(vat[2..]),
            "AT" => AustrianCheckDigitOk(vat[3..]),
            _ => true,
        };
    }

    private static bool GermanCheckDigitOk(string digits) => GermanCheckDigit(digits[..8]) == digits[8] - '0';

    /// <summary>ISO 7064 MOD 11,10 over the first eight digits, as the Bundeszentralamt für Steuern publishes it.</summary>
    public static int GermanCheckDigit(string eightDigits)
    {
        var digits = eightDigits;
        var product = 10;
        for (var i = 0; i < 8; i++)
        {
            var sum = (digits[i] - '0' + product) % 10;
            if (sum == 0) sum = 10;
            product = 2 * sum % 11;
        }
        var check = 11 - product;
        return check == 10 ? 0 : check;
    }

    private static bool AustrianCheckDigitOk(string digits)
    {
        var sum = 0;
        for (var i = 0; i < 7; i++)
        {
            var d = digits[i] - '0';
            if (i % 2 == 1)
            {
                d *= 2;
                d = d / 10 + d % 10;
            }
            sum += d;
        }
        var check = (10 - (sum + 4) % 10) % 10;
        return check == digits[7] - '0';
    }

    [GeneratedRegex(@"[\s.\-/]")]
    private static partial Regex Separators();
}
