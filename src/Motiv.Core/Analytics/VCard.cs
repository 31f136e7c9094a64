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
