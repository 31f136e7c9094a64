namespace Motiv.Core.Common;

/// <summary>A list query that can also filter by custom fields (cf.key=value in the API).</summary>
public interface ICustomFieldQuery<out TSelf>
{
    IReadOnlyDictionary<string, string>? CustomFields { get; }

    TSelf WithCustomFields(IReadOnlyDictionary<string, string>? filters);
}
