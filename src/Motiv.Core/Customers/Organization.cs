using Motiv.Core.Common;

namespace Motiv.Core.Customers;

/// <summary>The roles an organisation plays for us; several at once (a partner can also be a customer).</summary>
[Flags]
public enum OrganizationRoles
{
    None = 0,
    Customer = 1,
    Prospect = 2,
    Partner = 4,
    Supplier = 8,
    Competitor = 16,
}

public static class OrganizationRolesExtensions
{
    /// <summary>The single roles of a set, as the API lists them.</summary>
    public static List<OrganizationRoles> ToList(this OrganizationRoles roles) =>
        Enum.GetValues<OrganizationRoles>().Where(r => r != OrganizationRoles.None && roles.HasFlag(r)).ToList();
}

public sealed class Organization : Record, IHasContacts, IHasSearchName
{
    public const string Type = "organization";
    public override string RecordType => Type;
    public override string DisplayName => Name;

    public string Name { get; set; } = "";
    public string? LegalForm { get; set; }
    public OrganizationRoles Roles { get; set; }
    public string? Industry { get; set; }
    public string? Website { get; set; }
    public string? VatId { get; set; }
    public string? TaxNumber { get; set; }
    public List<EmailAddress> Emails { get; set; } = [];
    public List<PhoneNumber> Phones { get; set; } = [];
    public List<PostalAddress> Addresses { get; set; } = [];
    public Guid? ParentId { get; set; }
    public string? ExternalId { get; set; }
    public string? Notes { get; set; }

    // Kept from the first address, e-mail and phone so that lists can filter and sort on indexed columns.
    public string? City { get; set; }
    public string? Country { get; set; }
    public string? PrimaryEmail { get; set; }
    public string? PrimaryPhone { get; set; }

    /// <summary>The display name folded by the save pipeline, for the list filter "q".</summary>
    public string SearchName { get; set; } = "";
}
