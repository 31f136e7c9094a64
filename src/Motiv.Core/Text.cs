using System.Globalization;
using System.Resources;

namespace Motiv.Core;

/// <summary>
/// Every text a user reads, in English (Text.resx) and German (Text.de.resx). The UI uses it through
/// IStringLocalizer&lt;Text&gt;; code without a localizer (validation, the save pipeline) calls <see cref="Get"/>,
/// which answers in the current UI culture.
/// </summary>
public sealed class Text
{
    private static readonly ResourceManager Resources = new("Motiv.Core.Text", typeof(Text).Assembly);

    /// <summary>Whether the user reads German (else English).</summary>
    public static bool IsGerman => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "de";

    public static string Get(string key) => Resources.GetString(key, CultureInfo.CurrentUICulture) ?? key;

    public static string Get(string key, params object?[] args) =>
        string.Format(CultureInfo.CurrentCulture, Get(key), args);

    /// <summary>A text in a given language ("de" or "en"), for what leaves the app in the reader's language (mails, public pages).</summary>
    public static string In(string language, string key, params object?[] args)
    {
        var culture = CultureInfo.GetCultureInfo(language == "de" ? "de-DE" : "en-GB");
        return string.Format(culture, Resources.GetString(key, culture) ?? key, args);
    }

    /// <summary>All keys of the neutral (English) resources; the tests check that German has each of them.</summary>
    public static IReadOnlyList<string> Keys(CultureInfo culture) =>
        Resources.GetResourceSet(culture, true, false)?.Cast<System.Collections.DictionaryEntry>().Select(e => (string)e.Key).ToList() ?? [];
}
