using Motiv.Core.Common;
using Motiv.Core.Communication;
using Motiv.Core.Customers;
using Motiv.Core.Data;
using Motiv.Core.Sales;
using Motiv.Core.Search;
using Microsoft.EntityFrameworkCore;

namespace Motiv.Bench;

/// <summary>How much data: the full scale, or a hundredth of it for CI.</summary>
public sealed record Scale(int People, int Organizations, int Interactions, int Orders, int Deals, int Products)
{
    public static readonly Scale Full = new(1_000_000, 100_000, 5_000_000, 2_000_000, 200_000, 2_000);
    public static readonly Scale Quick = new(10_000, 1_000, 50_000, 20_000, 2_000, 200);
}

/// <summary>
/// The scale data: organisations, people employed by them, interactions, orders with lines, deals and products, with a fixed seed and
/// skewed like real customers (a few huge, many small), German and English texts. Written through <see cref="BulkWriter"/> and
/// indexed for search by <see cref="SearchIndexer.IndexAsync"/>, in transactions of 20,000 records.
/// </summary>
public static class ScaleData
{
    private const int Chunk = 20_000;
    private static readonly DateTimeOffset Now = new(2026, 11, 1, 9, 0, 0, TimeSpan.Zero);

    private static readonly string[] FirstNames = ["Anna", "Jürgen", "Eva", "Max", "Sophie", "Lukas", "Marie", "Paul", "Emma", "Felix", "Oliver", "Grace", "James", "Charlotte", "Henry", "Amelia", "Müller", "Zoë", "Björn", "Ida"];
    private static readonly string[] LastNames = ["Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz", "Hoffmann", "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Köhler", "Groß", "Weiß", "Krüger"];
    private static readonly string[] Cities = ["Berlin", "München", "Hamburg", "Köln", "Frankfurt", "Stuttgart", "Leipzig", "Wien", "Zürich", "London", "Manchester", "Dublin"];
    private static readonly string[] Industries = ["Maschinenbau", "Software", "Handel", "Logistik", "Healthcare", "Manufacturing", "Retail", "Energie"];
    private static readonly string[] Words = ["Angebot", "Lieferung", "Wartung", "Preis", "Termin", "Qualität", "Sicherheit", "Service", "quote", "delivery", "price", "meeting", "renewal", "support", "contract", "invoice"];
    private static readonly string[] Sentences =
    [
        "Kunde fragt nach einem neuen Angebot für die Wartung.", "Zuverlässigkeit ist ihm besonders wichtig.", "Der Preis spielt eine große Rolle.",
        "She asked about delivery times for the next quarter.", "They value long-term partnership and good service.", "Follow-up call about the renewal.",
        "Termin für die Vorführung vereinbart.", "Budget approved, waiting for the purchase order.",
    ];

    /// <summary>Users and teams the records belong to; the first user is the one the read benchmarks run as (Sales, not an administrator).</summary>
    public sealed record Owners(Guid[] Users, Guid[] Teams);

    public static async Task GenerateAsync(Func<MotivDbContext> newDb, Scale scale, Owners owners, Action<string> log)
    {
        var random = new Random(20261127);
        var orgIds = new Guid[scale.Organizations];
        var personIds = new Guid[scale.People];
        var personOrg = new int[scale.People];
        Guid pipelineId, stageId;
        await using (var db = newDb())
        {
            var pipeline = await db.Pipelines.Include(p => p.Stages).OrderBy(p => p.SortOrder).FirstAsync();
            pipelineId = pipeline.Id;
            stageId = pipeline.Stages.OrderBy(s => s.SortOrder).First().Id;
        }

        var products = new List<Product>(scale.Products);
        await ChunksAsync(newDb, log, "products", scale.Products, async (db, from, to) =>
        {
            var list = Enumerable.Range(from, to - from).Select(i => Owned(new Product
            {
                Sku = $"SKU-{i:00000}", NameDe = $"Produkt {i} {Words[i % Words.Length]}", NameEn = $"Product {i} {Words[(i + 3) % Words.Length]}",
                Category = $"Kategorie {i % 20}", Unit = "Stück", VatRate = i % 10 == 0 ? 7 : 19,
            }, owners, random, visible: true)).ToList();
            await BulkWriter.InsertAsync(db, list, default);
            products.AddRange(list);
            return list;
        });

        await ChunksAsync(newDb, log, "organizations", scale.Organizations, async (db, from, to) =>
        {
            var list = new List<Organization>(to - from);
            for (var i = from; i < to; i++)
            {
                var city = Cities[random.Next(Cities.Length)];
                var name = $"{LastNames[random.Next(LastNames.Length)]} {Words[random.Next(Words.Length)]} {i}";
                var o = Owned(new Organization
                {
                    Name = name, LegalForm = i % 3 == 0 ? "GmbH" : i % 3 == 1 ? "AG" : "Ltd", Industry = Industries[random.Next(Industries.Length)],
                    Roles = OrganizationRoles.Customer, ExternalId = $"K-{i}", VatId = i % 2 == 0 ? $"DE{100000000 + i}" : null,
                    Emails = [new EmailAddress($"info@org{i}.example")], Addresses = [new PostalAddress($"Hauptstraße {i % 200}", $"{10000 + i % 89999}", city, "DE")],
                    City = city, Country = "DE", PrimaryEmail = $"info@org{i}.example",
                }, owners, random);
                o.SearchName = SearchText.Fold(o.DisplayName);
                orgIds[i] = o.Id;
                list.Add(o);
            }
            await BulkWriter.InsertAsync(db, list, default);
            return list;
        });

        await ChunksAsync(newDb, log, "people", scale.People, async (db, from, to) =>
        {
            var list = new List<Person>(to - from);
            var jobs = new List<Employment>(to - from);
            for (var i = from; i < to; i++)
            {
                var first = FirstNames[random.Next(FirstNames.Length)];
                var last = LastNames[random.Next(LastNames.Length)];
                var city = Cities[random.Next(Cities.Length)];
                var email = $"{first.ToLowerInvariant()}.{last.ToLowerInvariant()}{i}@example.com";
                var p = Owned(new Person
                {
                    Salutation = (Salutation)(1 + i % 2), FirstName = first, LastName = last, ExternalId = $"P-{i}",
                    Emails = [new EmailAddress(email)], Phones = [new PhoneNumber($"+4930{1000000 + i}")],
                    Addresses = [new PostalAddress($"Gartenweg {i % 90}", $"{10000 + i % 89999}", city, "DE")],
                    City = city, Country = "DE", PrimaryEmail = email, PrimaryPhone = $"+4930{1000000 + i}", PreferredLanguage = i % 3 == 0 ? "en" : "de",
                }, owners, random);
                p.SearchName = SearchText.Fold(p.DisplayName);
                personIds[i] = p.Id;
                // Big customers employ many: the organisation is drawn with a skew towards the first ones.
                personOrg[i] = Skewed(random, scale.Organizations);
                jobs.Add(new Employment { PersonId = p.Id, OrganizationId = orgIds[personOrg[i]], IsPrimary = true, Position = i % 5 == 0 ? "Einkauf" : "Geschäftsführung" });
                list.Add(p);
            }
            await BulkWriter.InsertAsync(db, list, default);
            await BulkWriter.InsertAsync(db, jobs, default);
            return list;
        });

        await ChunksAsync(newDb, log, "interactions", scale.Interactions, async (db, from, to) =>
        {
            var list = new List<Interaction>(to - from);
            var participants = new List<InteractionParticipant>(to - from);
            for (var i = from; i < to; i++)
            {
                var person = Skewed(random, scale.People);
                var channel = (InteractionChannel)random.Next(0, 4);
                var it = Owned(new Interaction
                {
                    Channel = channel, Direction = (InteractionDirection)random.Next(0, 2), Subject = $"{Words[random.Next(Words.Length)]} {Words[random.Next(Words.Length)]}",
                    BodyText = $"{Sentences[random.Next(Sentences.Length)]} {Sentences[random.Next(Sentences.Length)]}",
                    OccurredAt = Now.AddMinutes(-random.Next(0, 3 * 365 * 24 * 60)), OrganizationId = orgIds[personOrg[person]],
                }, owners, random);
                participants.Add(new InteractionParticipant { InteractionId = it.Id, PersonId = personIds[person], OccurredAt = it.OccurredAt });
                list.Add(it);
            }
            await BulkWriter.InsertAsync(db, list, default);
            await BulkWriter.InsertAsync(db, participants, default);
            return list;
        });

        await ChunksAsync(newDb, log, "orders", scale.Orders, async (db, from, to) =>
        {
            var list = new List<Order>(to - from);
            var lines = new List<LineItem>((to - from) * 3);
            for (var i = from; i < to; i++)
            {
                var date = DateOnly.FromDateTime(Now.UtcDateTime).AddDays(-random.Next(0, 3 * 365));
                var o = Owned(new Order
                {
                    Number = $"AB-{date.Year}-{i:0000000}", Year = date.Year, Sequence = i + 1, OrganizationId = orgIds[Skewed(random, scale.Organizations)],
                    OrderDate = date, RateDate = date, Status = OrderStatus.Invoiced,
                }, owners, random);
                decimal net = 0;
                for (var l = 0; l < 1 + random.Next(3); l++)
                {
                    var product = products[Skewed(random, products.Count)];
                    var quantity = 1 + random.Next(10);
                    var price = 10m + product.Sku.GetHashCode() % 500 + 500;
                    lines.Add(new LineItem
                    {
                        RecordId = o.Id, Position = l + 1, ProductId = product.Id, Sku = product.Sku, Name = product.NameDe, Unit = product.Unit,
                        Quantity = quantity, UnitPrice = price, VatRate = product.VatRate, Net = quantity * price,
                    });
                    net += quantity * price;
                }
                o.Net = o.BaseNet = net;
                o.Vat = Math.Round(net * 0.19m, 2);
                o.Gross = o.Net + o.Vat;
                list.Add(o);
            }
            await BulkWriter.InsertAsync(db, list, default);
            await BulkWriter.InsertOwnedAsync<Order, LineItem>(db, nameof(Order.Lines), lines, default);
            return list;
        });

        await ChunksAsync(newDb, log, "deals", scale.Deals, async (db, from, to) =>
        {
            var list = new List<Deal>(to - from);
            for (var i = from; i < to; i++)
            {
                list.Add(Owned(new Deal
                {
                    Title = $"{Words[random.Next(Words.Length)]} {i}", OrganizationId = orgIds[Skewed(random, scale.Organizations)], PipelineId = pipelineId, StageId = stageId,
                    StageEnteredAt = Now.AddDays(-random.Next(60)), Amount = 1000 + random.Next(100_000), ExpectedCloseDate = DateOnly.FromDateTime(Now.UtcDateTime).AddDays(random.Next(120)),
                }, owners, random));
            }
            await BulkWriter.InsertAsync(db, list, default);
            return list;
        });
    }

    /// <summary>An index into n items, drawn so that the first ones come up far more often (a few huge customers, many small).</summary>
    private static int Skewed(Random random, int n) => Math.Min(n - 1, (int)(n * Math.Pow(random.NextDouble(), 3)));

    private static T Owned<T>(T r, Owners owners, Random random, bool visible = false) where T : Record
    {
        var owner = random.Next(owners.Users.Length);
        r.OwnerId = r.CreatedById = r.UpdatedById = owners.Users[owner];
        r.TeamId = owners.Teams[owner % owners.Teams.Length];
        r.Visibility = visible || random.Next(10) < 7 ? Visibility.Everyone : Visibility.Team;
        r.CreatedAt = r.UpdatedAt = Now.AddDays(-random.Next(1000));
        r.Version = 1;
        return r;
    }

    private static async Task ChunksAsync<T>(Func<MotivDbContext> newDb, Action<string> log, string what, int count, Func<MotivDbContext, int, int, Task<List<T>>> write) where T : Record
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (var from = 0; from < count; from += Chunk)
        {
            await using var db = newDb();
            await db.Database.OpenConnectionAsync();
            await using var tx = await db.Database.BeginTransactionAsync();
            var records = await write(db, from, Math.Min(count, from + Chunk));
            await SearchIndexer.IndexAsync(db, records, default);
            await tx.CommitAsync();
        }
        log($"{count:N0} {what} in {clock.Elapsed.TotalSeconds:N0} s");
    }
}
