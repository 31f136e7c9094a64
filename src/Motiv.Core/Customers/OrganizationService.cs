using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Motiv.Core.CustomFields;
using Motiv.Core.Common;
using Motiv.Core.Data;
using Motiv.Core.Views;

namespace Motiv.Core.Customers;

public sealed record OrganizationInput : IOwnedInput, IContactInput
{
    public Dictionary<string, JsonElement>? CustomFields { get; set; }
    public string? Name { get; set; }
    public string? LegalForm { get; set; }
    public List<OrganizationRoles>? Roles { get; set; }
    public string? Industry { get; set; }
    public string? Website { get; set; }
    public string? VatId { get; set; }
    public string? TaxNumber { get; set; }
    public List<EmailAddress>? Emails { get; set; }
    public List<PhoneNumber>? Phones { get; set; }
    public List<PostalAddress>? Addresses { get; set; }
    public Guid? ParentId { get; set; }
    public List<string>? Tags { get; set; }
    public string? ExternalId { get; set; }
    public string? Notes { get; set; }
    public Guid? OwnerId { get; set; }
    public Guid? TeamId { get; set; }
    public Visibility? Visibility { get; set; }
}

public sealed record OrganizationDto(
    Guid Id, string Name, string? LegalForm, IReadOnlyList<OrganizationRoles> Roles, string? Industry, string? Website,
    string? VatId, string? TaxNumber, IReadOnlyList<EmailAddress> Emails, IReadOnlyList<PhoneNumber> Phones,
    IReadOnlyList<PostalAddress> Addresses, Guid? ParentId, IReadOnlyList<string> Tags, string? ExternalId, string? Notes,
    Guid OwnerId, Guid? TeamId, Visibility Visibility, DateTimeOffset CreatedAt, Guid CreatedById,
    DateTimeOffset UpdatedAt, Guid UpdatedById, long Version, IReadOnlyDictionary<string, object?> CustomFields);

public sealed record OrganizationListItem(Guid Id, string Name, IReadOnlyList<OrganizationRoles> Roles, string? Industry, string? City, string? Country,
    string? PrimaryEmail, string? PrimaryPhone, IReadOnlyList<string> Tags, Guid OwnerId, DateTimeOffset UpdatedAt, long Version);

public sealed record OrganizationQuery : ICustomFieldQuery<OrganizationQuery>
{
    public IReadOnlyDictionary<string, string>? CustomFields { get; private init; }

    public OrganizationQuery WithCustomFields(IReadOnlyDictionary<string, string>? filters) => this with { CustomFields = filters };

    /// <summary>The filter names a saved view may hold (besides cf.*), as in the API's query string.</summary>
    public static readonly IReadOnlyList<string> FilterNames = ["q", "role", "tag", "city", "country", "industry", "ownerId", "parentId"];

    public Dictionary<string, string> ToFilters() => ViewFilters.Build(
        ("q", Q), ("role", Role is { } r ? ViewFilters.Name(r) : null), ("tag", Tag), ("city", City), ("country", Country),
        ("industry", Industry), ("ownerId", OwnerId?.ToString()), ("parentId", ParentId?.ToString()), CustomFields);

    public static OrganizationQuery FromFilters(IReadOnlyDictionary<string, string> f) => new OrganizationQuery
    {
        Q = f.GetValueOrDefault("q"), Role = ViewFilters.Enum<OrganizationRoles>(f, "role"), Tag = f.GetValueOrDefault("tag"),
        City = f.GetValueOrDefault("city"), Country = f.GetValueOrDefault("country"), Industry = f.GetValueOrDefault("industry"),
        OwnerId = ViewFilters.Id(f, "ownerId"), ParentId = ViewFilters.Id(f, "parentId"),
    }.WithCustomFields(ViewFilters.CustomFields(f));

    public string? Q { get; set; }
    public OrganizationRoles? Role { get; set; }
    public string? Tag { get; set; }
    public string? City { get; set; }
    public string? Country { get; set; }
    public string? Industry { get; set; }
    public Guid? OwnerId { get; set; }
    public Guid? ParentId { get; set; }
    public string? Sort { get; set; }
    public string? Cursor { get; set; }
    public int? Limit { get; set; }
}

public sealed record OrganizationRef(Guid Id, string Name);

public sealed record PersonRef(Guid Id, string Name);

public sealed class OrganizationService(IDbContextFactory<MotivDbContext> dbFactory)
{
    public static readonly SortFields<Organization> Sorts = new SortFields<Organization>("name")
        .Add("name", o => o.Name)
        .Add("city", o => o.City ?? "")
        .Add("country", o => o.Country ?? "")
        .Add("createdAt", o => o.CreatedAt)
        .Add("updatedAt", o => o.UpdatedAt);

    public async Task<Page<OrganizationListItem>> ListAsync(OrganizationQuery query, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        IQueryable<Organization> q = db.Organizations.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(query.Q))
        {
            var folded = Search.SearchText.Fold(query.Q);
            var email = query.Q.Trim().ToLowerInvariant();
            var vat = VatRules.Normalize(query.Q);
            q = q.Where(o => o.SearchName.Contains(folded) || (o.PrimaryEmail != null && o.PrimaryEmail.Contains(email)) || o.VatId == vat);
        }
        if (query.Role is { } role && role != OrganizationRoles.None) q = q.Where(o => (o.Roles & role) == role);
        if (!string.IsNullOrWhiteSpace(query.Tag)) q = q.Where(o => o.Tags.Contains(TagList.Needle(query.Tag)));
        if (!string.IsNullOrWhiteSpace(query.City)) q = q.Where(o => o.City == query.City.Trim());
        if (!string.IsNullOrWhiteSpace(query.Country)) q = q.Where(o => o.Country == query.Country.Trim().ToUpper());
        if (!string.IsNullOrWhiteSpace(query.Industry)) q = q.Where(o => o.Industry == query.Industry.Trim());
        if (query.OwnerId is { } owner) q = q.Where(o => o.OwnerId == owner);
        if (query.ParentId is { } parent) q = q.Where(o => o.ParentId == parent);
        q = await CustomFieldService.FilterAsync(db, q, Organization.Type, query.CustomFields, ct);
        return await Paging.PageAsync(q, Sorts, query.Sort, query.Cursor, query.Limit,
            o => new OrganizationListItem(o.Id, o.Name, o.Roles.ToList(), o.Industry, o.City, o.Country, o.PrimaryEmail, o.PrimaryPhone, TagList.FromStored(o.Tags), o.OwnerId, o.UpdatedAt, o.Version), ct);
    }

    /// <summary>Suggestions for a picker: the first organisations the user may see whose name matches.</summary>
    public async Task<IEnumerable<OrganizationRef>> SuggestAsync(string? text, CancellationToken ct = default) =>
        (await ListAsync(new OrganizationQuery { Q = text, Limit = 20 }, ct)).Items.Select(o => new OrganizationRef(o.Id, o.Name));

    public async Task<OrganizationDto> GetAsync(Guid id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await ToDtoAsync(db, await Records.FindAsync(db.Organizations.AsNoTracking(), id, ct), ct);
    }

    public async Task<OrganizationDto> CreateAsync(OrganizationInput input, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var org = new Organization { Id = Guid.CreateVersion7() };
        await ApplyAsync(db, org, input, isNew: true, ct);
        db.Organizations.Add(org);
        await db.SaveChangesAsync(ct);
        return await ToDtoAsync(db, org, ct);
    }

    public async Task<OrganizationDto> UpdateAsync(Guid id, long? expectedVersion, OrganizationInput input, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var org = await Records.FindForUpdateAsync(db, db.Organizations, id, expectedVersion, ct);
        await ApplyAsync(db, org, input, isNew: false, ct);
        await db.SaveChangesAsync(ct);
        return await ToDtoAsync(db, org, ct);
    }

    /// <summary>Parent, subsidiaries and the people employed there, as far as the user may see them.</summary>
    public async Task<OrganizationFamily> GetFamilyAsync(Guid id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var org = await Records.FindAsync(db.Organizations.AsNoTracking(), id, ct);
        var parent = org.ParentId is { } p
            ? await db.Organizations.Where(o => o.Id == p).Select(o => new OrganizationRef(o.Id, o.Name)).FirstOrDefaultAsync(ct)
            : null;
        var subsidiaries = await db.Organizations.Where(o => o.ParentId == id).OrderBy(o => o.Name)
            .Select(o => new OrganizationRef(o.Id, o.Name)).Take(500).ToListAsync(ct);
        var people = await db.People.AsNoTracking()
            .SelectMany(person => person.Employments.Where(e => e.OrganizationId == id), (person, e) => new { person, e })
            .OrderBy(x => x.person.LastName).ThenBy(x => x.person.FirstName).Take(1000)
            .Select(x => new EmployeeItem(x.person.Id, x.person.FirstName + " " + x.person.LastName, x.e.Position, x.e.Department, x.e.IsPrimary, x.e.From, x.e.To, x.person.PrimaryEmail, x.person.PrimaryPhone))
            .ToListAsync(ct);
        return new OrganizationFamily(parent, subsidiaries, people);
    }

    public static OrganizationInput ToInput(OrganizationDto o) => new()
    {
        Name = o.Name, LegalForm = o.LegalForm, Roles = [.. o.Roles], Industry = o.Industry, Website = o.Website,
        VatId = o.VatId, TaxNumber = o.TaxNumber, Emails = [.. o.Emails], Phones = [.. o.Phones], Addresses = [.. o.Addresses],
        ParentId = o.ParentId, Tags = [.. o.Tags], ExternalId = o.ExternalId, Notes = o.Notes,
        OwnerId = o.OwnerId, TeamId = o.TeamId, Visibility = o.Visibility, CustomFields = CustomFieldService.ToInput(o.CustomFields),
    };

    internal static async Task ApplyAsync(MotivDbContext db, Organization org, OrganizationInput input, bool isNew, CancellationToken ct)
    {
        var errors = new FieldErrors();
        org.Name = errors.Required("name", input.Name, 200);
        org.LegalForm = errors.Optional("legalForm", input.LegalForm, 50);
        org.Roles = OrganizationRoles.None;
        foreach (var (role, i) in (input.Roles ?? []).Select((r, i) => (r, i)))
        {
            if (role == OrganizationRoles.None || !Enum.IsDefined(role)) errors.Add($"roles[{i}]", Text.Get("Validation.Choice"));
            org.Roles |= role;
        }
        org.Industry = errors.Optional("industry", input.Industry, 100);
        org.Website = errors.Url("website", input.Website);
        org.VatId = errors.Optional("vatId", input.VatId, 30) is { } vat ? VatRules.Normalize(vat) : null;
        if (org.VatId is not null && !VatRules.IsValid(org.VatId)) errors.Add("vatId", Text.Get("Validation.VatId"));
        org.TaxNumber = errors.Optional("taxNumber", input.TaxNumber, 30);
        Contacts.Apply(errors, org, input);
        org.Tags = Contacts.Tags(errors, input.Tags);
        org.ExternalId = errors.Optional("externalId", input.ExternalId, 100);
        org.Notes = errors.Optional("notes", input.Notes, 10000);
        if (input.ParentId != org.ParentId)
        {
            if (input.ParentId is { } parent && !await IsValidParentAsync(db, org.Id, parent, ct)) errors.Add("parentId", Text.Get("Validation.Parent"));
            org.ParentId = input.ParentId;
        }
        await CustomFieldService.ApplyAsync(db, errors, org, input.CustomFields, isNew, ct);
        await Ownership.ApplyAsync(db, errors, org, input, isNew, ct);
        errors.ThrowIfAny();
    }

    /// <summary>
    /// The parent must be visible to the user and must not be the organisation itself or one of its
    /// subsidiaries; the ancestry is walked through all organisations, hidden or deleted ones included.
    /// </summary>
    private static async Task<bool> IsValidParentAsync(MotivDbContext db, Guid id, Guid parent, CancellationToken ct)
    {
        if (!await db.Organizations.AnyAsync(o => o.Id == parent, ct)) return false;
        var all = db.Organizations.IgnoreQueryFilters();
        var current = (Guid?)parent;
        for (var depth = 0; current is { } c && depth < 100; depth++)
        {
            if (c == id) return false;
            current = await all.Where(o => o.Id == c).Select(o => o.ParentId).FirstOrDefaultAsync(ct);
        }
        return current is null;
    }

    internal static async Task<OrganizationDto> ToDtoAsync(MotivDbContext db, Organization o, CancellationToken ct)
    {
        var values = await CustomFieldService.ValuesAsync(db, [o.Id], ct);
        return ToDto(o, values.GetValueOrDefault(o.Id) ?? []);
    }

    internal static OrganizationDto ToDto(Organization o, IReadOnlyDictionary<string, object?> customFields) => new(
        o.Id, o.Name, o.LegalForm, o.Roles.ToList(),
        o.Industry, o.Website, o.VatId, o.TaxNumber, o.Emails, o.Phones, o.Addresses, o.ParentId, TagList.FromStored(o.Tags),
        o.ExternalId, o.Notes, o.OwnerId, o.TeamId, o.Visibility, o.CreatedAt, o.CreatedById, o.UpdatedAt, o.UpdatedById, o.Version, customFields);
}

public sealed record EmployeeItem(Guid PersonId, string Name, string? Position, string? Department, bool IsPrimary, DateOnly? From, DateOnly? To, string? Email, string? Phone);

public sealed record OrganizationFamily(OrganizationRef? Parent, IReadOnlyList<OrganizationRef> Subsidiaries, IReadOnlyList<EmployeeItem> People);
