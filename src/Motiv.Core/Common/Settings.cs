using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Motiv.Core.Access;
using Motiv.Core.Data;

namespace Motiv.Core.Common;

/// <summary>One setting an administrator changes at run time, stored as JSON under its key.</summary>
public sealed class SettingRow
{
    public string Key { get; set; } = "";
    public string Value { get; set; } = "";
    public DateTimeOffset UpdatedAt { get; set; }
    public Guid UpdatedById { get; set; }
}

/// <summary>
/// One key of ASP.NET Core data protection (cookies, antiforgery tokens, stored mail passwords) as its XML element, kept in the database so
/// that every web node of one Motiv reads and writes the same key ring.
/// </summary>
public sealed class DataProtectionKey
{
    public Guid Id { get; set; }
    public string FriendlyName { get; set; } = "";
    public string Xml { get; set; } = "";
}

/// <summary>The company's letterhead as printed on quotes and orders.</summary>
public sealed record CompanyProfile
{
    public string Name { get; init; } = "";
    public string? Street { get; init; }
    public string? PostalCode { get; init; }
    public string? City { get; init; }
    public string? Country { get; init; }
    public string? Phone { get; init; }
    public string? Email { get; init; }
    public string? Website { get; init; }
    public string? VatId { get; init; }
    public string? TaxNumber { get; init; }
    public string? Register { get; init; }
    public string? ManagingDirectors { get; init; }
    public string? BankName { get; init; }
    public string? Iban { get; init; }
    public string? Bic { get; init; }

    /// <summary>The logo as PNG or JPEG, base64; checked by its content, at most 512 KB.</summary>
    public string? Logo { get; init; }
}

/// <summary>Run-time settings: everyone signed in reads them, administrators change them.</summary>
public sealed class SettingsService(IDbContextFactory<MotivDbContext> dbFactory, ICurrentUser currentUser)
{
    public const string CompanyKey = "company";
    public const int MaxLogoBytes = 512 * 1024;

    public async Task<CompanyProfile> GetCompanyAsync(CancellationToken ct = default)
    {
        if (!currentUser.Scope.IsAuthenticated) throw new AccessDeniedException(Text.Get("Access.SignIn"));
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await ReadAsync<CompanyProfile>(db, CompanyKey, ct) ?? new CompanyProfile();
    }

    public async Task<CompanyProfile> SetCompanyAsync(CompanyProfile profile, CancellationToken ct = default)
    {
        if (!currentUser.Scope.CanAdminister) throw new AccessDeniedException(Text.Get("Access.AdministratorsOnly"));
        var errors = new FieldErrors();
        var clean = profile with
        {
            Name = errors.Required("name", profile.Name, 200),
            Street = errors.Optional("street", profile.Street, 200),
            PostalCode = errors.Optional("postalCode", profile.PostalCode, 20),
            City = errors.Optional("city", profile.City, 100),
            Country = string.IsNullOrWhiteSpace(profile.Country) ? null : errors.Country("country", profile.Country),
            Phone = errors.Optional("phone", profile.Phone, 50),
            Email = errors.Email("email", profile.Email),
            Website = errors.Url("website", profile.Website),
            VatId = errors.Optional("vatId", profile.VatId, 20),
            TaxNumber = errors.Optional("taxNumber", profile.TaxNumber, 30),
            Register = errors.Optional("register", profile.Register, 200),
            ManagingDirectors = errors.Optional("managingDirectors", profile.ManagingDirectors, 200),
            BankName = errors.Optional("bankName", profile.BankName, 100),
            Iban = errors.Optional("iban", profile.Iban?.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant(), 34),
            Bic = errors.Optional("bic", profile.Bic?.Trim().ToUpperInvariant(), 11),
            Logo = string.IsNullOrWhiteSpace(profile.Logo) ? null : profile.Logo.Trim(),
        };
        if (clean.Iban is { } iban && !IsValidIban(iban)) errors.Add("iban", Text.Get("Validation.Iban"));
        if (clean.Logo is { } logo)
        {
            byte[]? bytes = null;
            try { bytes = Convert.FromBase64String(logo); } catch (FormatException) { /* reported below */ }
            if (bytes is null || ImageKind(bytes) is null) errors.Add("logo", Text.Get("Validation.Logo"));
            else if (bytes.Length > MaxLogoBytes) errors.Add("logo", Text.Get("Validation.FileSize", MaxLogoBytes / 1024));
        }
        errors.ThrowIfAny();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await WriteAsync(db, CompanyKey, clean, ct);
        return clean;
    }

    /// <summary>Stores a setting as JSON under its key (added or replaced), stamped with the time and the user, and saves.</summary>
    internal static async Task WriteAsync<T>(MotivDbContext db, string key, T value, CancellationToken ct)
    {
        var row = await db.Settings.FirstOrDefaultAsync(s => s.Key == key, ct) ?? db.Settings.Add(new SettingRow { Key = key }).Entity;
        row.Value = JsonColumn.Serialize(value);
        row.UpdatedAt = db.Clock.GetUtcNow();
        row.UpdatedById = db.Scope.UserId;
        await db.SaveChangesAsync(ct);
    }

    internal static async Task<T?> ReadAsync<T>(MotivDbContext db, string key, CancellationToken ct) where T : class
    {
        var json = await db.Settings.AsNoTracking().Where(s => s.Key == key).Select(s => s.Value).FirstOrDefaultAsync(ct);
        return json is null ? null : JsonSerializer.Deserialize<T>(json, JsonColumn.Options);
    }

    /// <summary>"png" or "jpeg" by the file's first bytes (never by its name or a client's content type); null for anything else.</summary>
    public static string? ImageKind(ReadOnlySpan<byte> bytes) => Communication.AttachmentStore.Sniff(bytes, "") switch
    {
        "image/png" => "png",
        "image/jpeg" => "jpeg",
        _ => null,
    };

    /// <summary>ISO 13616: move the first four characters to the end, letters to numbers, mod 97 = 1.</summary>
    public static bool IsValidIban(string iban)
    {
        if (iban.Length is < 15 or > 34 || !iban.All(char.IsAsciiLetterOrDigit) || !char.IsAsciiLetter(iban[0]) || !char.IsAsciiLetter(iban[1])) return false;
        var rearranged = iban[4..] + iban[..4];
        var remainder = 0;
        foreach (var c in rearranged)
        {
            var value = char.IsAsciiDigit(c) ? c - '0' : char.ToUpperInvariant(c) - 'A' + 10;
            remainder = value >= 10 ? (remainder * 100 + value) % 97 : (remainder * 10 + value) % 97;
        }
        return remainder == 1;
    }
}
