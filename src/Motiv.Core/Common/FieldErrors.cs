using System.Globalization;
using System.Net.Mail;

namespace Motiv.Core.Common;

/// <summary>Collects what is wrong with an input, field by field, then throws one <see cref="ValidationException"/>.</summary>
public sealed class FieldErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool Any => _errors.Count > 0;

    public bool Has(string field) => _errors.ContainsKey(field);

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list)) _errors[field] = list = [];
        list.Add(message);
    }

    /// <summary>The trimmed text, or an error when it is empty or too long.</summary>
    public string Required(string field, string? value, int maxLength)
    {
        var v = value?.Trim() ?? "";
        if (v.Length == 0) Add(field, Text.Get("Validation.Required"));
        else if (v.Length > maxLength) Add(field, Text.Get("Validation.MaxLength", maxLength));
        return v;
    }

    /// <summary>The trimmed text or null, with an error when it is too long.</summary>
    public string? Optional(string field, string? value, int maxLength)
    {
        var v = value?.Trim();
        if (string.IsNullOrEmpty(v)) return null;
        if (v.Length > maxLength) Add(field, Text.Get("Validation.MaxLength", maxLength));
        return v;
    }

    public string? Email(string field, string? value)
    {
        var v = Optional(field, value, 254);
        if (v is null) return null;
        if (!MailAddress.TryCreate(v, out var address) || address.Address != v || !address.Host.Contains('.'))
            Add(field, Text.Get("Validation.Email"));
        return v.ToLowerInvariant();
    }

    public string? Url(string field, string? value)
    {
        var v = Optional(field, value, 300);
        if (v is null) return null;
        if (!v.Contains("://", StringComparison.Ordinal)) v = "https://" + v;
        if (!Uri.TryCreate(v, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps) || !uri.Host.Contains('.'))
            Add(field, Text.Get("Validation.Url"));
        return v;
    }

    /// <summary>An ISO 3166-1 alpha-2 country code in upper case.</summary>
    public string Country(string field, string? value)
    {
        var v = value?.Trim().ToUpperInvariant() ?? "";
        if (v.Length != 2 || !IsCountry(v)) Add(field, Text.Get("Validation.Country"));
        return v;
    }

    private static bool IsCountry(string code)
    {
        try
        {
            return new RegionInfo(code).TwoLetterISORegionName == code;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    public void ThrowIfAny()
    {
        if (Any) throw new ValidationException(_errors.ToDictionary(e => e.Key, e => e.Value.ToArray()));
    }
}
