using Motiv.Core.Common;

namespace Motiv.Core.Customers;

/// <summary>Checks and normalises the e-mail addresses, phone numbers and postal addresses that organisations and people share.</summary>
internal static class Contacts
{
    /// <summary>Checks and sets a record's contact data from the input, and the indexed first city, country, e-mail and phone.</summary>
    public static void Apply(FieldErrors errors, IHasContacts record, IContactInput input)
    {
        record.Addresses = Addresses(errors, input.Addresses);
        record.Emails = Emails(errors, input.Emails);
        record.Phones = Phones(errors, input.Phones, PhoneRegion(input.Addresses));
        Derive(record);
    }

    /// <summary>Copies the first address's city and country and the first e-mail and phone into their indexed columns.</summary>
    public static void Derive(IHasContacts record)
    {
        record.City = record.Addresses.FirstOrDefault()?.City;
        record.Country = record.Addresses.FirstOrDefault()?.Country;
        record.PrimaryEmail = record.Emails.FirstOrDefault()?.Address;
        record.PrimaryPhone = record.Phones.FirstOrDefault()?.Number;
    }

    public const int MaxEntries = 20;

    public static List<EmailAddress> Emails(FieldErrors errors, List<EmailAddress>? input)
    {
        var list = new List<EmailAddress>();
        foreach (var (e, i) in (input ?? []).Take(MaxEntries).Select((e, i) => (e, i)))
        {
            var field = $"emails[{i}].address";
            if (string.IsNullOrWhiteSpace(e?.Address)) { errors.Add(field, Text.Get("Validation.Required")); continue; }
            list.Add(e with { Address = errors.Email(field, e.Address)! });
        }
        if (input?.Count > MaxEntries) errors.Add("emails", Text.Get("Validation.MaxEntries", MaxEntries));
        return list;
    }

    public static List<PhoneNumber> Phones(FieldErrors errors, List<PhoneNumber>? input, string defaultRegion)
    {
        var list = new List<PhoneNumber>();
        foreach (var (p, i) in (input ?? []).Take(MaxEntries).Select((p, i) => (p, i)))
        {
            var e164 = PhoneRules.Normalize(p?.Number, defaultRegion);
            if (e164 is null) errors.Add($"phones[{i}].number", Text.Get("Validation.Phone"));
            else list.Add(p! with { Number = e164 });
        }
        if (input?.Count > MaxEntries) errors.Add("phones", Text.Get("Validation.MaxEntries", MaxEntries));
        return list;
    }

    public static List<PostalAddress> Addresses(FieldErrors errors, List<PostalAddress>? input)
    {
        var list = new List<PostalAddress>();
        foreach (var (a, i) in (input ?? []).Take(MaxEntries).Select((a, i) => (a, i)))
        {
            if (a is null) { errors.Add($"addresses[{i}]", Text.Get("Validation.Required")); continue; }
            list.Add(a with
            {
                Street = errors.Optional($"addresses[{i}].street", a.Street, 200) ?? "",
                PostalCode = errors.Optional($"addresses[{i}].postalCode", a.PostalCode, 20) ?? "",
                City = errors.Required($"addresses[{i}].city", a.City, 100),
                Country = errors.Country($"addresses[{i}].country", a.Country),
                Region = errors.Optional($"addresses[{i}].region", a.Region, 100),
            });
        }
        if (input?.Count > MaxEntries) errors.Add("addresses", Text.Get("Validation.MaxEntries", MaxEntries));
        return list;
    }

    public static string Tags(FieldErrors errors, List<string>? tags)
    {
        foreach (var (t, i) in (tags ?? []).Select((t, i) => (t, i)))
        {
            if (TagList.Normalize(t ?? "").Length is 0 or > TagList.MaxTagLength)
                errors.Add($"tags[{i}]", Text.Get("Validation.Tag", TagList.MaxTagLength));
        }
        if (tags?.Count > 50) errors.Add("tags", Text.Get("Validation.MaxEntries", 50));
        return TagList.ToStored(tags?.Where(t => t is not null));
    }

    /// <summary>The region to read phone numbers without a country code in: the first address's country, else Germany.</summary>
    public static string PhoneRegion(List<PostalAddress>? addresses) =>
        addresses?.FirstOrDefault()?.Country is { Length: 2 } c ? c.ToUpperInvariant() : "DE";
}
