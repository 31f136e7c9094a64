namespace Motiv.Core.Customers;

public enum EmailType { Work = 0, Private = 1, Other = 2 }

public enum PhoneType { Work = 0, Mobile = 1, Home = 2, Fax = 3, Other = 4 }

public enum AddressType { Office = 0, Billing = 1, Shipping = 2, Home = 3, Other = 4 }

public sealed record EmailAddress(string Address, EmailType Type = EmailType.Work);

/// <summary>A phone number, stored in E.164 (+4930123456).</summary>
public sealed record PhoneNumber(string Number, PhoneType Type = PhoneType.Work);

/// <summary>A postal address; <see cref="Country"/> is an ISO 3166-1 alpha-2 code.</summary>
public sealed record PostalAddress(string Street, string PostalCode, string City, string Country, AddressType Type = AddressType.Office, string? Region = null);
