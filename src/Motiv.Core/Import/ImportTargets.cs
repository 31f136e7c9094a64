using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Motiv.Core.Common;
using Motiv.Core.Communication;
using Motiv.Core.Customers;
using Motiv.Core.Data;
using Motiv.Core.Sales;

namespace Motiv.Core.Import;

/// <summary>A field a column can go to, and the headers (folded: lower case, letters and digits only) that suggest it.</summary>
public sealed record ImportField(string Key, bool Required, params string[] Headers);

/// <summary>The cells of one row by field, as mapped.</summary>
public sealed class Cells(IReadOnlyList<string?> mapping, string?[] values, int row)
{
    public int Row { get; } = row;
    public string?[] Values { get; } = values;

    /// <summary>The trimmed text of the column mapped to the field, or null when it is empty or no column is mapped to it.</summary>
    public string? this[string field]
    {
        get
        {
            for (var i = 0; i < mapping.Count && i < Values.Length; i++)
                if (mapping[i] == field && !string.IsNullOrWhiteSpace(Values[i])) return Values[i]!.Trim();
            return null;
        }
    }

    public bool Maps(string field) => mapping.Contains(field);
}

/// <summary>What a target needs while it works through a batch: the context, the import's options and the records this batch made.</summary>
public sealed class ImportBatch(MotivDbContext db, ImportJob job)
{
    public MotivDbContext Db { get; } = db;
    public ImportJob Job { get; } = job;

    /// <summary>Organisations and products already looked up in this batch, by key ("organization/externalId:K-1").</summary>
    public Dictionary<string, Guid> Known { get; } = new(StringComparer.Ordinal);

    /// <summary>The target's records looked up or written in this batch, by match key ("email:a@b.de").</summary>
    public Dictionary<string, Record> Found { get; } = new(StringComparer.Ordinal);

    /// <summary>Organisations created for missing customers or employers, besides the rows' own records (undo removes them too).</summary>
    public List<Record> Extra { get; } = [];

    public List<string> Tags(string? column) => [.. CellValues.List(column), .. Job.Tag is { Length: > 0 } t ? [t] : Array.Empty<string>()];
}

/// <summary>One kind of record an import creates: its fields, how a row finds a stored record, and how a row becomes one.</summary>
public abstract class ImportTarget
{
    public abstract string Entity { get; }
    public abstract IReadOnlyList<ImportField> Fields { get; }

    /// <summary>Whether stored records may be updated by a row (history such as orders and interactions is not overwritten).</summary>
    public virtual bool CanUpdate => true;

    /// <summary>The field whose equal values in consecutive rows make one record (an order's lines); null: one row, one record.</summary>
    public virtual string? GroupBy => null;

    /// <summary>The row's match keys in order of trust (external id first), e.g. "email:a@b.de".</summary>
    public abstract IEnumerable<string> Keys(Cells cells);

    /// <summary>The stored records with one of the values of a kind of key (e.g. "email"), each with its key; one query for a whole batch.</summary>
    public abstract Task<IEnumerable<(string? Key, Record Record)>> FindAsync(ImportBatch batch, string kind, IReadOnlyList<string> values, CancellationToken ct);

    /// <summary>Creates (existing null) or updates the record from the rows; throws a ValidationException naming the field.</summary>
    public abstract Task<Record> WriteAsync(ImportBatch batch, IReadOnlyList<Cells> rows, Record? existing, CancellationToken ct);

    /// <summary>The import field an input error belongs to ("emails[0].address" → "email", "lines[2].quantity" → "quantity").</summary>
    public virtual string FieldOf(string key) => key switch
    {
        _ when key.StartsWith("emails[0]", StringComparison.Ordinal) => "email",
        _ when key.StartsWith("emails[", StringComparison.Ordinal) => "privateEmail",
        _ when key.StartsWith("phones[0]", StringComparison.Ordinal) => "phone",
        _ when key.StartsWith("phones[", StringComparison.Ordinal) => "mobile",
        _ when key.StartsWith("addresses[", StringComparison.Ordinal) => key[(key.IndexOf('.', StringComparison.Ordinal) + 1)..],
        _ when key.StartsWith("lines[", StringComparison.Ordinal) => key[(key.IndexOf('.', StringComparison.Ordinal) + 1)..],
        _ when key.StartsWith("employments[", StringComparison.Ordinal) => key.EndsWith("organizationId", StringComparison.Ordinal) ? "organization" : key[(key.IndexOf('.', StringComparison.Ordinal) + 1)..],
        "organizationId" => "customerExternalId",
        _ => key,
    };

    /// <summary>A match key; e-mail addresses compare in lower case, identifiers as they are (so the lookup uses the index).</summary>
    protected static string? Key(string kind, string? value) =>
        string.IsNullOrWhiteSpace(value) ? null : kind + ":" + (kind == "email" ? value.Trim().ToLowerInvariant() : value.Trim());

    internal static (string Kind, string Value) Split(string key) => (key[..key.IndexOf(':', StringComparison.Ordinal)], key[(key.IndexOf(':', StringComparison.Ordinal) + 1)..]);

    /// <summary>The address from the address columns, when a city is given (the rest may be empty).</summary>
    protected static PostalAddress? Address(Cells c, AddressType type) => c["city"] is { } city
        ? new PostalAddress(c["street"] ?? "", c["postalCode"] ?? "", city, c["country"] ?? "DE", type)
        : null;

    /// <summary>Puts the value first in the list (it becomes the primary one) unless it is there already.</summary>
    protected static List<T> First<T>(List<T>? list, T? value, Func<T, T, bool> same) where T : class
    {
        var result = list ?? [];
        if (value is null || result.Any(x => same(x, value))) return result;
        return [value, .. result];
    }

    /// <summary>Finds an organisation by external id, VAT id or exact name; creates it when the import may.</summary>
    protected static async Task<Guid?> OrganizationAsync(ImportBatch batch, Common.FieldErrors errors, string field, string? externalId, string? name, CancellationToken ct)
    {
        if (externalId is null && name is null) return null;
        var key = Key("externalId", externalId) ?? Key("name", name)!;
        if (batch.Known.TryGetValue("organization/" + key, out var known)) return known;
        var db = batch.Db;
        var found = externalId is not null
            ? await db.Organizations.Where(o => o.ExternalId == externalId).Select(o => (Guid?)o.Id).FirstOrDefaultAsync(ct)
            : await db.Organizations.Where(o => o.Name == name).Select(o => (Guid?)o.Id).FirstOrDefaultAsync(ct);
        if (found is { } id)
        {
            batch.Known["organization/" + key] = id;
            return id;
        }
        if (!batch.Job.CreateMissing)
        {
            errors.Add(field, Text.Get("Import.UnknownOrganization", externalId ?? name!));
            return null;
        }
        var org = new Organization();
        await OrganizationService.ApplyAsync(db, org, new OrganizationInput
        {
            Name = name ?? externalId, ExternalId = externalId, Roles = [OrganizationRoles.Customer], Tags = batch.Tags(null),
        }, isNew: true, ct);
        db.Organizations.Add(org);
        // Saved at once (inside the row's savepoint), so that the record that needs it finds it when it is checked.
        await db.SaveChangesAsync(ct);
        batch.Known["organization/" + key] = org.Id;
        batch.Extra.Add(org);
        return org.Id;
    }
}

internal sealed class OrganizationTarget : ImportTarget
{
    public override string Entity => "organizations";

    public override IReadOnlyList<ImportField> Fields { get; } =
    [
        new("externalId", false, "externalid", "id", "kundennummer", "kundennr", "customerno", "customernumber", "accountnumber", "debitor", "debitorennummer"),
        new("name", true, "name", "firma", "firmenname", "company", "companyname", "unternehmen", "organisation", "organization", "account", "accountname"),
        new("legalForm", false, "rechtsform", "legalform"),
        new("roles", false, "rolle", "rollen", "role", "roles", "typ", "type"),
        new("industry", false, "branche", "industry", "sector"),
        new("website", false, "website", "webseite", "homepage", "url", "internet"),
        new("vatId", false, "ustidnr", "ustid", "ustidnummer", "umsatzsteuerid", "vatid", "vatnumber", "vat", "vatno"),
        new("taxNumber", false, "steuernummer", "steuernr", "taxnumber", "taxid"),
        new("email", false, "email", "mail", "emailadresse", "emailaddress"),
        new("phone", false, "telefon", "tel", "phone", "telephone", "telefonnummer", "phonenumber"),
        new("street", false, "strasse", "straße", "street", "adresse", "address", "strassehausnummer", "anschrift"),
        new("postalCode", false, "plz", "postleitzahl", "zip", "zipcode", "postalcode", "postcode"),
        new("city", false, "ort", "stadt", "city", "town"),
        new("country", false, "land", "country", "countrycode", "laendercode"),
        new("tags", false, "tags", "schlagworte", "stichworte", "labels"),
        new("notes", false, "notizen", "notiz", "bemerkung", "bemerkungen", "notes", "note", "comment", "comments", "kommentar"),
    ];

    public override IEnumerable<string> Keys(Cells c) => new[]
    {
        Key("externalId", c["externalId"]), Key("vatId", c["vatId"] is { } v ? VatRules.Normalize(v) : null), Key("email", c["email"]),
    }.OfType<string>();

    public override async Task<IEnumerable<(string? Key, Record Record)>> FindAsync(ImportBatch batch, string kind, IReadOnlyList<string> values, CancellationToken ct)
    {
        var q = batch.Db.Organizations;
        return kind switch
        {
            "externalId" => (await q.Where(o => values.Contains(o.ExternalId!)).ToListAsync(ct)).Select(o => (Key(kind, o.ExternalId), (Record)o)),
            "vatId" => (await q.Where(o => values.Contains(o.VatId!)).ToListAsync(ct)).Select(o => (Key(kind, o.VatId), (Record)o)),
            _ => (await q.Where(o => values.Contains(o.PrimaryEmail!)).ToListAsync(ct)).Select(o => (Key(kind, o.PrimaryEmail), (Record)o)),
        };
    }

    public override async Task<Record> WriteAsync(ImportBatch batch, IReadOnlyList<Cells> rows, Record? existing, CancellationToken ct)
    {
        var c = rows[0];
        var errors = new FieldErrors();
        var org = (Organization?)existing ?? new Organization();
        var input = existing is null ? new OrganizationInput() : OrganizationService.ToInput(await OrganizationService.ToDtoAsync(batch.Db, org, ct));
        input.Name = c["name"] ?? input.Name;
        input.ExternalId = c["externalId"] ?? input.ExternalId;
        input.LegalForm = c["legalForm"] ?? input.LegalForm;
        input.Industry = c["industry"] ?? input.Industry;
        input.Website = c["website"] ?? input.Website;
        input.VatId = c["vatId"] ?? input.VatId;
        input.TaxNumber = c["taxNumber"] ?? input.TaxNumber;
        input.Notes = c["notes"] ?? input.Notes;
        if (c["roles"] is { } roles)
            input.Roles = [.. CellValues.List(roles).Select(r => CellValues.Choice(errors, "roles", r, RoleWords)).OfType<OrganizationRoles>()];
        else if (existing is null) input.Roles = [OrganizationRoles.Customer];
        input.Emails = First(input.Emails, c["email"] is { } e ? new EmailAddress(e) : null, (a, b) => string.Equals(a.Address, b.Address, StringComparison.OrdinalIgnoreCase));
        input.Phones = First(input.Phones, c["phone"] is { } p ? new PhoneNumber(p) : null, (a, b) => a.Number == b.Number || PhoneRules.Normalize(b.Number, "DE") == a.Number);
        if (Address(c, AddressType.Office) is { } address) input.Addresses = [address, .. (input.Addresses ?? []).Skip(1)];
        input.Tags = [.. input.Tags ?? [], .. batch.Tags(c["tags"])];
        errors.ThrowIfAny();
        await OrganizationService.ApplyAsync(batch.Db, org, input, existing is null, ct);
        if (existing is null) batch.Db.Organizations.Add(org);
        return org;
    }

    private static readonly Dictionary<string, OrganizationRoles> RoleWords = new()
    {
        ["kunde"] = OrganizationRoles.Customer, ["interessent"] = OrganizationRoles.Prospect, ["partner"] = OrganizationRoles.Partner,
        ["lieferant"] = OrganizationRoles.Supplier, ["wettbewerber"] = OrganizationRoles.Competitor, ["mitbewerber"] = OrganizationRoles.Competitor,
    };
}

internal sealed class PersonTarget : ImportTarget
{
    public override string Entity => "people";

    public override IReadOnlyList<ImportField> Fields { get; } =
    [
        new("externalId", false, "externalid", "id", "kontaktnummer", "contactid", "contactnumber"),
        new("salutation", false, "anrede", "salutation", "geschlecht", "gender"),
        new("academicTitle", false, "titel", "title", "akademischertitel", "academictitle"),
        new("firstName", false, "vorname", "firstname", "givenname", "first"),
        new("lastName", true, "nachname", "name", "lastname", "surname", "familyname", "familienname", "last"),
        new("email", false, "email", "mail", "emailadresse", "emailaddress", "emailgeschaeftlich", "workemail"),
        new("privateEmail", false, "emailprivat", "privateemail", "personalemail"),
        new("phone", false, "telefon", "tel", "phone", "telephone", "telefongeschaeftlich", "workphone", "phonenumber"),
        new("mobile", false, "mobil", "mobiltelefon", "handy", "mobile", "mobilephone", "cell", "cellphone"),
        new("street", false, "strasse", "straße", "street", "adresse", "address", "anschrift"),
        new("postalCode", false, "plz", "postleitzahl", "zip", "zipcode", "postalcode", "postcode"),
        new("city", false, "ort", "stadt", "city", "town"),
        new("country", false, "land", "country", "countrycode"),
        new("birthday", false, "geburtstag", "geburtsdatum", "birthday", "birthdate", "dateofbirth"),
        new("preferredLanguage", false, "sprache", "language", "preferredlanguage", "korrespondenzsprache"),
        new("organization", false, "firma", "company", "unternehmen", "organisation", "organization", "companyname", "firmenname", "arbeitgeber", "employer", "account"),
        new("organizationExternalId", false, "kundennummer", "kundennr", "firmennummer", "companyid", "organizationid", "accountid", "customerno"),
        new("position", false, "position", "funktion", "jobtitle", "job", "stellung", "rolle"),
        new("department", false, "abteilung", "department"),
        new("tags", false, "tags", "schlagworte", "stichworte", "labels"),
        new("notes", false, "notizen", "notiz", "bemerkung", "bemerkungen", "notes", "note", "comment", "comments", "kommentar"),
    ];

    public override IEnumerable<string> Keys(Cells c) => new[] { Key("externalId", c["externalId"]), Key("email", c["email"]) }.OfType<string>();

    public override async Task<IEnumerable<(string? Key, Record Record)>> FindAsync(ImportBatch batch, string kind, IReadOnlyList<string> values, CancellationToken ct)
    {
        var q = batch.Db.People.Include(p => p.Employments);
        return kind == "externalId"
            ? (await q.Where(p => values.Contains(p.ExternalId!)).ToListAsync(ct)).Select(p => (Key(kind, p.ExternalId), (Record)p))
            : (await q.Where(p => values.Contains(p.PrimaryEmail!)).ToListAsync(ct)).Select(p => (Key(kind, p.PrimaryEmail), (Record)p));
    }

    public override async Task<Record> WriteAsync(ImportBatch batch, IReadOnlyList<Cells> rows, Record? existing, CancellationToken ct)
    {
        var c = rows[0];
        var errors = new FieldErrors();
        var person = (Person?)existing ?? new Person { Id = Guid.CreateVersion7() };
        var input = existing is null ? new PersonInput() : PersonService.ToInput(await PersonService.ToDtoAsync(batch.Db, person, ct));
        input.ExternalId = c["externalId"] ?? input.ExternalId;
        input.Salutation = CellValues.Choice(errors, "salutation", c["salutation"], SalutationWords) ?? input.Salutation;
        input.AcademicTitle = c["academicTitle"] ?? input.AcademicTitle;
        input.FirstName = c["firstName"] ?? input.FirstName;
        input.LastName = c["lastName"] ?? input.LastName;
        input.Birthday = CellValues.Date(errors, "birthday", c["birthday"]) ?? input.Birthday;
        input.PreferredLanguage = c["preferredLanguage"] is { } lang ? Language(lang) : input.PreferredLanguage;
        input.Notes = c["notes"] ?? input.Notes;
        Func<EmailAddress, EmailAddress, bool> sameMail = (a, b) => string.Equals(a.Address, b.Address, StringComparison.OrdinalIgnoreCase);
        input.Emails = First(input.Emails, c["email"] is { } e ? new EmailAddress(e) : null, sameMail);
        if (c["privateEmail"] is { } pe && !input.Emails.Any(x => sameMail(x, new EmailAddress(pe)))) input.Emails = [.. input.Emails, new EmailAddress(pe, EmailType.Private)];
        var region = Contacts.PhoneRegion(input.Addresses);
        Func<PhoneNumber, PhoneNumber, bool> samePhone = (a, b) => a.Number == b.Number || PhoneRules.Normalize(b.Number, region) == a.Number;
        input.Phones = First(input.Phones, c["phone"] is { } p ? new PhoneNumber(p) : null, samePhone);
        if (c["mobile"] is { } m && !input.Phones.Any(x => samePhone(x, new PhoneNumber(m)))) input.Phones = [.. input.Phones, new PhoneNumber(m, PhoneType.Mobile)];
        if (Address(c, AddressType.Office) is { } address) input.Addresses = [address, .. (input.Addresses ?? []).Skip(1)];
        input.Tags = [.. input.Tags ?? [], .. batch.Tags(c["tags"])];
        var employer = await OrganizationAsync(batch, errors, "organization", c["organizationExternalId"], c["organization"], ct);
        var employments = input.Employments ?? [];
        if (employer is { } orgId)
        {
            var current = employments.FirstOrDefault(x => x.OrganizationId == orgId);
            var updated = new EmploymentInput(orgId, c["position"] ?? current?.Position, c["department"] ?? current?.Department,
                current?.IsPrimary ?? !employments.Any(x => x.IsPrimary), current?.From, current?.To);
            input.Employments = [.. employments.Where(x => x.OrganizationId != orgId), updated];
        }
        errors.ThrowIfAny();
        await PersonService.ApplyAsync(batch.Db, person, input, existing is null, ct);
        if (existing is null) batch.Db.People.Add(person);
        return person;
    }

    private static string Language(string text) => text.Trim().ToLowerInvariant() switch
    {
        "deutsch" or "german" or "de-de" or "de-at" or "de-ch" => "de",
        "englisch" or "english" or "en-gb" or "en-us" => "en",
        var x => x,
    };

    internal static readonly Dictionary<string, Salutation> SalutationWords = new()
    {
        ["herr"] = Salutation.Mr, ["hr."] = Salutation.Mr, ["mr."] = Salutation.Mr, ["m"] = Salutation.Mr, ["männlich"] = Salutation.Mr, ["male"] = Salutation.Mr,
        ["frau"] = Salutation.Ms, ["fr."] = Salutation.Ms, ["mrs"] = Salutation.Ms, ["mrs."] = Salutation.Ms, ["ms."] = Salutation.Ms, ["w"] = Salutation.Ms,
        ["f"] = Salutation.Ms, ["weiblich"] = Salutation.Ms, ["female"] = Salutation.Ms, ["divers"] = Salutation.Mx, ["d"] = Salutation.Mx, ["keine"] = Salutation.None,
    };
}

internal sealed class LeadTarget : ImportTarget
{
    public override string Entity => "leads";

    public override IReadOnlyList<ImportField> Fields { get; } =
    [
        new("salutation", false, "anrede", "salutation"),
        new("firstName", false, "vorname", "firstname", "givenname"),
        new("lastName", true, "nachname", "name", "lastname", "surname", "familienname"),
        new("email", false, "email", "mail", "emailadresse", "emailaddress"),
        new("phone", false, "telefon", "tel", "phone", "telephone", "mobil", "mobile"),
        new("companyName", false, "firma", "company", "unternehmen", "companyname", "firmenname", "organisation", "organization"),
        new("position", false, "position", "funktion", "jobtitle"),
        new("industry", false, "branche", "industry"),
        new("employees", false, "mitarbeiter", "mitarbeiterzahl", "employees", "anzahlmitarbeiter", "companysize"),
        new("country", false, "land", "country"),
        new("city", false, "ort", "stadt", "city"),
        new("website", false, "website", "webseite", "homepage", "url"),
        new("vatId", false, "ustidnr", "ustid", "vatid", "vatnumber"),
        new("source", false, "quelle", "source", "leadquelle", "leadsource"),
        new("tags", false, "tags", "schlagworte", "labels"),
        new("notes", false, "notizen", "bemerkung", "notes", "comment", "kommentar"),
    ];

    public override IEnumerable<string> Keys(Cells c) => new[] { Key("email", c["email"]) }.OfType<string>();

    public override async Task<IEnumerable<(string? Key, Record Record)>> FindAsync(ImportBatch batch, string kind, IReadOnlyList<string> values, CancellationToken ct) =>
        (await batch.Db.Leads.Where(l => values.Contains(l.Email!) && l.Status != LeadStatus.Converted).ToListAsync(ct)).Select(l => (Key(kind, l.Email), (Record)l));

    public override async Task<Record> WriteAsync(ImportBatch batch, IReadOnlyList<Cells> rows, Record? existing, CancellationToken ct)
    {
        var c = rows[0];
        var errors = new FieldErrors();
        var lead = (Lead?)existing ?? new Lead();
        var input = existing is null ? new LeadInput { Source = LeadSource.Import } : LeadService.ToInput(await LeadService.ToDtoAsync(batch.Db, lead, ct));
        input.Salutation = CellValues.Choice(errors, "salutation", c["salutation"], PersonTarget.SalutationWords) ?? input.Salutation;
        input.FirstName = c["firstName"] ?? input.FirstName;
        input.LastName = c["lastName"] ?? input.LastName;
        input.Email = c["email"] ?? input.Email;
        input.Phone = c["phone"] ?? input.Phone;
        input.CompanyName = c["companyName"] ?? input.CompanyName;
        input.Position = c["position"] ?? input.Position;
        input.Industry = c["industry"] ?? input.Industry;
        input.Employees = CellValues.Int(errors, "employees", c["employees"], batch.Job.NumberFormat) ?? input.Employees;
        input.Country = c["country"] ?? input.Country;
        input.City = c["city"] ?? input.City;
        input.Website = c["website"] ?? input.Website;
        input.VatId = c["vatId"] ?? input.VatId;
        input.Source = CellValues.Choice<LeadSource>(errors, "source", c["source"], SourceWords) ?? input.Source;
        input.Notes = c["notes"] ?? input.Notes;
        input.Tags = [.. input.Tags ?? [], .. batch.Tags(c["tags"])];
        errors.ThrowIfAny();
        await LeadService.ApplyAsync(batch.Db, lead, input, existing is null, ct);
        if (existing is null) batch.Db.Leads.Add(lead);
        return lead;
    }

    private static readonly Dictionary<string, LeadSource> SourceWords = new()
    {
        ["webformular"] = LeadSource.WebForm, ["messe"] = LeadSource.Fair, ["empfehlung"] = LeadSource.Referral, ["kampagne"] = LeadSource.Campaign, ["sonstige"] = LeadSource.Other,
    };
}

internal sealed class ProductTarget(IOptions<SalesOptions> options) : ImportTarget
{
    public override string Entity => "products";

    public override IReadOnlyList<ImportField> Fields { get; } =
    [
        new("sku", true, "sku", "artikelnummer", "artikelnr", "artnr", "produktnummer", "productcode", "productnumber", "itemnumber", "code"),
        new("name", false, "name", "bezeichnung", "produkt", "produktname", "artikel", "artikelbezeichnung", "product", "productname", "item"),
        new("nameDe", false, "namede", "bezeichnungde", "namedeutsch"),
        new("nameEn", false, "nameen", "bezeichnungen", "nameenglisch", "nameenglish"),
        new("descriptionDe", false, "beschreibung", "beschreibungde", "descriptionde"),
        new("descriptionEn", false, "description", "descriptionen", "beschreibungen"),
        new("category", false, "kategorie", "warengruppe", "category", "productgroup", "produktgruppe"),
        new("unit", false, "einheit", "mengeneinheit", "unit", "uom"),
        new("vatRate", false, "mwst", "mwstsatz", "ust", "ustsatz", "steuersatz", "vat", "vatrate", "taxrate"),
        new("isActive", false, "aktiv", "active", "isactive"),
        new("tags", false, "tags", "schlagworte", "labels"),
    ];

    public override IEnumerable<string> Keys(Cells c) => new[] { Key("sku", c["sku"]) }.OfType<string>();

    public override async Task<IEnumerable<(string? Key, Record Record)>> FindAsync(ImportBatch batch, string kind, IReadOnlyList<string> values, CancellationToken ct) =>
        (await batch.Db.Products.Where(p => values.Contains(p.Sku)).ToListAsync(ct)).Select(p => (Key(kind, p.Sku), (Record)p));

    public override async Task<Record> WriteAsync(ImportBatch batch, IReadOnlyList<Cells> rows, Record? existing, CancellationToken ct)
    {
        var c = rows[0];
        var errors = new FieldErrors();
        var product = (Product?)existing ?? new Product();
        var input = existing is null ? new ProductInput { Unit = Text.IsGerman ? "Stk." : "pc.", VatRate = options.Value.VatRates.Max() }
            : ProductService.ToInput(await ProductService.ToDtoAsync(batch.Db, product, ct));
        input.Sku = c["sku"] ?? input.Sku;
        input.NameDe = c["nameDe"] ?? c["name"] ?? input.NameDe;
        input.NameEn = c["nameEn"] ?? c["name"] ?? input.NameEn;
        input.DescriptionDe = c["descriptionDe"] ?? input.DescriptionDe;
        input.DescriptionEn = c["descriptionEn"] ?? input.DescriptionEn;
        input.Category = c["category"] ?? input.Category;
        input.Unit = c["unit"] ?? input.Unit;
        input.VatRate = CellValues.Decimal(errors, "vatRate", c["vatRate"], batch.Job.NumberFormat) is { } rate ? (rate is > 0 and < 1 ? rate * 100 : rate) : input.VatRate;
        input.IsActive = CellValues.Bool(errors, "isActive", c["isActive"]) ?? input.IsActive;
        input.Tags = [.. input.Tags ?? [], .. batch.Tags(c["tags"])];
        errors.ThrowIfAny();
        await ProductService.ApplyAsync(batch.Db, product, input, options.Value, existing is null, ct);
        if (existing is null) batch.Db.Products.Add(product);
        return product;
    }
}

/// <summary>Orders with their lines: one row per line, consecutive rows with the same order number make one order.</summary>
internal sealed class OrderTarget(IOptions<SalesOptions> options) : ImportTarget
{
    public override string Entity => "orders";
    public override bool CanUpdate => false;
    public override string? GroupBy => "orderExternalId";

    public override IReadOnlyList<ImportField> Fields { get; } =
    [
        new("orderExternalId", false, "ordernumber", "orderno", "orderid", "auftragsnummer", "auftragsnr", "bestellnummer", "bestellnr", "belegnummer", "externalid"),
        new("customerExternalId", false, "kundennummer", "kundennr", "customerid", "customerno", "customernumber", "debitor", "accountid", "externalcustomerid"),
        new("customerName", false, "kunde", "kundenname", "firma", "customer", "customername", "company", "account"),
        new("orderDate", true, "datum", "auftragsdatum", "bestelldatum", "belegdatum", "date", "orderdate"),
        new("currency", false, "waehrung", "währung", "currency"),
        new("status", false, "status"),
        new("productSku", false, "sku", "artikelnummer", "artikelnr", "artnr", "productcode", "productsku", "itemnumber"),
        new("productName", false, "artikel", "bezeichnung", "produkt", "product", "productname", "item", "description"),
        new("quantity", false, "menge", "anzahl", "stueck", "quantity", "qty"),
        new("unitPrice", false, "einzelpreis", "preis", "stueckpreis", "unitprice", "price"),
        new("lineTotal", false, "betrag", "summe", "gesamtpreis", "netto", "nettobetrag", "umsatz", "amount", "total", "linetotal", "net", "revenue", "sales"),
        new("discountPercent", false, "rabatt", "discount", "discountpercent"),
        new("vatRate", false, "mwst", "mwstsatz", "ust", "steuersatz", "vat", "vatrate"),
        new("tags", false, "tags", "schlagworte", "labels"),
        new("notes", false, "notizen", "bemerkung", "notes", "comment"),
    ];

    public override IEnumerable<string> Keys(Cells c) => new[] { Key("externalId", c["orderExternalId"]) }.OfType<string>();

    public override async Task<IEnumerable<(string? Key, Record Record)>> FindAsync(ImportBatch batch, string kind, IReadOnlyList<string> values, CancellationToken ct) =>
        (await batch.Db.Orders.Where(o => values.Contains(o.ExternalId!)).ToListAsync(ct)).Select(o => (Key(kind, o.ExternalId), (Record)o));

    public override async Task<Record> WriteAsync(ImportBatch batch, IReadOnlyList<Cells> rows, Record? existing, CancellationToken ct)
    {
        var c = rows[0];
        var errors = new FieldErrors();
        var format = batch.Job.NumberFormat;
        var customer = await OrganizationAsync(batch, errors, c["customerExternalId"] is null ? "customerName" : "customerExternalId", c["customerExternalId"], c["customerName"], ct);
        if (customer is null && !errors.Any) errors.Add("customerExternalId", Text.Get("Validation.Required"));
        var lines = new List<LineInput>();
        foreach (var (line, i) in rows.Select((r, i) => (r, i)))
        {
            Guid? productId = null;
            if (line["productSku"] is { } sku)
            {
                productId = await ProductIdAsync(batch, sku, ct);
                if (productId is null) errors.Add($"lines[{i}].productSku", Text.Get("Import.UnknownProduct", sku));
            }
            var quantity = CellValues.Decimal(errors, $"lines[{i}].quantity", line["quantity"], format) ?? 1m;
            var unitPrice = CellValues.Decimal(errors, $"lines[{i}].unitPrice", line["unitPrice"], format);
            if (unitPrice is null && CellValues.Decimal(errors, $"lines[{i}].lineTotal", line["lineTotal"], format) is { } total && quantity != 0)
                unitPrice = Math.Round(total / quantity, 4);
            var vat = CellValues.Decimal(errors, $"lines[{i}].vatRate", line["vatRate"], format);
            lines.Add(new LineInput(productId, line["productName"] ?? (productId is null ? (Text.IsGerman ? "Position" : "Item") : null), null,
                productId is null ? (Text.IsGerman ? "Stk." : "pc.") : null, quantity, unitPrice,
                CellValues.Decimal(errors, $"lines[{i}].discountPercent", line["discountPercent"], format),
                vat ?? (productId is null ? options.Value.VatRates.Max() : null)));
        }
        var input = new OrderInput
        {
            OrganizationId = customer, OrderDate = CellValues.Date(errors, "orderDate", c["orderDate"]), Currency = c["currency"]?.ToUpperInvariant(),
            Status = CellValues.Choice(errors, "status", c["status"], StatusWords) ?? OrderStatus.Delivered, Lines = lines, Notes = c["notes"], Tags = batch.Tags(c["tags"]),
        };
        if (input.OrderDate is null && !errors.Has("orderDate")) errors.Add("orderDate", Text.Get("Validation.Required"));
        errors.ThrowIfAny();
        var order = new Order { ExternalId = c["orderExternalId"] };
        await OrderService.ApplyAsync(batch.Db, order, input, options.Value, isNew: true, ct);
        await SalesDocuments.NumberAsync(batch.Db, order, "order", options.Value.OrderNumberPattern, order.OrderDate.Year, ct);
        batch.Db.Orders.Add(order);
        return order;
    }

    private static async Task<Guid?> ProductIdAsync(ImportBatch batch, string sku, CancellationToken ct)
    {
        var key = "product/" + sku.ToLowerInvariant();
        if (batch.Known.TryGetValue(key, out var known)) return known;
        var id = await batch.Db.Products.Where(p => p.Sku == sku).Select(p => (Guid?)p.Id).FirstOrDefaultAsync(ct);
        if (id is { } found) batch.Known[key] = found;
        return id;
    }

    private static readonly Dictionary<string, OrderStatus> StatusWords = new()
    {
        ["offen"] = OrderStatus.Open, ["bestätigt"] = OrderStatus.Confirmed, ["geliefert"] = OrderStatus.Delivered, ["berechnet"] = OrderStatus.Invoiced,
        ["fakturiert"] = OrderStatus.Invoiced, ["storniert"] = OrderStatus.Cancelled, ["canceled"] = OrderStatus.Cancelled,
    };
}

/// <summary>Calls, meetings, mails and notes from another system, linked to people by e-mail or external id.</summary>
internal sealed class InteractionTarget : ImportTarget
{
    public override string Entity => "interactions";
    public override bool CanUpdate => false;

    public override IReadOnlyList<ImportField> Fields { get; } =
    [
        new("channel", false, "kanal", "art", "typ", "channel", "type", "activitytype"),
        new("direction", false, "richtung", "direction"),
        new("occurredAt", true, "datum", "zeitpunkt", "date", "datetime", "occurredat", "zeit", "time"),
        new("subject", true, "betreff", "thema", "subject", "title", "titel"),
        new("body", false, "text", "inhalt", "notiz", "beschreibung", "body", "content", "description", "notes"),
        new("durationMinutes", false, "dauer", "dauerminuten", "duration", "durationminutes", "minutes"),
        new("outcome", false, "ergebnis", "outcome", "result"),
        new("personEmail", false, "email", "mail", "kontaktemail", "contactemail"),
        new("personExternalId", false, "kontaktnummer", "contactid", "personid"),
        new("organizationExternalId", false, "kundennummer", "kundennr", "customerid", "accountid"),
        new("organization", false, "firma", "kunde", "company", "organization", "account"),
        new("tags", false, "tags", "schlagworte", "labels"),
    ];

    public override IEnumerable<string> Keys(Cells c) => [];

    public override Task<IEnumerable<(string? Key, Record Record)>> FindAsync(ImportBatch batch, string kind, IReadOnlyList<string> values, CancellationToken ct) =>
        Task.FromResult(Enumerable.Empty<(string? Key, Record Record)>());

    public override async Task<Record> WriteAsync(ImportBatch batch, IReadOnlyList<Cells> rows, Record? existing, CancellationToken ct)
    {
        var c = rows[0];
        var errors = new FieldErrors();
        var people = new List<Guid>();
        if (c["personEmail"]?.ToLowerInvariant() is { } email)
        {
            var id = await batch.Db.People.Where(p => p.PrimaryEmail == email).Select(p => (Guid?)p.Id).FirstOrDefaultAsync(ct);
            if (id is null) errors.Add("personEmail", Text.Get("Import.UnknownPerson", email)); else people.Add(id.Value);
        }
        if (c["personExternalId"] is { } external)
        {
            var id = await batch.Db.People.Where(p => p.ExternalId == external).Select(p => (Guid?)p.Id).FirstOrDefaultAsync(ct);
            if (id is null) errors.Add("personExternalId", Text.Get("Import.UnknownPerson", external)); else if (!people.Contains(id.Value)) people.Add(id.Value);
        }
        var org = await OrganizationAsync(batch, errors, "organization", c["organizationExternalId"], c["organization"], ct);
        var input = new InteractionInput
        {
            Channel = CellValues.Choice(errors, "channel", c["channel"], ChannelWords), Direction = CellValues.Choice(errors, "direction", c["direction"], DirectionWords),
            OccurredAt = CellValues.Moment(errors, "occurredAt", c["occurredAt"]), Subject = c["subject"], Body = c["body"] is { } b ? System.Net.WebUtility.HtmlEncode(b) : null,
            DurationMinutes = CellValues.Int(errors, "durationMinutes", c["durationMinutes"], batch.Job.NumberFormat), Outcome = c["outcome"],
            PersonIds = people, OrganizationId = org, Tags = batch.Tags(c["tags"]),
        };
        if (input.OccurredAt is null && !errors.Has("occurredAt")) errors.Add("occurredAt", Text.Get("Validation.Required"));
        errors.ThrowIfAny();
        var interaction = new Interaction();
        await InteractionService.ApplyAsync(batch.Db, interaction, input, isNew: true, ct);
        batch.Db.Interactions.Add(interaction);
        return interaction;
    }

    private static readonly Dictionary<string, InteractionChannel> ChannelWords = new()
    {
        ["telefon"] = InteractionChannel.Phone, ["anruf"] = InteractionChannel.Phone, ["call"] = InteractionChannel.Phone, ["mail"] = InteractionChannel.Email,
        ["e-mail"] = InteractionChannel.Email, ["termin"] = InteractionChannel.Meeting, ["besuch"] = InteractionChannel.Meeting, ["brief"] = InteractionChannel.Letter,
        ["notiz"] = InteractionChannel.Note, ["webformular"] = InteractionChannel.WebForm,
    };

    private static readonly Dictionary<string, InteractionDirection> DirectionWords = new()
    {
        ["eingehend"] = InteractionDirection.Inbound, ["ausgehend"] = InteractionDirection.Outbound, ["intern"] = InteractionDirection.Internal,
        ["in"] = InteractionDirection.Inbound, ["out"] = InteractionDirection.Outbound,
    };
}
