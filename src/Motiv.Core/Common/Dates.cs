using System.Globalization;

namespace Motiv.Core.Common;

public static class Texts
{
    /// <summary>At most <paramref name="max"/> characters (stored columns have a length).</summary>
    [return: System.Diagnostics.CodeAnalysis.NotNullIfNotNull(nameof(s))]
    public static string? Cut(string? s, int max) => s is null || s.Length <= max ? s : s[..max];
}

public static class Dates
{
    /// <summary>A moment for texts that leave the app (mails, proofs): in UTC, said so, in the reader's culture.</summary>
    public static string Format(DateTimeOffset at) => at.UtcDateTime.ToString("g", CultureInfo.CurrentCulture) + " UTC";
}
