namespace Motiv.Core.Common;

/// <summary>Converts between the stored tag string (",a,b,") and a list of tags.</summary>
public static class TagList
{
    public const int MaxTagLength = 40;

    public static string Normalize(string tag) => tag.Trim().ToLowerInvariant().Replace(",", " ");

    public static string ToStored(IEnumerable<string>? tags)
    {
        var list = (tags ?? []).Select(Normalize).Where(t => t.Length > 0).Distinct().Order(StringComparer.Ordinal).ToList();
        return list.Count == 0 ? "" : "," + string.Join(',', list) + ",";
    }

    public static IReadOnlyList<string> FromStored(string stored) =>
        stored.Split(',', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>The pattern a stored tag string contains when it has <paramref name="tag"/>.</summary>
    public static string Needle(string tag) => "," + Normalize(tag) + ",";
}
