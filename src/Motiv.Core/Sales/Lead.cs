using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Motiv.Core.Common;
using Motiv.Core.CustomFields;
using Motiv.Core.Customers;
using Motiv.Core.Data;
using Motiv.Core.Search;
using Motiv.Core.Views;

namespace Motiv.Core.Sales;

public enum LeadSource
{
    WebForm = 0,
    Fair = 1,
    Referral = 2,
    Import = 3,
    Campaign = 4,
    Partner = 5,
    Other = 6,
}

public enum LeadStatus
{
    New = 0,
    Contacted = 1,
    Qualified = 2,
    Disqualified = 3,
    Converted = 4,
}

/// <summary>A prospect as first captured: a person and a company that are not yet customers, scored and qualified before conversion.</summary>
public sealed class Lead : Record, IHasSearchName
{
    public const string Type = "lead";
    public override string RecordType => Type;
    public override string DisplayName => string.Join(" ", new[] { FirstName, LastName }.Where(s => !string.IsNullOrEmpty(s)))
        + (string.IsNullOrEmpty(CompanyName) ? "" : $" ({CompanyName})");

    public Salutation Salutation { get; set; }
    public string? FirstName { get; set; }
    public string LastName { get; set; } = "";
    public string? Email { get; set; }
    public string? Phone { get; set; }
    public string? CompanyName { get; set; }
    public string? Position { get; set; }
    public string? Industry { get; set; }
    public int? Employees { get; set; }
    public string? Country { get; set; }
    public string? City { get; set; }
    public string? Website { get; set; }
    public string? VatId { get; set; }
    public LeadSource Source { get; set; }
    public LeadStatus Status { get; set; }
    public string? DisqualifyReason { get; set; }
    public string? Notes { get; set; }

    /// <summary>Engagement so far: web forms sent and interactions (calls, mails, meetings) recorded.</summary>
    public int FormSubmissions { get; set; }
    public int Interactions { get; set; }

    /// <summary>Points from the scoring rules, and the reasons behind them (derived on every save and when the rules change).</summary>
    public int Score { get; set; }
    public List<ScoreReason> ScoreReasons { get; set; } = [];

    public DateTimeOffset? ConvertedAt { get; set; }
    public Guid? PersonId { get; set; }
    public Guid? OrganizationId { get; set; }
    public Guid? DealId { get; set; }
    public string SearchName { get; set; } = "";
}

public enum ScoreCategory
{
    Fit = 0,
    Engagement = 1,
}

public enum ScoreField
{
    Industry = 0,
    Country = 1,
    Employees = 2,
    Source = 3,
    FormSubmissions = 4,
    Interactions = 5,
}

public enum ScoreOperator
{
    Equals = 0,
    AtLeast = 1,
    AtMost = 2,
}

/// <summary>"Industry equals Maschinenbau: +20". Administrators configure the rules; every lead's score is their sum.</summary>
public sealed class LeadScoringRule
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public ScoreCategory Category { get; set; }
    public ScoreField Field { get; set; }
    public ScoreOperator Operator { get; set; }
    public string Value { get; set; } = "";
    public int Points { get; set; }
    public string LabelDe { get; set; } = "";
    public string LabelEn { get; set; } = "";
    public bool IsActive { get; set; } = true;
}

public sealed record ScoreReason(Guid RuleId, ScoreCategory Category, int Points, string LabelDe, string LabelEn)
{
    [System.Text.Json.Serialization.JsonIgnore]
    public string Label => Text.IsGerman ? LabelDe : LabelEn;
}

/// <summary>Scoring is pure: the same lead and rules always give the same points and reasons.</summary>
public static class LeadScoring
{
    public static (int Score, List<ScoreReason> Reasons) Evaluate(Lead lead, IEnumerable<LeadScoringRule> rules)
    {
        var reasons = rules.Where(r => r.IsActive && Matches(lead, r))
            .OrderBy(r => r.Category).ThenByDescending(r => r.Points).ThenBy(r => r.Id)
            .Select(r => new ScoreReason(r.Id, r.Category, r.Points, r.LabelDe, r.LabelEn)).ToList();
        return (reasons.Sum(r => r.Points), reasons);
    }

    public static bool Matches(Lead lead, LeadScoringRule rule)
    {
        if (rule.Field is ScoreField.Industry or ScoreField.Country or ScoreField.Source)
        {
            var value = rule.Field switch
            {
                ScoreField.Industry => lead.Industry,
                ScoreField.Country => lead.Country,
                _ => lead.Source.ToString(),
            };
            return rule.Operator == ScoreOperator.Equals && value is not null
                && string.Equals(SearchText.Fold(value), SearchText.Fold(rule.Value), StringComparison.Ordinal);
        }
        int? number = rule.Field switch
        {
            ScoreField.Employees => lead.Employees,
            ScoreField.FormSubmissions => lead.FormSubmissions,
            _ => lead.Interactions,
        };
        if (number is not { } n || !int.TryParse(rule.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var limit)) return false;
        return rule.Operator switch
        {
            ScoreOperator.AtLeast => n >= limit,
            ScoreOperator.AtMost => n <= limit,
            _ => n == limit,
        };
    }
}

public sealed record LeadInput : IOwnedInput
{
    public Salutation? Salutation { get; set; }
    public string? FirstName { get; set; }
    public string? LastName { get; set; }
    public string? Email { get; set; }
    public string? Phone { get; set; }
    public string? CompanyName { get; set; }
    public string? Position { get; set; }
    public string? Industry { get; set; }
    public int? Employees { get; set; }
    public string? Country { get; set; }
    public string? City { get; set; }
    public string? Website { get; set; }
    public string? VatId { get; set; }
    public LeadSource? Source { get; set; }
    public LeadStatus? Status { get; set; }
    public string? DisqualifyReason { get; set; }
    public string? Notes { get; set; }
    public int? FormSubmissions { get; set; }
    public int? Interactions { get; set; }
    public List<string>? Tags { get; set; }
    public Dictionary<string, JsonElement>? CustomFields { get; set; }
    public Guid? OwnerId { get; set; }
    public Guid? TeamId { get; set; }
    public Visibility? Visibility { get; set; }
}

public sealed record LeadDto(Guid Id, Salutation Salutation, string? FirstName, string LastName, string DisplayName, string? Email, string? Phone,
    string? CompanyName, string? Position, string? Industry, int? Employees, string? Country, string? City, string? Website, string? VatId,
    LeadSource Source, LeadStatus Status, string? DisqualifyReason, string? Notes, int FormSubmissions, int Interactions,
    int Score, IReadOnlyList<ScoreReason> ScoreReasons, DateTimeOffset? ConvertedAt, Guid? PersonId, Guid? OrganizationId, Guid? DealId,
    IReadOnlyList<string> Tags, Guid OwnerId, Guid? TeamId, Visibility Visibility, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, long Version,
    IReadOnlyDictionary<string, object?> CustomFields);

public sealed record LeadListItem(Guid Id, string DisplayName, string? CompanyName, string? Email, LeadSource Source, LeadStatus Status, int Score,
    IReadOnlyList<string> Tags, Guid OwnerId, DateTimeOffset CreatedAt, long Version);

public sealed record LeadQuery : ICustomFieldQuery<LeadQuery>
{
    /// <summary>The filter names a saved view may hold (besides cf.*), as in the API's query string.</summary>
    public static readonly IReadOnlyList<string> FilterNames = ["q", "status", "source", "ownerId", "tag"];

    public Dictionary<string, string> ToFilters() => ViewFilters.Build(
        ("q", Q), ("status", Status is { } s ? ViewFilters.Name(s) : null), ("source", Source is { } o ? ViewFilters.Name(o) : null), ("ownerId", OwnerId?.ToString()), ("tag", Tag), CustomFields);

    public static LeadQuery FromFilters(IReadOnlyDictionary<string, string> f) => new LeadQuery
    {
        Q = f.GetValueOrDefault("q"), Status = ViewFilters.Enum<LeadStatus>(f, "status"), Source = ViewFilters.Enum<LeadSource>(f, "source"),
        OwnerId = ViewFilters.Id(f, "ownerId"), Tag = f.GetValueOrDefault("tag"),
    }.WithCustomFields(ViewFilters.CustomFields(f));

    public string? Q { get; set; }
    public LeadStatus? Status { get; set; }
    public LeadSource? Source { get; set; }
    public Guid? OwnerId { get; set; }
    public string? Tag { get; set; }
    public string? Sort { get; set; }
    public string? Cursor { get; set; }
    public int? Limit { get; set; }
    public IReadOnlyDictionary<string, string>? CustomFields { get; private init; }

    public LeadQuery WithCustomFields(IReadOnlyDictionary<string, string>? filters) => this with { CustomFields = filters };
}

public sealed record ScoringRuleInput(ScoreCategory? Category, ScoreField? Field, ScoreOperator? Operator, string? Value, int? Points, string? LabelDe, string? LabelEn, bool? IsActive);

public sealed record ScoringRuleDto(Guid Id, ScoreCategory Category, ScoreField Field, ScoreOperator Operator, string Value, int Points, string LabelDe, string LabelEn, bool IsActive);

/// <summary>A record that may be the same as the lead's person or company, and why Motiv thinks so.</summary>
public sealed record DuplicateCandidate(Guid Id, string Name, string? Detail, string Reason);

public sealed record LeadDuplicates(IReadOnlyList<DuplicateCandidate> People, IReadOnlyList<DuplicateCandidate> Organizations);

/// <summary>
/// How to convert: link an existing person and/or organisation instead of creating them, and optionally open a deal.
/// Without <see cref="OrganizationId"/>, an organisation is created from the lead's company unless <see cref="CreateOrganization"/> is false.
/// </summary>
public sealed record LeadConversionInput(Guid? PersonId, Guid? OrganizationId, bool? CreateOrganization, DealInput? Deal);

public sealed record LeadConversionResult(Guid LeadId, Guid PersonId, Guid? OrganizationId, Guid? DealId);

public sealed class LeadService(IDbContextFactory<MotivDbContext> dbFactory, DealService deals)
{
    public static readonly SortFields<Lead> Sorts = new SortFields<Lead>("-createdAt")
        .Add("name", l => l.SearchName)
        .Add("score", l => l.Score)
        .Add("createdAt", l => l.CreatedAt)
        .Add("updatedAt", l => l.UpdatedAt);

    public async Task<Page<LeadListItem>> ListAsync(LeadQuery query, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        IQueryable<Lead> q = db.Leads.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(query.Q))
        {
            var text = SearchText.Fold(query.Q);
            q = q.Where(l => l.SearchName.Contains(text) || l.Email == query.Q.Trim().ToLower());
        }
        if (query.Status is { } status) q = q.Where(l => l.Status == status);
        if (query.Source is { } source) q = q.Where(l => l.Source == source);
        if (query.OwnerId is { } owner) q = q.Where(l => l.OwnerId == owner);
        if (!string.IsNullOrWhiteSpace(query.Tag)) q = q.Where(l => l.Tags.Contains(TagList.Needle(query.Tag)));
        q = await CustomFieldService.FilterAsync(db, q, Lead.Type, query.CustomFields, ct);
        return await Paging.PageAsync(q, Sorts, query.Sort, query.Cursor, query.Limit,
            l => new LeadListItem(l.Id, (l.FirstName == null ? "" : l.FirstName + " ") + l.LastName, l.CompanyName, l.Email, l.Source, l.Status, l.Score,
                TagList.FromStored(l.Tags), l.OwnerId, l.CreatedAt, l.Version), ct);
    }

    public async Task<LeadDto> GetAsync(Guid id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await ToDtoAsync(db, await Records.FindAsync(db.Leads.AsNoTracking(), id, ct), ct);
    }

    public async Task<LeadDto> CreateAsync(LeadInput input, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var lead = new Lead();
        await ApplyAsync(db, lead, input, isNew: true, ct);
        db.Leads.Add(lead);
        await db.SaveChangesAsync(ct);
        return await ToDtoAsync(db, lead, ct);
    }

    public async Task<LeadDto> UpdateAsync(Guid id, long? expectedVersion, LeadInput input, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var lead = await Records.FindForUpdateAsync(db, db.Leads, id, expectedVersion, ct);
        if (lead.Status == LeadStatus.Converted) throw ValidationException.For("status", Text.Get("Validation.LeadConverted"));
        await ApplyAsync(db, lead, input, isNew: false, ct);
        await db.SaveChangesAsync(ct);
        return await ToDtoAsync(db, lead, ct);
    }

    public static LeadInput ToInput(LeadDto l) => new()
    {
        Salutation = l.Salutation, FirstName = l.FirstName, LastName = l.LastName, Email = l.Email, Phone = l.Phone, CompanyName = l.CompanyName,
        Position = l.Position, Industry = l.Industry, Employees = l.Employees, Country = l.Country, City = l.City, Website = l.Website, VatId = l.VatId,
        Source = l.Source, Status = l.Status, DisqualifyReason = l.DisqualifyReason, Notes = l.Notes, FormSubmissions = l.FormSubmissions,
        Interactions = l.Interactions, Tags = [.. l.Tags], CustomFields = CustomFieldService.ToInput(l.CustomFields),
        OwnerId = l.OwnerId, TeamId = l.TeamId, Visibility = l.Visibility,
    };

    internal static async Task ApplyAsync(MotivDbContext db, Lead lead, LeadInput input, bool isNew, CancellationToken ct)
    {
        var errors = new FieldErrors();
        lead.Salutation = input.Salutation ?? Salutation.None;
        if (!Enum.IsDefined(lead.Salutation)) errors.Add("salutation", Text.Get("Validation.Choice"));
        lead.FirstName = errors.Optional("firstName", input.FirstName, 100);
        lead.LastName = errors.Required("lastName", input.LastName, 100);
        lead.Email = errors.Email("email", input.Email);
        lead.Phone = errors.Optional("phone", input.Phone, 50);
        if (lead.Phone is not null)
        {
            var normalized = PhoneRules.Normalize(lead.Phone, input.Country?.Trim().ToUpperInvariant() is { Length: 2 } c ? c : "DE");
            if (normalized is null) errors.Add("phone", Text.Get("Validation.Phone"));
            else lead.Phone = normalized;
        }
        lead.CompanyName = errors.Optional("companyName", input.CompanyName, 200);
        lead.Position = errors.Optional("position", input.Position, 100);
        lead.Industry = errors.Optional("industry", input.Industry, 100);
        lead.Employees = input.Employees;
        if (input.Employees is < 0) errors.Add("employees", Text.Get("Validation.NotNegative"));
        lead.Country = string.IsNullOrWhiteSpace(input.Country) ? null : errors.Country("country", input.Country);
        lead.City = errors.Optional("city", input.City, 100);
        lead.Website = errors.Url("website", input.Website);
        lead.VatId = string.IsNullOrWhiteSpace(input.VatId) ? null : VatRules.Normalize(input.VatId);
        if (lead.VatId is not null && !VatRules.IsValid(lead.VatId)) errors.Add("vatId", Text.Get("Validation.VatId"));
        lead.Source = input.Source ?? LeadSource.Other;
        if (!Enum.IsDefined(lead.Source)) errors.Add("source", Text.Get("Validation.Choice"));
        var status = input.Status ?? LeadStatus.New;
        if (!Enum.IsDefined(status)) errors.Add("status", Text.Get("Validation.Choice"));
        else if (status == LeadStatus.Converted) errors.Add("status", Text.Get("Validation.ConvertByConversion"));
        else lead.Status = status;
        lead.DisqualifyReason = status == LeadStatus.Disqualified ? errors.Required("disqualifyReason", input.DisqualifyReason, 500) : null;
        lead.Notes = errors.Optional("notes", input.Notes, 10000);
        lead.FormSubmissions = input.FormSubmissions ?? 0;
        lead.Interactions = input.Interactions ?? 0;
        if (lead.FormSubmissions < 0) errors.Add("formSubmissions", Text.Get("Validation.NotNegative"));
        if (lead.Interactions < 0) errors.Add("interactions", Text.Get("Validation.NotNegative"));
        lead.Tags = Contacts.Tags(errors, input.Tags);
        await CustomFieldService.ApplyAsync(db, errors, lead, input.CustomFields, isNew, ct);
        await Ownership.ApplyAsync(db, errors, lead, input, isNew, ct);
        errors.ThrowIfAny();
        (lead.Score, lead.ScoreReasons) = LeadScoring.Evaluate(lead, await db.LeadScoringRules.AsNoTracking().ToListAsync(ct));
    }

    /// <summary>People and organisations the lead may already be: same e-mail, same VAT id, a similar company name, a similar name at that company.</summary>
    public async Task<LeadDuplicates> FindDuplicatesAsync(Guid id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var lead = await Records.FindAsync(db.Leads.AsNoTracking(), id, ct);
        var orgs = new Dictionary<Guid, DuplicateCandidate>();
        if (lead.VatId is { } vat)
        {
            foreach (var o in await db.Organizations.AsNoTracking().Where(o => o.VatId == vat).Take(10).ToListAsync(ct))
                orgs.TryAdd(o.Id, new DuplicateCandidate(o.Id, o.Name, o.City, Text.Get("Duplicate.SameVatId")));
        }
        if (lead.CompanyName is { } company)
        {
            var folded = SearchText.Fold(company);
            var first = SearchText.Tokens(company).FirstOrDefault() ?? folded;
            var candidates = await db.Organizations.AsNoTracking().Where(o => o.SearchName.StartsWith(first) || o.SearchName.Contains(" " + first))
                .OrderBy(o => o.SearchName).Take(200).Select(o => new { o.Id, o.Name, o.City, o.SearchName }).ToListAsync(ct);
            foreach (var o in candidates.Select(o => (o, Score: SearchText.Similarity(folded, o.SearchName))).Where(x => x.Score >= 0.5).OrderByDescending(x => x.Score).Take(10))
                orgs.TryAdd(o.o.Id, new DuplicateCandidate(o.o.Id, o.o.Name, o.o.City, Text.Get("Duplicate.SimilarName")));
        }
        var people = new Dictionary<Guid, DuplicateCandidate>();
        if (lead.Email is { } email)
        {
            foreach (var p in await db.People.AsNoTracking().Where(p => p.PrimaryEmail == email).Take(10).Select(p => new { p.Id, p.FirstName, p.LastName, p.PrimaryEmail }).ToListAsync(ct))
                people.TryAdd(p.Id, new DuplicateCandidate(p.Id, $"{p.FirstName} {p.LastName}", p.PrimaryEmail, Text.Get("Duplicate.SameEmail")));
        }
        if (orgs.Count > 0)
        {
            var orgIds = orgs.Keys.ToList();
            var name = SearchText.Fold($"{lead.FirstName} {lead.LastName}");
            var colleagues = await db.Employments.AsNoTracking().Where(e => orgIds.Contains(e.OrganizationId))
                .Join(db.People, e => e.PersonId, p => p.Id, (e, p) => new { p.Id, p.FirstName, p.LastName, p.SearchName, p.PrimaryEmail, e.OrganizationId })
                .Take(2000).ToListAsync(ct);
            foreach (var p in colleagues.Where(p => SearchText.Similarity(name, p.SearchName) >= 0.5 || SearchText.Fold(p.LastName) == SearchText.Fold(lead.LastName)))
                people.TryAdd(p.Id, new DuplicateCandidate(p.Id, $"{p.FirstName} {p.LastName}", p.PrimaryEmail, Text.Get("Duplicate.SameCompany", orgs[p.OrganizationId].Name)));
        }
        return new LeadDuplicates(people.Values.ToList(), orgs.Values.ToList());
    }

    /// <summary>
    /// Turns a qualified lead into a person, an organisation (new or existing) and optionally a deal, in one transaction:
    /// either everything is stored or nothing is. Errors name the part ("person.lastName", "deal.stageId").
    /// </summary>
    public async Task<LeadConversionResult> ConvertAsync(Guid id, long? expectedVersion, LeadConversionInput input, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var lead = await Records.FindForUpdateAsync(db, db.Leads, id, expectedVersion, ct);
        if (lead.Status == LeadStatus.Converted) throw ValidationException.For("status", Text.Get("Validation.LeadConverted"));
        if (lead.Status != LeadStatus.Qualified) throw ValidationException.For("status", Text.Get("Validation.LeadNotQualified"));

        Organization? org = null;
        if (input.OrganizationId is { } orgId)
        {
            org = await db.Organizations.FirstOrDefaultAsync(o => o.Id == orgId, ct);
            if (org is null) throw ValidationException.For("organizationId", Text.Get("Validation.UnknownOrganization"));
        }
        else if (input.CreateOrganization != false && lead.CompanyName is not null)
        {
            org = new Organization();
            await Prefixed("organization", () => OrganizationService.ApplyAsync(db, org, new OrganizationInput
            {
                Name = lead.CompanyName, Industry = lead.Industry, Website = lead.Website, VatId = lead.VatId, Tags = [.. TagList.FromStored(lead.Tags)],
                Roles = [OrganizationRoles.Prospect],
                Addresses = lead.City is not null ? [new PostalAddress("", "", lead.City, lead.Country ?? "DE")] : [],
                OwnerId = lead.OwnerId, TeamId = lead.TeamId, Visibility = lead.Visibility,
            }, isNew: true, ct));
            db.Organizations.Add(org);
            await db.SaveChangesAsync(ct);
        }

        Person person;
        if (input.PersonId is { } personId)
        {
            person = await db.People.Include(p => p.Employments).FirstOrDefaultAsync(p => p.Id == personId, ct)
                ?? throw ValidationException.For("personId", Text.Get("Validation.UnknownPerson"));
        }
        else
        {
            person = new Person();
            await Prefixed("person", () => PersonService.ApplyAsync(db, person, new PersonInput
            {
                Salutation = lead.Salutation, FirstName = lead.FirstName ?? "", LastName = lead.LastName,
                Emails = lead.Email is null ? [] : [new EmailAddress(lead.Email)],
                Phones = lead.Phone is null ? [] : [new PhoneNumber(lead.Phone)],
                Tags = [.. TagList.FromStored(lead.Tags)], Notes = lead.Notes,
                OwnerId = lead.OwnerId, TeamId = lead.TeamId, Visibility = lead.Visibility,
            }, isNew: true, ct));
            db.People.Add(person);
        }
        if (org is not null && person.Employments.All(e => e.OrganizationId != org.Id))
            person.Employments.Add(new Employment { PersonId = person.Id, OrganizationId = org.Id, Position = lead.Position, IsPrimary = person.Employments.Count == 0 });
        await db.SaveChangesAsync(ct);

        Deal? deal = null;
        if (input.Deal is { } dealInput)
        {
            dealInput = dealInput with
            {
                Title = string.IsNullOrWhiteSpace(dealInput.Title) ? lead.CompanyName ?? lead.DisplayName : dealInput.Title,
                OrganizationId = org?.Id,
                Contacts = dealInput.Contacts is { Count: > 0 } ? dealInput.Contacts : [new DealContactInput(person.Id, BuyingRole.DecisionMaker)],
                OwnerId = dealInput.OwnerId ?? lead.OwnerId, TeamId = dealInput.TeamId ?? lead.TeamId, Visibility = dealInput.Visibility ?? lead.Visibility,
            };
            deal = await Prefixed("deal", () => deals.AddAsync(db, dealInput, lead.Id, ct));
        }

        // Consent given with the lead's address goes to the person only when it is the person's address too.
        if (lead.Email is not null && lead.Email == person.PrimaryEmail) await Communication.ConsentService.MoveToPersonAsync(db, lead.Id, person.Id, ct);
        lead.Status = LeadStatus.Converted;
        lead.ConvertedAt = db.Clock.GetUtcNow();
        lead.PersonId = person.Id;
        lead.OrganizationId = org?.Id;
        lead.DealId = deal?.Id;
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return new LeadConversionResult(lead.Id, person.Id, org?.Id, deal?.Id);
    }

    private static async Task<T> Prefixed<T>(string part, Func<Task<T>> action)
    {
        try { return await action(); }
        catch (ValidationException ex) { throw new ValidationException(ex.Errors.ToDictionary(e => part + "." + e.Key, e => e.Value)); }
    }

    private static Task Prefixed(string part, Func<Task> action) => Prefixed(part, async () => { await action(); return true; });

    public async Task<IReadOnlyList<ScoringRuleDto>> ListRulesAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!db.Scope.IsAuthenticated) throw new AccessDeniedException(Text.Get("Access.SignIn"));
        return (await db.LeadScoringRules.AsNoTracking().ToListAsync(ct)).OrderBy(r => r.Category).ThenByDescending(r => r.Points).Select(ToDto).ToList();
    }

    /// <summary>Creates or changes a scoring rule (administrators) and rescores every open lead.</summary>
    public async Task<ScoringRuleDto> SaveRuleAsync(Guid? id, ScoringRuleInput input, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // The rule and the scores it changes are saved together or not at all.
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        if (!db.Scope.CanAdminister) throw new AccessDeniedException(Text.Get("Access.AdministratorsOnly"));
        var rule = id is { } existing
            ? await db.LeadScoringRules.FirstOrDefaultAsync(r => r.Id == existing, ct) ?? throw new NotFoundException("scoringRule", existing)
            : db.LeadScoringRules.Add(new LeadScoringRule()).Entity;
        var errors = new FieldErrors();
        rule.Category = input.Category ?? rule.Category;
        rule.Field = input.Field ?? rule.Field;
        rule.Operator = input.Operator ?? rule.Operator;
        if (!Enum.IsDefined(rule.Category)) errors.Add("category", Text.Get("Validation.Choice"));
        if (!Enum.IsDefined(rule.Field)) errors.Add("field", Text.Get("Validation.Choice"));
        if (!Enum.IsDefined(rule.Operator)) errors.Add("operator", Text.Get("Validation.Choice"));
        rule.Value = errors.Required("value", input.Value ?? (id is null ? null : rule.Value), 100);
        var numeric = rule.Field is ScoreField.Employees or ScoreField.FormSubmissions or ScoreField.Interactions;
        if (numeric && !int.TryParse(rule.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out _)) errors.Add("value", Text.Get("Validation.WholeNumber"));
        if (!numeric && rule.Operator != ScoreOperator.Equals) errors.Add("operator", Text.Get("Validation.Choice"));
        if (rule.Field == ScoreField.Source && !Enum.TryParse<LeadSource>(rule.Value, ignoreCase: true, out _)) errors.Add("value", Text.Get("Validation.Choice"));
        rule.Points = input.Points ?? rule.Points;
        if (rule.Points is < -1000 or > 1000) errors.Add("points", Text.Get("Validation.Range", -1000, 1000));
        rule.LabelDe = errors.Required("labelDe", input.LabelDe ?? (id is null ? null : rule.LabelDe), 200);
        rule.LabelEn = errors.Required("labelEn", input.LabelEn ?? (id is null ? null : rule.LabelEn), 200);
        if (input.IsActive is { } active) rule.IsActive = active;
        errors.ThrowIfAny();
        await db.SaveChangesAsync(ct);
        await RescoreAllAsync(db, ct);
        await transaction.CommitAsync(ct);
        return ToDto(rule);
    }

    /// <summary>
    /// Score and reasons are derived data: after a rule change they are rewritten directly, without a new version or a history
    /// entry per lead (nothing a person entered changed).
    /// </summary>
    private static async Task RescoreAllAsync(MotivDbContext db, CancellationToken ct)
    {
        var rules = await db.LeadScoringRules.AsNoTracking().ToListAsync(ct);
        Guid? after = null;
        while (true)
        {
            var batch = await db.Leads.IgnoreQueryFilters().AsNoTracking().Where(l => l.Status != LeadStatus.Converted && (after == null || l.Id > after))
                .OrderBy(l => l.Id).Take(500).ToListAsync(ct);
            if (batch.Count == 0) break;
            foreach (var lead in batch)
            {
                var (score, reasons) = LeadScoring.Evaluate(lead, rules);
                if (score == lead.Score && JsonColumn.Serialize(reasons) == JsonColumn.Serialize(lead.ScoreReasons)) continue;
                await db.Leads.IgnoreQueryFilters().Where(l => l.Id == lead.Id)
                    .ExecuteUpdateAsync(s => s.SetProperty(l => l.Score, score).SetProperty(l => l.ScoreReasons, reasons), ct);
            }
            after = batch[^1].Id;
        }
    }

    private static ScoringRuleDto ToDto(LeadScoringRule r) => new(r.Id, r.Category, r.Field, r.Operator, r.Value, r.Points, r.LabelDe, r.LabelEn, r.IsActive);

    internal static async Task<LeadDto> ToDtoAsync(MotivDbContext db, Lead l, CancellationToken ct)
    {
        var values = await CustomFieldService.ValuesAsync(db, [l.Id], ct);
        // What the lead became is linked only where the reader may see it.
        var personId = l.PersonId is { } p && await db.People.AnyAsync(x => x.Id == p, ct) ? l.PersonId : null;
        var organizationId = l.OrganizationId is { } o && await db.Organizations.AnyAsync(x => x.Id == o, ct) ? l.OrganizationId : null;
        var dealId = l.DealId is { } d && await db.Deals.AnyAsync(x => x.Id == d, ct) ? l.DealId : null;
        return new LeadDto(l.Id, l.Salutation, l.FirstName, l.LastName, l.DisplayName, l.Email, l.Phone, l.CompanyName, l.Position, l.Industry, l.Employees,
            l.Country, l.City, l.Website, l.VatId, l.Source, l.Status, l.DisqualifyReason, l.Notes, l.FormSubmissions, l.Interactions, l.Score, l.ScoreReasons,
            l.ConvertedAt, personId, organizationId, dealId, TagList.FromStored(l.Tags), l.OwnerId, l.TeamId, l.Visibility, l.CreatedAt, l.UpdatedAt, l.Version,
            values.GetValueOrDefault(l.Id) ?? []);
    }
}
