using System.Globalization;
using System.Text;

namespace Motiv.Core.Search;

/// <summary>Folding and tokenising, the same for what is indexed and what is asked, on every database.</summary>
public static class SearchText
{
    /// <summary>Lower case, without diacritics (ß → ss), with only letters, digits and single spaces.</summary>
    public static string Fold(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return "";
        var decomposed = text.Replace("ß", "ss").Replace("ẞ", "ss").Normalize(NormalizationForm.FormD);
        var sb = new StringBuilder(decomposed.Length);
        var space = true;
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark) continue;
            if (char.IsLetterOrDigit(c))
            {
                sb.Append(char.ToLowerInvariant(c));
                space = false;
            }
            else if (!space)
            {
                sb.Append(' ');
                space = true;
            }
        }
        return sb.ToString().TrimEnd();
    }

    public static IReadOnlyList<string> Tokens(string? query)
    {
        if (LooksLikePhone(query)) return [PhoneQuery(query!)];
        return Fold(query).Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(8).ToList();
    }

    /// <summary>"+49 30 123" and "0049 30 123" → "4930123" (matches the E.164 digits); "030 123" → "030123" (matches the national form).</summary>
    private static string PhoneQuery(string query)
    {
        var digits = new string(query.Where(char.IsDigit).ToArray());
        return query.TrimStart().StartsWith("00", StringComparison.Ordinal) ? digits[2..] : digits;
    }

    /// <summary>"+49 30 1234-56", "030/123456": digits with phone punctuation, at least five digits.</summary>
    public static bool LooksLikePhone(string? query) =>
        query is not null && query.Count(char.IsDigit) >= 5 && query.All(c => char.IsDigit(c) || c is '+' or ' ' or '-' or '/' or '(' or ')' or '.');

    /// <summary>The ways a stored E.164 number is found: its digits with and without the country code.</summary>
    public static IEnumerable<string> PhoneTerms(string e164)
    {
        var digits = new string(e164.Where(char.IsDigit).ToArray());
        yield return digits;
        var national = Customers.PhoneRules.NationalSignificantNumber(e164);
        if (national is not null) yield return national;
    }

    /// <summary>pg_trgm-style similarity (shared trigrams over all trigrams) between two folded texts.</summary>
    public static double Similarity(string a, string b)
    {
        var x = Trigrams(a);
        var y = Trigrams(b);
        if (x.Count == 0 || y.Count == 0) return 0;
        var shared = x.Count(y.Contains);
        return (double)shared / (x.Count + y.Count - shared);
    }

    public static HashSet<string> Trigrams(string folded)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        foreach (var word in folded.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var padded = "  " + word + " ";
            for (var i = 0; i + 3 <= padded.Length; i++) set.Add(padded.Substring(i, 3));
        }
        return set;
    }
}
