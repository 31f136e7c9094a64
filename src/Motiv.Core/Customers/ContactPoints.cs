namespace Motiv.Core.Customers;

public enum EmailType { Work = 0, Private = 1, Other = 2 }

public enum PhoneType { Work = 0, Mobile = 1, Home = 2, Fax = 3, Other = 4 }

public enum AddressType { Office = 0, Billing = 1, Shipping = 2, Home = 3, Other = 4 }

public sealed record EmailAddress(string Address, EmailType Type = EmailType.Work);

/// <summary>A phone number, stored in E.164 (+4930123456).</summary>
public sealed record PhoneNumber(string Number, PhoneType Type = PhoneType.Work);

/// <summary>A postal address; <see cref="Country"/> is an ISO 3166-1 alpha-2 code.</summary>
public sealed record PostalAddress(string Street, string PostalCode, string City, string Country, AddressType Type = AddressType.Office, string? Region = null);

/// <summary>A record with e-mail addresses, phone numbers and postal addresses, and the first of each kept in indexed columns.</summary>
public interface IHasContacts
{
    List<EmailAddress> Emails { get; set; }
    List<PhoneNumber> Phones { get; set; }
    List<PostalAddress> Addresses { get; set; }
    string? City { get; set; }
    string? Country { get; set; }
    string? PrimaryEmail { get; set; }
    string? PrimaryPhone { get; set; }
}

/// <summary>The contact data of an input.</summary>
public interface IContactInput
{
    List<EmailAddress>? Emails { get; }
    List<PhoneNumber>? Phones { get; }
    List<PostalAddress>? Addresses { get; }
}

/// <summary>A record whose display name is also kept folded (lower case, no diacritics) for case-insensitive list filters on every database.</summary>
public interface IHasSearchName
{
    string SearchName { get; set; }
}
