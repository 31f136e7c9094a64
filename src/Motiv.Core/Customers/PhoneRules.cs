using PhoneNumbers;

namespace Motiv.Core.Customers;

/// <summary>Phone numbers: stored in E.164, shown in the viewer's national format where the country is the viewer's own.</summary>
public static class PhoneRules
{
    private static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();

    /// <summary>The number in E.164, or null when it is not a valid number. Numbers without a country code are read as <paramref name="defaultRegion"/>'s.</summary>
    public static string? Normalize(string? raw, string defaultRegion = "DE")
    {
        if (string.IsNullOrWhiteSpace(raw) || raw.Length > 40) return null;
        try
        {
            var number = Util.Parse(raw.Trim(), defaultRegion.ToUpperInvariant());
            return Util.IsValidNumber(number) ? Util.Format(number, PhoneNumberFormat.E164) : null;
        }
        catch (NumberParseException)
        {
            return null;
        }
    }

    /// <summary>The number as the current culture's country writes it (national at home, international otherwise).</summary>
    public static string Display(string e164) => Display(e164, ViewerRegion());

    private static string ViewerRegion()
    {
        var culture = System.Globalization.CultureInfo.CurrentCulture;
        if (culture.Name.Length == 0) return "ZZ";
        try
        {
            // A language alone stands for its main country: "de" → Germany.
            var specific = culture.IsNeutralCulture ? System.Globalization.CultureInfo.CreateSpecificCulture(culture.Name) : culture;
            return new System.Globalization.RegionInfo(specific.Name).TwoLetterISORegionName;
        }
        catch (ArgumentException)
        {
            return "ZZ";
        }
    }

    /// <summary>"030 1234567" for a viewer in Germany, "+49 30 1234567" for anyone else.</summary>
    public static string Display(string e164, string viewerRegion)
    {
        try
        {
            var number = Util.Parse(e164, viewerRegion);
            var region = Util.GetRegionCodeForNumber(number);
            return Util.Format(number, string.Equals(region, viewerRegion, StringComparison.OrdinalIgnoreCase) ? PhoneNumberFormat.NATIONAL : PhoneNumberFormat.INTERNATIONAL);
        }
        catch (NumberParseException)
        {
            return e164;
        }
    }

    /// <summary>The digits as dialled inside the number's own country ("030123456" for +4930123456).</summary>
    public static string? NationalSignificantNumber(string e164)
    {
        try
        {
            var number = Util.Parse(e164, "DE");
            return new string(Util.Format(number, PhoneNumberFormat.NATIONAL).Where(char.IsDigit).ToArray());
        }
        catch (NumberParseException)
        {
            return null;
        }
    }
}
