using Bogus;
using Person = Motiv.Core.Customers.Person;
using Microsoft.EntityFrameworkCore;
using Motiv.Core.Common;
using Motiv.Core.Customers;
using Motiv.Core.Data;
using Motiv.Core.Sales;

namespace Motiv.Core.Demo;

/// <summary>
/// The sales side of the demo: three pipelines, about 60 products in 8 categories, three price lists, exchange rates,
/// leads, about 400 deals with two years of stage history, quotes, and about 5,000 orders with repeat buyers and products
/// that are bought together, so forecasts and analytics have something real to show.
/// </summary>
internal static class DemoSales
{
    private static readonly (string De, string En, string Unit, decimal Vat, decimal[] Prices)[] Categories =
    [
        ("Software-Lizenzen", "Software licences", "Lizenz", 19m, [490m, 990m, 1_990m, 4_900m, 9_900m, 19_900m, 290m, 2_490m]),
        ("Wartung", "Maintenance", "Jahr", 19m, [180m, 360m, 720m, 1_440m, 2_880m, 5_400m, 990m]),
        ("Beratung", "Consulting", "Tag", 19m, [1_150m, 1_350m, 1_550m, 1_800m, 950m, 1_250m, 2_100m, 850m]),
        ("Schulung", "Training", "Teilnehmer", 19m, [450m, 690m, 890m, 1_290m, 390m, 1_590m, 590m]),
        ("Hardware", "Hardware", "Stück", 19m, [89m, 249m, 699m, 1_490m, 3_900m, 129m, 549m, 2_290m]),
        ("Cloud-Dienste", "Cloud services", "Monat", 19m, [29m, 59m, 99m, 199m, 499m, 999m, 149m]),
        ("Support", "Support", "Stunde", 19m, [95m, 120m, 145m, 180m, 75m, 210m, 160m]),
        ("Fachliteratur", "Books", "Stück", 7m, [29.90m, 39.90m, 49.90m, 59m, 24.95m, 79m, 34.90m, 44.50m]),
    ];

    private static readonly string[] Variants = ["Basic", "Standard", "Professional", "Enterprise", "Kompakt", "Plus", "Premium", "Starter"];

    /// <summary>Which category a purchase of another tends to bring along (cross-selling the analytics should find).</summary>
    private static readonly Dictionary<int, int[]> BoughtWith = new()
    {
        [0] = [1, 3, 6], [4] = [6, 1], [5] = [3, 6], [2] = [3], [3] = [7],
    };

    public static async Task SeedAsync(MotivDbContext db, Faker f, List<Organization> orgs, List<Person> people, List<(Guid Id, Guid Team)> owners, DateTimeOffset now, CancellationToken ct)
    {
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        // Exchange rates: the first day of each month for two years.
        foreach (var (currency, level) in new[] { ("USD", 1.08m), ("CHF", 0.96m), ("GBP", 1.17m) })
        {
            for (var m = 0; m <= 25; m++)
            {
                var date = new DateOnly(today.Year, today.Month, 1).AddMonths(-m);
                db.ExchangeRates.Add(new ExchangeRate { Currency = currency, Date = date, Rate = Math.Round(1m / (level + (decimal)Math.Sin(m / 3.0) * 0.03m), 6), CreatedAt = now });
            }
        }

        // The letterhead printed on quotes.
        db.Settings.Add(new SettingRow
        {
            Key = SettingsService.CompanyKey, UpdatedAt = now,
            Value = JsonColumn.Serialize(new CompanyProfile
            {
                Name = "Motiv Demo GmbH", Street = "Hafenstraße 12", PostalCode = "20457", City = "Hamburg", Country = "DE", Phone = "+49 40 1234560",
                Email = "vertrieb@motiv.demo", Website = "https://motiv.demo", VatId = "DE136695976", TaxNumber = "22/123/45678", Register = "Amtsgericht Hamburg HRB 123456",
                ManagingDirectors = "Anna Admin", BankName = "Hamburger Sparkasse", Iban = "DE89370400440532013000", Bic = "HASPDEHHXXX",
            }),
        });

        // Products
        var products = new List<(Product Product, int Category)>();
        for (var c = 0; c < Categories.Length; c++)
        {
            var cat = Categories[c];
            for (var v = 0; v < cat.Prices.Length && products.Count < 60; v++)
            {
                var owner = owners[(c + v) % owners.Count];
                var product = new Product
                {
                    OwnerId = owner.Id, TeamId = owner.Team, Visibility = Visibility.Everyone,
                    Sku = $"{Prefix(cat.En)}-{100 + v}", NameDe = $"{cat.De} {Variants[v]}", NameEn = $"{cat.En} {Variants[v]}",
                    DescriptionDe = f.Lorem.Sentence(8), DescriptionEn = null, Category = cat.De, Unit = cat.Unit, VatRate = cat.Vat, IsActive = v < 7,
                };
                products.Add((product, c));
            }
        }
        db.Products.AddRange(products.Select(p => p.Product));
        await db.SaveChangesAsync(ct);
        decimal ListPrice((Product Product, int Category) p) => Categories[p.Category].Prices[products.Where(x => x.Category == p.Category).ToList().IndexOf(p)];

        // Price lists
        var standard = new PriceList { Name = "Standard EUR", Currency = "EUR", ValidFrom = new DateOnly(today.Year - 2, 1, 1) };
        var partner = new PriceList { Name = "Partner EUR", Currency = "EUR", ValidFrom = new DateOnly(today.Year - 2, 1, 1) };
        var export = new PriceList { Name = "Export USD", Currency = "USD", ValidFrom = new DateOnly(today.Year - 1, 1, 1) };
        foreach (var p in products)
        {
            standard.Entries.Add(new PriceListEntry { PriceListId = standard.Id, ProductId = p.Product.Id, UnitPrice = ListPrice(p) });
            partner.Entries.Add(new PriceListEntry { PriceListId = partner.Id, ProductId = p.Product.Id, UnitPrice = Math.Round(ListPrice(p) * 0.85m, 2) });
            export.Entries.Add(new PriceListEntry { PriceListId = export.Id, ProductId = p.Product.Id, UnitPrice = Math.Round(ListPrice(p) * 1.15m, 0) - 0.01m });
        }
        db.PriceLists.AddRange(standard, partner, export);

        // Pipelines: the default one exists already; the demo adds two more.
        var newBusiness = await db.Pipelines.Include(p => p.Stages).OrderBy(p => p.SortOrder).FirstAsync(ct);
        var existing = SalesDefaults.NewPipeline("Bestandskunden", "Existing customers", 1,
            ("Bedarf erkannt", "Need identified", 20, 21), ("Angebot", "Proposal", 50, 14), ("Verhandlung", "Negotiation", 80, 10));
        var partners = SalesDefaults.NewPipeline("Partnervertrieb", "Partner sales", 2,
            ("Partner registriert", "Partner registered", 10, 30), ("Gemeinsame Qualifizierung", "Joint qualification", 30, 21), ("Angebot", "Proposal", 60, 14));
        db.Pipelines.AddRange(existing, partners);
        await db.SaveChangesAsync(ct);

        // Leads
        var sources = Enum.GetValues<LeadSource>();
        var industries = new[] { "Maschinenbau", "Handel", "Software", "Logistik", "Gesundheit", "Energie" };
        var rules = await db.LeadScoringRules.AsNoTracking().ToListAsync(ct);
        for (var i = 0; i < 150; i++)
        {
            var owner = owners[i % owners.Count];
            var status = (LeadStatus)(i % 10 < 4 ? 0 : i % 10 < 6 ? 1 : i % 10 < 8 ? 2 : 3);
            var first = f.Name.FirstName();
            var last = f.Name.LastName();
            var company = $"{f.Name.LastName()} {f.PickRandom(industries)} GmbH";
            var lead = new Lead
            {
                OwnerId = owner.Id, TeamId = owner.Team, Visibility = Visibility.Team, Salutation = i % 2 == 0 ? Salutation.Ms : Salutation.Mr,
                FirstName = first, LastName = last, CompanyName = company, Email = $"{Ascii(first)}.{Ascii(last)}{i}@lead{i}.example",
                Industry = f.PickRandom(industries), Employees = f.Random.Int(3, 2000), Country = i % 6 == 0 ? "AT" : i % 9 == 0 ? "CH" : "DE",
                City = f.Address.City(), Source = sources[i % sources.Length], Status = status,
                DisqualifyReason = status == LeadStatus.Disqualified ? f.PickRandom("Kein Budget", "Kein Bedarf", "Wettbewerber gewählt") : null,
                FormSubmissions = f.Random.Int(0, 4), Interactions = f.Random.Int(0, 5), Position = f.Name.JobTitle(),
            };
            (lead.Score, lead.ScoreReasons) = LeadScoring.Evaluate(lead, rules);
            db.Leads.Add(lead);
        }

        // Deals with their stage history over the last two years.
        var pipelines = new[] { newBusiness, existing, partners };
        var deals = new List<(Deal Deal, DateTimeOffset Created)>();
        for (var i = 0; i < 400; i++)
        {
            var pipeline = pipelines[i % 10 < 6 ? 0 : i % 10 < 9 ? 1 : 2];
            var org = orgs[(i * 7) % orgs.Count];
            var contact = people.First(p => p.Employments.Any(e => e.OrganizationId == org.Id));
            // A third of the deals began in the last four months and are still open; the others are older and mostly closed.
            var recent = i % 3 == 0;
            var created = now.AddDays(recent ? -f.Random.Int(5, 120) : -f.Random.Int(60, 720)).AddMinutes(f.Random.Int(0, 600));
            var open = pipeline.Stages.Where(s => s.Kind == StageKind.Open).OrderBy(s => s.SortOrder).ToList();
            var won = pipeline.Stages.First(s => s.Kind == StageKind.Won);
            var lost = pipeline.Stages.First(s => s.Kind == StageKind.Lost);
            var currency = i % 17 == 0 ? "USD" : i % 23 == 0 ? "CHF" : "EUR";
            var deal = new Deal
            {
                OwnerId = org.OwnerId, TeamId = org.TeamId, Visibility = org.Visibility, PipelineId = pipeline.Id,
                Title = $"{org.Name.Split(' ')[0]}: {f.PickRandom(Categories).De} {f.PickRandom(Variants)}", OrganizationId = org.Id,
                Amount = Math.Round(f.Random.Decimal(2, 150) * 1000m, 0), Currency = currency,
                Contacts = [], Notes = i % 5 == 0 ? f.Lorem.Sentence() : null,
            };
            deal.Contacts.Add(new DealContact { DealId = deal.Id, PersonId = contact.Id, Role = BuyingRole.DecisionMaker });
            // Walk the stages: each stay lasts some days; old deals end won or lost, recent ones are still open.
            var at = created;
            var reach = f.Random.Int(0, open.Count - 1);
            Stage final = open[reach];
            DealStageChange stay = null!;
            for (var s = 0; s <= reach; s++)
            {
                var leave = at.AddDays(recent ? f.Random.Int(1, 12) : f.Random.Int(3, 40));
                var last = s == reach;
                stay = db.DealStageChanges.Add(new DealStageChange { DealId = deal.Id, PipelineId = pipeline.Id, StageId = open[s].Id, EnteredAt = at, LeftAt = last && leave > now ? null : leave, ById = deal.OwnerId }).Entity;
                at = leave;
            }
            if (at < now && !recent)
            {
                final = reach == open.Count - 1 && f.Random.Bool(0.6f) || f.Random.Bool(0.25f) ? won : lost;
                db.DealStageChanges.Add(new DealStageChange { DealId = deal.Id, PipelineId = pipeline.Id, StageId = final.Id, EnteredAt = at, ById = deal.OwnerId });
                deal.Status = final.Kind == StageKind.Won ? DealStatus.Won : DealStatus.Lost;
                deal.ClosedAt = at;
                deal.LostReason = final.Kind == StageKind.Lost ? f.PickRandom("Preis zu hoch", "Kein Budget", "Wettbewerber", "Projekt verschoben") : null;
                deal.Competitor = final.Kind == StageKind.Lost && f.Random.Bool() ? f.PickRandom("Salesforce", "HubSpot", "Pipedrive", "SAP") : null;
                deal.StageEnteredAt = at;
            }
            else
            {
                // Still in its last open stage: that stay has not ended.
                stay.LeftAt = null;
                if (stay.EnteredAt > now) stay.EnteredAt = now.AddDays(-1);
                deal.StageEnteredAt = stay.EnteredAt;
            }
            deal.StageId = final.Id;
            deal.ExpectedCloseDate = deal.Status == DealStatus.Open ? today.AddDays(f.Random.Int(-10, 200)) : DateOnly.FromDateTime(at.UtcDateTime);
            db.Deals.Add(deal);
            deals.Add((deal, created));
        }
        await db.SaveChangesAsync(ct);
        // The save stamped every deal as created now; the demo's history says when each one really began.
        foreach (var (deal, created) in deals)
            await db.Deals.IgnoreQueryFilters().Where(d => d.Id == deal.Id).ExecuteUpdateAsync(s => s.SetProperty(d => d.CreatedAt, created), ct);

        // Quotes for deals that reached a proposal, numbered gaplessly per year.
        var sequences = new Dictionary<(string, int), int>();
        (int Year, int Seq, string Number) Next(string kind, string prefix, DateOnly date)
        {
            var key = (kind, date.Year);
            var n = sequences[key] = sequences.GetValueOrDefault(key) + 1;
            return (date.Year, n, Numbering.Format(prefix + "-{year}-{number:0000}", date.Year, n));
        }
        var quoteDeals = deals.Where(d => d.Deal.Status != DealStatus.Open || d.Deal.StageId != pipelines.First(p => p.Id == d.Deal.PipelineId).Stages.OrderBy(s => s.SortOrder).First().Id)
            .OrderBy(d => d.Created).Take(220).ToList();
        foreach (var (deal, created) in quoteDeals)
        {
            var date = DateOnly.FromDateTime(created.UtcDateTime).AddDays(10);
            if (date > today) date = today;
            var (year, seq, number) = Next("quote", "AN", date);
            var quote = new Quote
            {
                OwnerId = deal.OwnerId, TeamId = deal.TeamId, Visibility = deal.Visibility, Number = number, Year = year, Sequence = seq,
                OrganizationId = deal.OrganizationId!.Value, PersonId = deal.Contacts[0].PersonId, DealId = deal.Id, Currency = "EUR", Language = "de",
                PriceListId = standard.Id, QuoteDate = date, ValidUntil = date.AddDays(30),
                Status = deal.Status switch { DealStatus.Won => QuoteStatus.Accepted, DealStatus.Lost => QuoteStatus.Declined, _ => QuoteStatus.Sent },
                Terms = "Zahlbar innerhalb von 14 Tagen ohne Abzug.",
            };
            FillLines(quote, f, products, ListPrice, standard: true);
            db.Quotes.Add(quote);
        }

        // Orders: two years of purchases; a few customers buy often, many rarely; some products come together.
        var customers = orgs.Where(o => o.Roles.HasFlag(OrganizationRoles.Customer)).ToList();
        var weights = customers.Select((_, i) => 1.0 / (1 + i % 40)).ToArray();
        var total = weights.Sum();
        var orderCount = 0;
        var start = today.AddDays(-730);
        while (orderCount < 5000)
        {
            var pick = f.Random.Double() * total;
            var c = 0;
            while (c < customers.Count - 1 && (pick -= weights[c]) > 0) c++;
            var customer = customers[c];
            // A fifth of the customers stopped buying after their first ten months, so churn models have something to find.
            var date = start.AddDays(f.Random.Int(0, c % 5 == 4 ? 299 : 729));
            var (year, seq, number) = Next("order", "AB", date);
            var order = new Order
            {
                OwnerId = customer.OwnerId, TeamId = customer.TeamId, Visibility = customer.Visibility, Number = number, Year = year, Sequence = seq,
                OrganizationId = customer.Id, OrderDate = date, Currency = "EUR", Language = "de", BaseCurrency = "EUR", ExchangeRate = 1m, RateDate = date,
                Status = date < today.AddDays(-60) ? OrderStatus.Invoiced : f.PickRandom(OrderStatus.Open, OrderStatus.Confirmed, OrderStatus.Delivered),
            };
            FillLines(order, f, products, ListPrice, standard: c % 9 != 8);
            order.BaseNet = order.Net;
            db.Orders.Add(order);
            if (++orderCount % 500 == 0)
            {
                await db.SaveChangesAsync(ct);
                db.ChangeTracker.Clear();
            }
        }
        foreach (var ((kind, year), last) in sequences) db.Set<NumberSequence>().Add(new NumberSequence { Kind = kind, Year = year, Last = last });

        // The communication history: calls, mails, meetings and notes over two years, some tasks, and keep-in-touch cadences.
        var subjects = new (Communication.InteractionChannel Channel, string Subject, string Body)[]
        {
            (Communication.InteractionChannel.Phone, "Rückruf zum Angebot", "Fragt nach Lieferzeit und Wartungsintervall. Preis ist okay, braucht Referenzen."),
            (Communication.InteractionChannel.Email, "Unterlagen zugeschickt", "Produktblatt und Referenzliste als PDF gesendet."),
            (Communication.InteractionChannel.Meeting, "Vor-Ort-Termin", "Besichtigung der Anlage, drei Ansprechpartner anwesend. Entscheidung im nächsten Quartal."),
            (Communication.InteractionChannel.Note, "Hinweis aus dem Service", "Kunde war mit der letzten Wartung sehr zufrieden."),
            (Communication.InteractionChannel.Phone, "Kurzer Statusanruf", "Projekt verschoben, Budget kommt erst im Frühjahr."),
            (Communication.InteractionChannel.Email, "Einladung Hausmesse", "Einladung zur Hausmesse verschickt."),
        };
        for (var i = 0; i < 600; i++)
        {
            var person = people[(i * 13) % people.Count];
            var (channel, subject, text) = subjects[i % subjects.Length];
            var interaction = new Communication.Interaction
            {
                OwnerId = person.OwnerId, TeamId = person.TeamId, Visibility = person.Visibility, Channel = channel,
                Direction = channel == Communication.InteractionChannel.Note ? Communication.InteractionDirection.Internal : i % 3 == 0 ? Communication.InteractionDirection.Inbound : Communication.InteractionDirection.Outbound,
                Subject = subject, BodyHtml = "<p>" + text + "</p>", BodyText = text, OccurredAt = now.AddDays(-f.Random.Int(0, 720)).AddMinutes(-f.Random.Int(0, 600)),
                DurationMinutes = channel is Communication.InteractionChannel.Phone or Communication.InteractionChannel.Meeting ? f.Random.Int(5, 90) : null,
                OrganizationId = person.Employments.FirstOrDefault()?.OrganizationId,
            };
            interaction.Participants.Add(new Communication.InteractionParticipant { InteractionId = interaction.Id, PersonId = person.Id });
            interaction.Participants.Add(new Communication.InteractionParticipant { InteractionId = interaction.Id, UserId = person.OwnerId });
            db.Interactions.Add(interaction);
        }
        for (var i = 0; i < 60; i++)
        {
            var person = people[(i * 29) % people.Count];
            db.Tasks.Add(new Activities.TaskItem
            {
                OwnerId = person.OwnerId, TeamId = person.TeamId, Visibility = person.Visibility, Title = f.PickRandom("Angebot nachfassen", "Referenzen schicken", "Termin vereinbaren", "Vertrag prüfen") + " – " + person.LastName,
                DueAt = now.AddDays(f.Random.Int(-10, 20)), Priority = (Activities.TaskPriority)(i % 3), RelatedType = Person.Type, RelatedId = person.Id,
            });
        }
        // Consents: a newsletter subscription by double opt-in for every fourth person (some withdrawn since), the
        // existing-customer rule for product information, and event invitations by letter.
        for (var i = 0; i < people.Count; i += 4)
        {
            var person = people[i];
            var at = now.AddDays(-f.Random.Int(30, 700));
            const string text = "Ja, ich möchte den Newsletter per E-Mail erhalten. Die Einwilligung kann ich jederzeit widerrufen.";
            var token = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(person.Id.ToByteArray()));
            foreach (var (action, when) in new[] { (Communication.ConsentAction.Requested, at), (Communication.ConsentAction.Confirmed, at.AddMinutes(f.Random.Int(3, 600))) })
            {
                db.ConsentEntries.Add(new Communication.ConsentEntry
                {
                    PersonId = person.Id, Channel = Communication.ConsentChannel.Email, Purpose = Communication.ConsentPurpose.Newsletter, Action = action,
                    LegalBasis = Communication.LegalBasis.Consent, Source = "Kontaktformular", Text = text, Language = "de", At = when, TokenHash = token,
                    Ip = $"203.0.113.{i % 250}", UserAgent = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Firefox/132.0",
                    ExpiresAt = action == Communication.ConsentAction.Requested ? at.AddDays(7) : null,
                });
            }
            if (i % 20 == 0)
            {
                db.ConsentEntries.Add(new Communication.ConsentEntry
                {
                    PersonId = person.Id, Channel = Communication.ConsentChannel.Email, Purpose = Communication.ConsentPurpose.Newsletter, Action = Communication.ConsentAction.Withdrawn,
                    LegalBasis = Communication.LegalBasis.Consent, Source = "unsubscribe link", At = at.AddDays(f.Random.Int(10, 25)),
                });
            }
            if (i % 8 == 0)
            {
                db.ConsentEntries.Add(new Communication.ConsentEntry
                {
                    PersonId = person.Id, Channel = Communication.ConsentChannel.Email, Purpose = Communication.ConsentPurpose.ProductInformation, Action = Communication.ConsentAction.Granted,
                    LegalBasis = Communication.LegalBasis.ExistingCustomer, Source = "Auftrag", At = at, RecordedById = person.OwnerId,
                });
                db.ConsentEntries.Add(new Communication.ConsentEntry
                {
                    PersonId = person.Id, Channel = Communication.ConsentChannel.Letter, Purpose = Communication.ConsentPurpose.Events, Action = Communication.ConsentAction.Granted,
                    LegalBasis = Communication.LegalBasis.LegitimateInterest, Source = "Messe", At = at, RecordedById = person.OwnerId,
                });
            }
        }
        db.WebForms.Add(new Communication.WebForm
        {
            Slug = "kontakt", Name = "Kontaktformular", TitleDe = "Sprechen Sie uns an", TitleEn = "Get in touch", ThanksDe = "Vielen Dank! Wir melden uns innerhalb eines Werktags.",
            ThanksEn = "Thank you! We will get back to you within one working day.", OwnerId = owners[0].Id, TeamId = owners[0].Team, CreatedAt = now, UpdatedAt = now,
            Fields =
            [
                new("firstName", "Vorname", "First name", false), new("lastName", "Nachname", "Last name", true), new("email", "E-Mail", "E-mail", true),
                new("companyName", "Firma", "Company", false), new("phone", "Telefon", "Phone", false), new("message", "Ihre Nachricht", "Your message", false),
            ],
            Consents = [new(Communication.ConsentPurpose.Newsletter, "Ja, ich möchte den Newsletter per E-Mail erhalten. Die Einwilligung kann ich jederzeit widerrufen.",
                "Yes, send me the newsletter by e-mail. I can withdraw this at any time.")],
        });
        await db.SaveChangesAsync(ct);
        var cadence = people.Take(40).Select(x => x.Id).ToList();
        await db.People.Where(p => cadence.Contains(p.Id)).ExecuteUpdateAsync(x => x.SetProperty(p => p.KeepInTouchDays, 60), ct);

        // Quotas: every seller, every month of this year.
        foreach (var owner in owners.Select(o => o.Id).Distinct())
            for (var m = 1; m <= 12; m++)
                db.Quotas.Add(new Quota { UserId = owner, Year = today.Year, Month = m, Amount = 40_000m + m % 3 * 5_000m });
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Lines for a quote or order: one to four products, often with the products that tend to come along.</summary>
    private static void FillLines(SalesDocument doc, Faker f, List<(Product Product, int Category)> products, Func<(Product, int), decimal> price, bool standard)
    {
        var first = f.PickRandom(products.Where(p => p.Product.IsActive).ToList());
        var chosen = new List<(Product Product, int Category)> { first };
        if (BoughtWith.TryGetValue(first.Category, out var along))
            foreach (var cat in along.Where(_ => f.Random.Bool(0.55f)))
                chosen.Add(f.PickRandom(products.Where(p => p.Category == cat).ToList()));
        if (f.Random.Bool(0.2f)) chosen.Add(f.PickRandom(products));
        var lines = chosen.DistinctBy(p => p.Product.Id).Select((p, i) => new LineItem
        {
            RecordId = doc.Id, Position = i + 1, ProductId = p.Product.Id, Sku = p.Product.Sku, Name = p.Product.NameDe, Unit = p.Product.Unit,
            Quantity = f.Random.Int(1, p.Category is 2 or 6 ? 20 : 10), UnitPrice = standard ? price(p) : Math.Round(price(p) * 0.85m, 2),
            DiscountPercent = f.Random.Bool(0.15f) ? 10m : 0m, VatRate = p.Product.VatRate,
        }).ToList();
        var totals = LineMath.Calculate(doc.Currency, lines.Select(l => l.Priced).ToList());
        for (var i = 0; i < lines.Count; i++) lines[i].Net = totals.LineNets[i];
        doc.Lines = lines;
        doc.Net = totals.Net;
        doc.Vat = totals.Vat;
        doc.Gross = totals.Gross;
        doc.VatByRate = [.. totals.VatByRate];
    }

    private static string Prefix(string english) => new string(english.Where(char.IsAsciiLetterUpper).Take(2).ToArray()) is { Length: 2 } p ? p : english[..2].ToUpperInvariant();

    private static string Ascii(string s) => new(Search.SearchText.Fold(s).Where(char.IsAsciiLetterLower).ToArray());
}
