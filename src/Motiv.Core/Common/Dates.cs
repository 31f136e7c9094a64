using System.Globalization;

namespace Motiv.Core.Common;

public static class Dates
{
    /// <summary>A moment for texts that leave the app (mails, proofs): in UTC, said so, in the reader's culture.</summary>
    public static string Format(DateTimeOffset at) => at.UtcDateTime.ToString("g", CultureInfo.CurrentCulture) + " UTC";
}
