using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Motiv.Core.CustomFields;
using Motiv.Core.Common;
using Motiv.Core.Data;
using Motiv.Core.Views;

namespace Motiv.Core.Customers;

public sealed record EmploymentInput(Guid OrganizationId, string? Position = null, string? Department = null, bool IsPrimary = false, DateOnly? From = null, DateOnly? To = null);

public sealed record PersonInput : IOwnedInput, IContactInput
{
    public Dictionary<string, JsonElement>? CustomFields { get; set; }
    public Salutation? Salutation { get; set; }
    public string? AcademicTitle { get; set; }
    public string? FirstName { get; set; }
    public string? LastName { get; set; }
    public List<EmailAddress>? Emails { get; set; }
    public List<PhoneNumber>? Phones { get; set; }
    public List<PostalAddress>? Addresses { get; set; }
    public DateOnly? Birthday { get; set; }
    public string? PreferredLanguage { get; set; }
    public Channel? PreferredChannel { get; set; }
    public int? KeepInTouchDays { get; set; }
    public List<string>? Interests { get; set; }
    public List<ImportantDate>? ImportantDates { get; set; }
    public bool? BirthdayReminder { get; set; }
    public string? FamilyNotes { get; set; }
    public string? HowWeMet { get; set; }
    public string? ContactTimes { get; set; }
    public string? CommunicationStyle { get; set; }
    public List<EmploymentInput>? Employments { get; set; }
    public List<string>? Tags { get; set; }
    public string? ExternalId { get; set; }
    public string? Notes { get; set; }
    public Guid? OwnerId { get; set; }
    public Guid? TeamId { get; set; }
    public Visibility? Visibility { get; set; }
}

public sealed record EmploymentDto(Guid OrganizationId, string OrganizationName, string? Position, string? Department, bool IsPrimary, DateOnly? From, DateOnly? To);

public sealed record PersonDto(
    Guid Id, Salutation Salutation, string? AcademicTitle, string FirstName, string LastName, string DisplayName,
    IReadOnlyList<EmailAddress> Emails, IReadOnlyList<PhoneNumber> Phones, IReadOnlyList<PostalAddress> Addresses,
    DateOnly? Birthday, string? PreferredLanguage, Channel? PreferredChannel, IReadOnlyList<EmploymentDto> Employments,
    IReadOnlyList<string> Tags, string? ExternalId, string? Notes, Guid OwnerId, Guid? TeamId, Visibility Visibility,
    DateTimeOffset CreatedAt, Guid CreatedById, DateTimeOffset UpdatedAt, Guid UpdatedById, long Version, IReadOnlyDictionary<string, object?> CustomFields,
    int? KeepInTouchDays = null, PersonalFacts? Facts = null, DateTimeOffset? MotivesObjectedAt = null);

/// <summary>The human side of the relationship: interests, important dates, family, how we met, when and how they like to be contacted.</summary>
public sealed record PersonalFacts(IReadOnlyList<string> Interests, IReadOnlyList<ImportantDate> ImportantDates, bool BirthdayReminder, string? FamilyNotes,
    string? HowWeMet, string? ContactTimes, string? CommunicationStyle);

public sealed record PersonListItem(Guid Id, string FirstName, string LastName, string? AcademicTitle, string? PrimaryEmail, string? PrimaryPhone,
    string? City, string? Country, IReadOnlyList<string> Tags, Guid OwnerId, DateTimeOffset UpdatedAt, long Version);

public sealed record PersonQuery : ICustomFieldQuery<PersonQuery>
{
    public IReadOnlyDictionary<string, string>? CustomFields { get; private init; }

    public PersonQuery WithCustomFields(IReadOnlyDictionary<string, string>? filters) => this with { CustomFields = filters };

    /// <summary>The filter names a saved view may hold (besides cf.*), as in the API's query string.</summary>
    public static readonly IReadOnlyList<string> FilterNames = ["q", "tag", "city", "country", "organizationId", "ownerId"];

    public Dictionary<string, string> ToFilters() => ViewFilters.Build(
        ("q", Q), ("tag", Tag), ("city", City), ("country", Country), ("organizationId", OrganizationId?.ToString()), ("ownerId", OwnerId?.ToString()), CustomFields);

    public static PersonQuery FromFilters(IReadOnlyDictionary<string, string> f) => new PersonQuery
    {
        Q = f.GetValueOrDefault("q"), Tag = f.GetValueOrDefault("tag"), City = f.GetValueOrDefault("city"), Country = f.GetValueOrDefault("country"),
        OrganizationId = ViewFilters.Id(f, "organizationId"), OwnerId = ViewFilters.Id(f, "ownerId"),
    }.WithCustomFields(ViewFilters.CustomFields(f));

    public string? Q { get; set; }
    public string? Tag { get; set; }
    public string? City { get; set; }
    public string? Country { get; set; }
    public Guid? OrganizationId { get; set; }
    public Guid? OwnerId { get; set; }
    public string? Sort { get; set; }
    public string? Cursor { get; set; }
    public int? Limit { get; set; }
}

public sealed class PersonService(IDbContextFactory<MotivDbContext> dbFactory)
{
    public static readonly SortFields<Person> Sorts = new SortFields<Person>("lastName")
        .Add("lastName", p => p.LastName)
        .Add("firstName", p => p.FirstName)
        .Add("city", p => p.City ?? "")
        .Add("createdAt", p => p.CreatedAt)
        .Add("updatedAt", p => p.UpdatedAt);

    public async Task<Page<PersonListItem>> ListAsync(PersonQuery query, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        IQueryable<Person> q = db.People.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(query.Q))
        {
            var folded = Search.SearchText.Fold(query.Q);
            var email = query.Q.Trim().ToLowerInvariant();
            q = q.Where(p => p.SearchName.Contains(folded) || (p.PrimaryEmail != null && p.PrimaryEmail.Contains(email)));
        }
        if (!string.IsNullOrWhiteSpace(query.Tag)) q = q.Where(p => p.Tags.Contains(TagList.Needle(query.Tag)));
        if (!string.IsNullOrWhiteSpace(query.City)) q = q.Where(p => p.City == query.City.Trim());
        if (!string.IsNullOrWhiteSpace(query.Country)) q = q.Where(p => p.Country == query.Country.Trim().ToUpper());
        if (query.OrganizationId is { } org) q = q.Where(p => p.Employments.Any(e => e.OrganizationId == org));
        if (query.OwnerId is { } owner) q = q.Where(p => p.OwnerId == owner);
        q = await CustomFieldService.FilterAsync(db, q, Person.Type, query.CustomFields, ct);
        return await Paging.PageAsync(q, Sorts, query.Sort, query.Cursor, query.Limit,
            p => new PersonListItem(p.Id, p.FirstName, p.LastName, p.AcademicTitle, p.PrimaryEmail, p.PrimaryPhone, p.City, p.Country, TagList.FromStored(p.Tags), p.OwnerId, p.UpdatedAt, p.Version), ct);
    }

    /// <summary>Suggestions for a picker: the first people the user may see whose name matches.</summary>
    public async Task<IEnumerable<PersonRef>> SuggestAsync(string? text, CancellationToken ct = default) =>
        (await ListAsync(new PersonQuery { Q = text, Limit = 20 }, ct)).Items.Select(p => new PersonRef(p.Id, $"{p.FirstName} {p.LastName}"));

    public async Task<PersonDto> GetAsync(Guid id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var person = await Records.FindAsync(db.People.AsNoTracking().Include(p => p.Employments), id, ct);
        return await ToDtoAsync(db, person, ct);
    }

    public async Task<PersonDto> CreateAsync(PersonInput input, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var person = new Person { Id = Guid.CreateVersion7() };
        await ApplyAsync(db, person, input, isNew: true, ct);
        db.People.Add(person);
        await db.SaveChangesAsync(ct);
        return await ToDtoAsync(db, person, ct);
    }

    public async Task<PersonDto> UpdateAsync(Guid id, long? expectedVersion, PersonInput input, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var person = await Records.FindForUpdateAsync(db, db.People.Include(p => p.Employments), id, expectedVersion, ct);
        await ApplyAsync(db, person, input, isNew: false, ct);
        await db.SaveChangesAsync(ct);
        return await ToDtoAsync(db, person, ct);
    }

    public static PersonInput ToInput(PersonDto p) => new()
    {
        Salutation = p.Salutation, AcademicTitle = p.AcademicTitle, FirstName = p.FirstName, LastName = p.LastName,
        Emails = [.. p.Emails], Phones = [.. p.Phones], Addresses = [.. p.Addresses], Birthday = p.Birthday,
        PreferredLanguage = p.PreferredLanguage, PreferredChannel = p.PreferredChannel, KeepInTouchDays = p.KeepInTouchDays,
        Interests = p.Facts is { } f ? [.. f.Interests] : null, ImportantDates = p.Facts is { } g ? [.. g.ImportantDates] : null, BirthdayReminder = p.Facts?.BirthdayReminder,
        FamilyNotes = p.Facts?.FamilyNotes, HowWeMet = p.Facts?.HowWeMet, ContactTimes = p.Facts?.ContactTimes, CommunicationStyle = p.Facts?.CommunicationStyle,
        Employments = [.. p.Employments.Select(e => new EmploymentInput(e.OrganizationId, e.Position, e.Department, e.IsPrimary, e.From, e.To))],
        Tags = [.. p.Tags], ExternalId = p.ExternalId, Notes = p.Notes, OwnerId = p.OwnerId, TeamId = p.TeamId, Visibility = p.Visibility,
        CustomFields = CustomFieldService.ToInput(p.CustomFields),
    };

    internal static async Task ApplyAsync(MotivDbContext db, Person person, PersonInput input, bool isNew, CancellationToken ct)
    {
        var errors = new FieldErrors();
        person.Salutation = input.Salutation ?? Salutation.None;
        if (!Enum.IsDefined(person.Salutation)) errors.Add("salutation", Text.Get("Validation.Choice"));
        person.AcademicTitle = errors.Optional("academicTitle", input.AcademicTitle, 50);
        person.FirstName = errors.Required("firstName", input.FirstName, 100);
        person.LastName = errors.Required("lastName", input.LastName, 100);
        Contacts.Apply(errors, person, input);
        person.Birthday = input.Birthday;
        if (input.Birthday is { } b && (b.Year < 1900 || b > DateOnly.FromDateTime(db.Clock.GetUtcNow().UtcDateTime)))
            errors.Add("birthday", Text.Get("Validation.Birthday"));
        person.PreferredLanguage = input.PreferredLanguage?.Trim().ToLowerInvariant() is { Length: > 0 } lang ? lang : null;
        if (person.PreferredLanguage is not (null or "de" or "en")) errors.Add("preferredLanguage", Text.Get("Validation.Language"));
        person.PreferredChannel = input.PreferredChannel;
        if (input.PreferredChannel is { } ch && !Enum.IsDefined(ch)) errors.Add("preferredChannel", Text.Get("Validation.Choice"));
        person.KeepInTouchDays = input.KeepInTouchDays;
        if (input.KeepInTouchDays is < 1 or > 3650) errors.Add("keepInTouchDays", Text.Get("Validation.Range", 1, 3650));
        person.Tags = Contacts.Tags(errors, input.Tags);
        ApplyFacts(errors, person, input, DateOnly.FromDateTime(db.Clock.GetUtcNow().UtcDateTime));
        person.ExternalId = errors.Optional("externalId", input.ExternalId, 100);
        person.Notes = errors.Optional("notes", input.Notes, 10000);
        await ApplyEmploymentsAsync(db, errors, person, input.Employments ?? [], ct);
        await CustomFieldService.ApplyAsync(db, errors, person, input.CustomFields, isNew, ct);
        await Ownership.ApplyAsync(db, errors, person, input, isNew, ct);
        errors.ThrowIfAny();
    }

    private static void ApplyFacts(FieldErrors errors, Person person, PersonInput input, DateOnly today)
    {
        var interests = (input.Interests ?? []).Select(i => i?.Trim() ?? "").Where(i => i.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (interests.Count > 30) errors.Add("interests", Text.Get("Validation.TooMany", 30));
        if (interests.Any(i => i.Length > 60)) errors.Add("interests", Text.Get("Validation.MaxLength", 60));
        person.Interests = interests;
        var dates = input.ImportantDates ?? [];
        if (dates.Count > 20) errors.Add("importantDates", Text.Get("Validation.TooMany", 20));
        if (dates.Any(d => d is null))
        {
            errors.Add("importantDates", Text.Get("Validation.Required"));
            dates = [.. dates.Where(d => d is not null)];
        }
        foreach (var (d, i) in dates.Select((d, i) => (d, i)))
        {
            if (!Enum.IsDefined(d.Kind)) errors.Add($"importantDates[{i}].kind", Text.Get("Validation.Choice"));
            if (d.Date.Year < 1900) errors.Add($"importantDates[{i}].date", Text.Get("Validation.Date"));
            if (d.Label is { Length: > 100 }) errors.Add($"importantDates[{i}].label", Text.Get("Validation.MaxLength", 100));
        }
        person.ImportantDates = [.. dates.Select(d => d with { Label = string.IsNullOrWhiteSpace(d.Label) ? null : d.Label.Trim() })];
        person.BirthdayReminder = input.BirthdayReminder ?? false;
        person.FamilyNotes = errors.Optional("familyNotes", input.FamilyNotes, 4000);
        person.HowWeMet = errors.Optional("howWeMet", input.HowWeMet, 1000);
        person.ContactTimes = errors.Optional("contactTimes", input.ContactTimes, 200);
        person.CommunicationStyle = errors.Optional("communicationStyle", input.CommunicationStyle, 2000);
        person.NextReminderOn = ImportantDates.NextReminder(person, today);
    }

    /// <summary>Replaces the person's employments with the given ones, keeping rows that did not change (so history shows only real changes).</summary>
    private static async Task ApplyEmploymentsAsync(MotivDbContext db, FieldErrors errors, Person person, List<EmploymentInput> input, CancellationToken ct)
    {
        var orgIds = input.Select(e => e.OrganizationId).Concat(person.Employments.Select(e => e.OrganizationId)).Distinct().ToList();
        var visible = orgIds.Count == 0 ? [] : await db.Organizations.Where(o => orgIds.Contains(o.Id)).Select(o => o.Id).ToListAsync(ct);
        // Employments at organisations the user cannot see are not shown to them, so they stay as they are.
        var kept = person.Employments.Where(e => !visible.Contains(e.OrganizationId)).ToList();
        foreach (var (e, i) in input.Select((e, i) => (e, i)))
        {
            if (!visible.Contains(e.OrganizationId)) errors.Add($"employments[{i}].organizationId", Text.Get("Validation.UnknownOrganization"));
            if (e.From is { } f && e.To is { } t && t < f) errors.Add($"employments[{i}].to", Text.Get("Validation.DateOrder"));
            var row = person.Employments.FirstOrDefault(x => x.OrganizationId == e.OrganizationId && !kept.Contains(x))
                ?? new Employment { Id = Guid.CreateVersion7(), PersonId = person.Id, OrganizationId = e.OrganizationId };
            row.Position = errors.Optional($"employments[{i}].position", e.Position, 100);
            row.Department = errors.Optional($"employments[{i}].department", e.Department, 100);
            row.IsPrimary = e.IsPrimary;
            row.From = e.From;
            row.To = e.To;
            kept.Add(row);
        }
        if (kept.Count(e => e.IsPrimary) > 1) errors.Add("employments", Text.Get("Validation.OnePrimary"));
        foreach (var gone in person.Employments.Except(kept).ToList()) person.Employments.Remove(gone);
        foreach (var added in kept.Except(person.Employments).ToList()) person.Employments.Add(added);
    }

    internal static async Task<PersonDto> ToDtoAsync(MotivDbContext db, Person p, CancellationToken ct)
    {
        var orgIds = p.Employments.Select(e => e.OrganizationId).ToList();
        var names = orgIds.Count == 0 ? []
            : await db.Organizations.AsNoTracking().Where(o => orgIds.Contains(o.Id)).Select(o => new { o.Id, o.Name }).ToDictionaryAsync(o => o.Id, o => o.Name, ct);
        // An employment at an organisation the viewer may not see is left out rather than named.
        var employments = p.Employments.Where(e => names.ContainsKey(e.OrganizationId))
            .OrderByDescending(e => e.IsPrimary).ThenBy(e => names[e.OrganizationId])
            .Select(e => new EmploymentDto(e.OrganizationId, names[e.OrganizationId], e.Position, e.Department, e.IsPrimary, e.From, e.To)).ToList();
        var values = await CustomFieldService.ValuesAsync(db, [p.Id], ct);
        return new PersonDto(p.Id, p.Salutation, p.AcademicTitle, p.FirstName, p.LastName, p.DisplayName, p.Emails, p.Phones, p.Addresses,
            p.Birthday, p.PreferredLanguage, p.PreferredChannel, employments, TagList.FromStored(p.Tags), p.ExternalId, p.Notes,
            p.OwnerId, p.TeamId, p.Visibility, p.CreatedAt, p.CreatedById, p.UpdatedAt, p.UpdatedById, p.Version, values.GetValueOrDefault(p.Id) ?? [], p.KeepInTouchDays,
            new PersonalFacts(p.Interests, p.ImportantDates, p.BirthdayReminder, p.FamilyNotes, p.HowWeMet, p.ContactTimes, p.CommunicationStyle), p.MotivesObjectedAt);
    }
}
