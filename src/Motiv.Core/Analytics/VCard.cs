using System.Globalization;
using System.Text;
using Motiv.Core.Customers;

namespace Motiv.Core.Analytics;

/// <summary>
/// A person as a vCard 4.0 (RFC 6350): name, title, organisations and positions, e-mail addresses, phone numbers,
/// addresses, birthday, language, notes and the Motiv id as UID. Text values are escaped (backslash, comma,
/// semicolon, new line) and lines folded at 75 octets, as the standard asks.
/// </summary>
public static class VCard
{
    public static string Write(PersonDto p)
    {
        var card = new StringBuilder();
        void Line(string name, string value) => Fold(card, name + ":" + value);
        Line("BEGIN", "VCARD");
        Line("VERSION", "4.0");
        Line("UID", "urn:uuid:" + p.Id);
        Line("FN", Escape(p.DisplayName));
        Line("N", string.Join(';', Escape(p.LastName), Escape(p.FirstName), "", Escape(p.AcademicTitle), ""));
        foreach (var e in p.Employments)
        {
            Line("ORG", Escape(e.OrganizationName) + (e.Department is { } d ? ";" + Escape(d) : ""));
            if (e.Position is { } position) Line("TITLE", Escape(position));
        }
        foreach (var e in p.Emails) Line($"EMAIL;TYPE={(e.Type == EmailType.Private ? "home" : "work")}", Escape(e.Address));
        foreach (var t in p.Phones) Line($"TEL;VALUE=uri;TYPE={PhoneKind(t.Type)}", "tel:" + t.Number);
        foreach (var a in p.Addresses)
            Line($"ADR;TYPE={(a.Type == AddressType.Home ? "home" : "work")}", string.Join(';', "", "", Escape(a.Street), Escape(a.City), Escape(a.Region), Escape(a.PostalCode), Escape(a.Country)));
        if (p.Birthday is { } b) Line("BDAY", b.ToString("yyyyMMdd", CultureInfo.InvariantCulture));
        if (p.PreferredLanguage is { } lang) Line("LANG", lang);
        if (p.Notes is { Length: > 0 } notes) Line("NOTE", Escape(notes));
        if (p.Tags.Count > 0) Line("CATEGORIES", string.Join(',', p.Tags.Select(Escape)));
        Line("REV", p.UpdatedAt.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture));
        Line("END", "VCARD");
        return card.ToString();
    }

    private static string PhoneKind(PhoneType type) => type.ToString().ToLowerInvariant() switch
    {
        "mobile" => "cell",
        "home" or "private" => "home",
        "fax" => "fax",
        _ => "work",
    };

    public static string Escape(string? value) => (value ?? "").Replace("\\", "\\\\", StringComparison.Ordinal).Replace(",", "\\,", StringComparison.Ordinal)
        .Replace(";", "\\;", StringComparison.Ordinal).Replace("\r\n", "\\n", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    /// <summary>Lines of at most 75 octets; continuation lines start with a space; never inside a UTF-8 character.</summary>
    private static void Fold(StringBuilder card, string line)
    {
        var octets = 0;
        var first = true;
        var start = 0;
        for (var i = 0; i < line.Length; i++)
        {
            var width = char.IsHighSurrogate(line[i]) ? 4 : char.IsLowSurrogate(line[i]) ? 0 : Encoding.UTF8.GetByteCount(line.AsSpan(i, 1));
            var limit = first ? 75 : 74;
            if (octets + width > limit)
            {
                card.Append(first ? "" : " ").Append(line, start, i - start).Append("\r\n");
                first = false;
                start = i;
                octets = 0;
            }
            octets += width;
        }
        card.Append(first ? "" : " ").Append(line, start, line.Length - start).Append("\r\n");
    }
}

/// <summary>
/// Reads vCards 3.0 and 4.0 (also 2.1 without quoted-printable) as rows for the people import: one row per card under
/// fixed column names that are the import's own field names, so the mapping is found by itself.
/// </summary>
public static class VCardReader
{
    public static readonly IReadOnlyList<string> Header =
        ["externalId", "academicTitle", "firstName", "lastName", "email", "privateEmail", "phone", "mobile", "street", "postalCode", "city", "country",
         "birthday", "preferredLanguage", "organization", "position", "department", "notes", "tags"];

    /// <summary>Each card's cells in the order of <see cref="Header"/>.</summary>
    public static IEnumerable<string?[]> Read(TextReader reader)
    {
        string?[]? row = null;
        string? formatted = null;
        var lastName = ((List<string>)[.. Header]).IndexOf("lastName");
        foreach (var line in Unfold(reader))
        {
            var colon = IndexOfUnquoted(line, ':');
            if (colon < 0) continue;
            var parts = line[..colon].Split(';');
            var name = parts[0][(parts[0].IndexOf('.', StringComparison.Ordinal) + 1)..].ToUpperInvariant();
            var types = parts.Skip(1).SelectMany(p => p.Split('=') is [var k, var v] && k.Equals("TYPE", StringComparison.OrdinalIgnoreCase) ? v.Trim('"').Split(',') : [p])
                .Select(t => t.ToLowerInvariant()).ToHashSet();
            var value = line[(colon + 1)..];
            if (name == "BEGIN" && value.Equals("VCARD", StringComparison.OrdinalIgnoreCase))
            {
                (row, formatted) = (new string?[Header.Count], null);
                continue;
            }
            if (row is null) continue;
            if (name == "END")
            {
                // Without a structured name, the formatted one: its last word is taken as the last name.
                if (row[lastName] is null && formatted?.Split(' ', StringSplitOptions.RemoveEmptyEntries) is { Length: > 0 } full)
                {
                    row[lastName] = full[^1];
                    if (full.Length > 1) row[lastName - 1] = string.Join(' ', full[..^1]);
                }
                yield return row;
                row = null;
                continue;
            }
            void Set(string field, string? v)
            {
                var i = ((List<string>)[.. Header]).IndexOf(field);
                if (row[i] is null && !string.IsNullOrWhiteSpace(v)) row[i] = v.Trim();
            }
            var fields = SplitUnescaped(value, ';');
            switch (name)
            {
                case "UID": Set("externalId", Unescape(value).Replace("urn:uuid:", "", StringComparison.OrdinalIgnoreCase)); break;
                case "N":
                    Set("lastName", At(fields, 0));
                    Set("firstName", At(fields, 1));
                    Set("academicTitle", At(fields, 3));
                    break;
                case "FN": formatted = Unescape(value); break;
                case "EMAIL": Set(types.Contains("home") ? "privateEmail" : "email", Unescape(value)); break;
                case "TEL":
                    var number = Unescape(value);
                    if (number.StartsWith("tel:", StringComparison.OrdinalIgnoreCase)) number = number[4..];
                    if (!types.Contains("fax")) Set(types.Contains("cell") ? "mobile" : "phone", number);
                    break;
                case "ADR":
                    Set("street", At(fields, 2));
                    Set("city", At(fields, 3));
                    Set("postalCode", At(fields, 5));
                    Set("country", Country(At(fields, 6)));
                    break;
                case "BDAY": Set("birthday", Birthday(Unescape(value))); break;
                case "LANG": Set("preferredLanguage", Unescape(value)[..Math.Min(2, value.Length)]); break;
                case "ORG":
                    Set("organization", At(fields, 0));
                    Set("department", At(fields, 1));
                    break;
                case "TITLE": Set("position", Unescape(value)); break;
                case "NOTE": Set("notes", Unescape(value)); break;
                case "CATEGORIES": Set("tags", string.Join(',', SplitUnescaped(value, ',').Select(Unescape))); break;
            }
        }
    }

    private static string? At(List<string> fields, int i) => i < fields.Count ? Unescape(fields[i]) : null;

    /// <summary>Continuation lines (starting with a space or tab) joined to the line before.</summary>
    private static IEnumerable<string> Unfold(TextReader reader)
    {
        string? current = null;
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0 && line[0] is ' ' or '\t' && current is not null) { current += line[1..]; continue; }
            if (current is not null) yield return current;
            current = line;
        }
        if (current is not null) yield return current;
    }

    private static int IndexOfUnquoted(string line, char c)
    {
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            if (line[i] == '"') quoted = !quoted;
            else if (line[i] == c && !quoted) return i;
        }
        return -1;
    }

    private static List<string> SplitUnescaped(string value, char separator)
    {
        var result = new List<string>();
        var start = 0;
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '\\') i++;
            else if (value[i] == separator)
            {
                result.Add(value[start..i]);
                start = i + 1;
            }
        }
        result.Add(value[start..]);
        return result;
    }

    private static string Unescape(string value) =>
        value.Replace("\\n", "\n", StringComparison.OrdinalIgnoreCase).Replace("\\,", ",", StringComparison.Ordinal).Replace("\\;", ";", StringComparison.Ordinal)
            .Replace("\\\\", "\\", StringComparison.Ordinal);

    /// <summary>yyyyMMdd or yyyy-MM-dd as ISO; a birthday without a year (--MMdd) is left out.</summary>
    private static string? Birthday(string value)
    {
        var v = value.Split('T')[0];
        return DateOnly.TryParseExact(v, ["yyyyMMdd", "yyyy-MM-dd"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : null;
    }

    /// <summary>A country as written in an address ("Deutschland", "Germany", "DE") as its ISO code, when it is known.</summary>
    private static string? Country(string? name)
    {
        if (string.IsNullOrWhiteSpace(name)) return null;
        var n = name.Trim();
        if (n.Length == 2) return n.ToUpperInvariant();
        foreach (var culture in CultureInfo.GetCultures(CultureTypes.SpecificCultures))
        {
            var region = new RegionInfo(culture.Name);
            if (n.Equals(region.EnglishName, StringComparison.OrdinalIgnoreCase) || n.Equals(region.NativeName, StringComparison.OrdinalIgnoreCase)
                || n.Equals(region.DisplayName, StringComparison.OrdinalIgnoreCase))
                return region.TwoLetterISORegionName;
        }
        return n;
    }
}
