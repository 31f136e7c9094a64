using Bogus;
using Person = Motiv.Core.Customers.Person;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Motiv.Core.Access;
using Motiv.Core.Common;
using Motiv.Core.Customers;
using Motiv.Core.Data;
using Motiv.Core.Identity;

namespace Motiv.Core.Demo;

public sealed record DemoLogin(string Email, string Role, string Team);

/// <summary>
/// Demo data for an empty database: users for each role in two teams, about 300 organisations and
/// 1,500 people with employments and relationships. Names and numbers come from a fixed seed, so
/// every demo looks the same.
/// </summary>
public sealed class DemoData(UserManager<MotivUser> users, TimeProvider clock)
{
    public const int Seed = 20261126;

    public static readonly IReadOnlyList<DemoLogin> Logins =
    [
        new("admin@motiv.demo", Roles.Administrator, "Nord"),
        new("manager@motiv.demo", Roles.Manager, "Nord"),
        new("sales@motiv.demo", Roles.Sales, "Nord"),
        new("vertrieb@motiv.demo", Roles.Sales, "Süd"),
        new("service@motiv.demo", Roles.Service, "Süd"),
        new("marketing@motiv.demo", Roles.Marketing, "Süd"),
        new("readonly@motiv.demo", Roles.ReadOnly, "Nord"),
    ];

    private static readonly string[] Industries = ["Maschinenbau", "Handel", "Software", "Logistik", "Gesundheit", "Energie", "Bau", "Beratung", "Lebensmittel", "Automotive"];
    private static readonly string[] Trades = ["Maschinenbau", "Handel", "Software", "Logistik", "Medizintechnik", "Energie", "Bau", "Consulting", "Feinkost", "Automotive", "Elektro", "Druck", "Systemhaus", "Holzbau", "Verpackung"];
    private static readonly string[] LegalForms = ["GmbH", "AG", "GmbH & Co. KG", "KG", "e.K.", "UG (haftungsbeschränkt)"];
    private static readonly (string Country, string[] Cities)[] Places =
    [
        ("DE", ["Berlin", "Hamburg", "München", "Köln", "Frankfurt am Main", "Stuttgart", "Düsseldorf", "Leipzig", "Dresden", "Nürnberg", "Bremen", "Hannover"]),
        ("AT", ["Wien", "Graz", "Linz", "Salzburg"]),
        ("CH", ["Zürich", "Basel", "Bern"]),
        ("NL", ["Amsterdam", "Rotterdam", "Utrecht"]),
        ("FR", ["Paris", "Lyon", "Strasbourg"]),
    ];

    /// <summary>Seeds the demo when the database has no users yet. Returns false when it was not empty.</summary>
    public async Task<bool> SeedAsync(MotivDbContext db, string password, CancellationToken ct = default)
    {
        if (await db.Users.AnyAsync(ct)) return false;
        var now = clock.GetUtcNow();
        var teams = new Dictionary<string, Team>();
        foreach (var name in Logins.Select(l => l.Team).Distinct())
            teams[name] = db.Teams.Add(new Team { Id = Guid.CreateVersion7(), Name = name, CreatedAt = now }).Entity;
        await db.SaveChangesAsync(ct);

        var userIds = new List<(Guid Id, Guid Team)>();
        foreach (var login in Logins)
        {
            var name = login.Email.Split('@')[0];
            var user = new MotivUser
            {
                Id = Guid.CreateVersion7(), Email = login.Email, UserName = login.Email, EmailConfirmed = true, CreatedAt = now,
                DisplayName = char.ToUpperInvariant(name[0]) + name[1..] + " Demo",
            };
            var result = await users.CreateAsync(user, password);
            if (!result.Succeeded) throw new InvalidOperationException(string.Join("; ", result.Errors.Select(e => e.Description)));
            await users.AddToRoleAsync(user, login.Role);
            db.TeamMembers.Add(new TeamMember { TeamId = teams[login.Team].Id, UserId = user.Id });
            if (login.Role != Roles.ReadOnly) userIds.Add((user.Id, teams[login.Team].Id));
        }
        await db.SaveChangesAsync(ct);

        Randomizer.Seed = new Random(Seed);
        var faker = new Faker("de");
        var organizations = Enumerable.Range(0, 300).Select(i => Organization(faker, userIds[i % userIds.Count], i)).ToList();
        for (var i = 10; i < organizations.Count; i += 17) organizations[i].ParentId = organizations[i % 10].Id;
        db.Organizations.AddRange(organizations);
        var people = Enumerable.Range(0, 1500).Select(i => Person(faker, userIds[i % userIds.Count], organizations[i % organizations.Count], i)).ToList();
        db.People.AddRange(people);
        db.Relationships.AddRange(Relationships(faker, organizations, people, userIds));
        await db.SaveChangesAsync(ct);
        await DemoSales.SeedAsync(db, faker, organizations, people, userIds, now, ct);
        await DemoEmpathy.SeedAsync(db, faker, people, now, ct);
        // Relationship health as the nightly job would have computed it two months and one month ago, and today.
        foreach (var daysAgo in new[] { 60, 30, 0 }) await Empathy.HealthService.RecomputeAllAsync(db, now.AddDays(-daysAgo), ct);
        // The customer analytics as the nightly job computes them, and two shared segments over them.
        if (await Analytics.CustomerScoring.StartAsync(db, null, ct) is { } run) await Analytics.CustomerScoring.RunAsync(db, run, ct);
        db.Segments.AddRange(
            new Analytics.Segment
            {
                Id = Guid.CreateVersion7(), Name = "Kunden, die wir nicht verlieren dürfen", Entity = "organizations", OwnerId = userIds[0].Id, Shared = true, CreatedAt = now, UpdatedAt = now,
                Conditions = [new("rfmSegment", "in", "cannotLoseThem,atRisk,hibernating")],
            },
            new Analytics.Segment
            {
                Id = Guid.CreateVersion7(), Name = "Newsletter mit Einwilligung", Entity = "people", OwnerId = userIds[0].Id, Shared = true, CreatedAt = now, UpdatedAt = now,
                Conditions = [new("consent", "eq", "email/newsletter")],
            });
        await db.SaveChangesAsync(ct);
        return true;
    }

    private static Organization Organization(Faker f, (Guid Id, Guid Team) owner, int i)
    {
        var (country, cities) = Places[i % 10 < 7 ? 0 : 1 + i % Places.Length % (Places.Length - 1)];
        var city = f.PickRandom(cities);
        var legalForm = country == "DE" || country == "AT" ? f.PickRandom(LegalForms) : null;
        var founder = f.Name.LastName();
        var trade = f.PickRandom(Trades);
        var name = (i % 3 == 0 ? $"{founder} & {f.Name.LastName()} {trade}" : $"{founder} {trade}") + (legalForm is null ? "" : " " + legalForm);
        var domain = Ascii(founder) + "-" + Ascii(trade) + i + "." + country.ToLowerInvariant();
        var roles = (i % 10) switch
        {
            < 5 => OrganizationRoles.Customer,
            < 7 => OrganizationRoles.Prospect,
            7 => OrganizationRoles.Partner | OrganizationRoles.Customer,
            8 => OrganizationRoles.Supplier,
            _ => i % 20 == 9 ? OrganizationRoles.Competitor : OrganizationRoles.Partner,
        };
        return new Organization
        {
            Id = Guid.CreateVersion7(), OwnerId = owner.Id, TeamId = owner.Team, Visibility = i % 9 == 0 ? Visibility.Private : i % 3 == 0 ? Visibility.Team : Visibility.Everyone,
            Name = name, LegalForm = legalForm, Roles = roles, Industry = f.PickRandom(Industries), Website = "https://www." + domain,
            VatId = VatId(f, country), Emails = [new EmailAddress("info@" + domain)], Phones = [new PhoneNumber(Phone(f, country))],
            Addresses = [new PostalAddress(f.Address.StreetAddress(), f.Address.ZipCode(country == "DE" ? "#####" : "####"), city, country, AddressType.Office)],
            Tags = TagList.ToStored(i % 11 == 0 ? ["vip"] : i % 7 == 0 ? ["messe-2026"] : []),
            ExternalId = $"K-{10000 + i}",
        }.WithDerivedContacts();
    }

    private static Person Person(Faker f, (Guid Id, Guid Team) owner, Organization org, int i)
    {
        var female = i % 2 == 0;
        var first = f.Name.FirstName(female ? Bogus.DataSets.Name.Gender.Female : Bogus.DataSets.Name.Gender.Male);
        var last = f.Name.LastName();
        var domain = org.PrimaryEmail!.Split('@')[1];
        var email = $"{Ascii(first)}.{Ascii(last)}{i}@{domain}";
        var country = org.Country ?? "DE";
        return new Person
        {
            Id = Guid.CreateVersion7(), OwnerId = owner.Id, TeamId = owner.Team, Visibility = org.Visibility,
            Salutation = female ? Salutation.Ms : Salutation.Mr, AcademicTitle = i % 15 == 0 ? "Dr." : null,
            FirstName = first, LastName = last, Emails = [new EmailAddress(email)],
            Phones = [new PhoneNumber(Phone(f, country), PhoneType.Work), new PhoneNumber(Mobile(f), PhoneType.Mobile)],
            Birthday = i % 4 == 0 ? new DateOnly(1960 + i % 40, 1 + i % 12, 1 + i % 28) : null,
            PreferredLanguage = country is "DE" or "AT" or "CH" ? "de" : "en", PreferredChannel = (Channel)(i % 4),
            Addresses = org.Addresses.Take(1).Select(a => a with { Type = AddressType.Office }).ToList(), ExternalId = $"P-{20000 + i}",
            Tags = TagList.ToStored(i % 13 == 0 ? ["entscheider"] : []),
            Employments = [new Employment { Id = Guid.CreateVersion7(), OrganizationId = org.Id, IsPrimary = true, Position = f.Name.JobTitle(), Department = f.Commerce.Department(1) }],
        }.WithDerivedContacts();
    }

    private static IEnumerable<Relationship> Relationships(Faker f, List<Organization> orgs, List<Person> people, List<(Guid Id, Guid Team)> owners)
    {
        for (var i = 0; i + 1 < people.Count; i += 5)
            yield return new Relationship { Id = Guid.CreateVersion7(), OwnerId = owners[i % owners.Count].Id, TeamId = owners[i % owners.Count].Team, Visibility = Visibility.Everyone, Kind = (RelationshipType)(i / 5 % 5), FromId = people[i].Id, ToId = people[i + 1].Id, Note = i % 10 == 0 ? f.Lorem.Sentence() : null };
        for (var i = 0; i + 3 < orgs.Count; i += 6)
            yield return new Relationship { Id = Guid.CreateVersion7(), OwnerId = owners[i % owners.Count].Id, TeamId = owners[i % owners.Count].Team, Visibility = Visibility.Everyone, Kind = RelationshipType.PartnerOf + i / 6 % 4, FromId = orgs[i].Id, ToId = orgs[i + 3].Id };
    }

    private static string Ascii(string s) => new(SearchTextAscii(s).Where(char.IsAsciiLetterLower).ToArray());

    private static string SearchTextAscii(string s) => Search.SearchText.Fold(s).Replace(" ", "");

    private static string VatId(Faker f, string country)
    {
        var digits = f.Random.ReplaceNumbers("########");
        return country switch
        {
            "DE" => "DE" + digits + VatRules.GermanCheckDigit(digits),
            "NL" => "NL" + digits + "1B01",
            "FR" => "FR12" + digits + "1",
            "CH" => "CHE" + digits + "1MWST",
            _ => "ATU" + AustrianWithCheckDigit(digits[..7]),
        };
    }

    private static string AustrianWithCheckDigit(string seven)
    {
        for (var d = 0; d < 10; d++)
            if (VatRules.IsValid("ATU" + seven + d)) return seven + d;
        return seven + "0";
    }

    private static string Phone(Faker f, string country) => country switch
    {
        "DE" => "+49" + f.PickRandom("30", "40", "89", "221", "69") + f.Random.ReplaceNumbers("#######"),
        "AT" => "+431" + f.Random.ReplaceNumbers("#######"),
        "CH" => "+4144" + f.Random.ReplaceNumbers("#######"),
        "NL" => "+3120" + f.Random.ReplaceNumbers("#######"),
        _ => "+331" + f.Random.ReplaceNumbers("########"),
    };

    private static string Mobile(Faker f) => "+49151" + f.Random.ReplaceNumbers("########");
}

internal static class DemoExtensions
{
    public static T WithDerivedContacts<T>(this T record) where T : IHasContacts
    {
        Contacts.Derive(record);
        return record;
    }
}
