using System.Globalization;

namespace Motiv.Core.Common;

public static class Texts
{
    /// <summary>At most <paramref name="max"/> characters (stored columns have a length), never half of a character such as an emoji.</summary>
    [return: System.Diagnostics.CodeAnalysis.NotNullIfNotNull(nameof(s))]
    public static string? Cut(string? s, int max) => s is null || s.Length <= max ? s : s[..(char.IsHighSurrogate(s[max - 1]) ? max - 1 : max)];
}

public static class Dates
{
    /// <summary>A moment for texts that leave the app (mails, proofs): in UTC, said so, in the reader's culture.</summary>
    public static string Format(DateTimeOffset at) => at.UtcDateTime.ToString("g", CultureInfo.CurrentCulture) + " UTC";
}
