using Motiv.Core.Common;

namespace Motiv.Web.Components.Shared;

/// <summary>The field errors of the last save, for showing next to each field.</summary>
public sealed class FormErrors
{
    private IReadOnlyDictionary<string, string[]> _errors = new Dictionary<string, string[]>();

    public bool Any => _errors.Count > 0;

    public bool Has(string field) => _errors.ContainsKey(field);

    public string? Text(string field) => _errors.TryGetValue(field, out var e) ? string.Join(" ", e) : null;

    /// <summary>
    /// Errors of fields the form has no place for (shown as a list above the form). A shown list field ("lines")
    /// also covers its items' fields ("lines[0].unitPrice"), which its editor shows next to them.
    /// </summary>
    public IEnumerable<string> Other(IEnumerable<string> shown) =>
        _errors.Where(e => !e.Key.StartsWith("customFields.", StringComparison.Ordinal)
                && !shown.Any(s => e.Key == s || e.Key.StartsWith(s + "[", StringComparison.Ordinal) || e.Key.StartsWith(s + ".", StringComparison.Ordinal)))
            .Select(e => $"{e.Key}: {string.Join(" ", e.Value)}");

    public void Set(ValidationException e) => _errors = e.Errors;

    public void Clear() => _errors = new Dictionary<string, string[]>();
}
