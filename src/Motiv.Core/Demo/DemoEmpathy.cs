using Bogus;
using Microsoft.EntityFrameworkCore;
using Motiv.Core.Communication;
using Motiv.Core.Customers;
using Person = Motiv.Core.Customers.Person;
using Motiv.Core.Data;
using Motiv.Core.Empathy;

namespace Motiv.Core.Demo;

/// <summary>
/// The empathic side of the demo: conversations whose notes and mails carry motive cues (and many that don't),
/// personal facts, a few staff ratings, templates and products tagged with motives; then the inference and the
/// relationship health run for real, so profiles, evidence, health and next best actions look lived-in on first start.
/// </summary>
internal static class DemoEmpathy
{
    private static readonly Dictionary<string, string[]> Cues = new()
    {
        ["security"] =
        [
            "Ausfallsicherheit ist uns das Wichtigste, die Produktion darf auf keinen Fall stehen.",
            "Sie möchte Referenzen aus der Branche sehen, bevor sie etwas entscheidet.",
            "Kunde fragt nach Garantie und Service-Level, ein Ausfall wäre für ihn ein großes Risiko.",
            "Er setzt lieber auf eine bewährte Lösung als auf Experimente.",
            "Datenschutz und Zertifizierung nach ISO 27001 sind Pflicht.",
        ],
        ["economy"] =
        [
            "Das Angebot ist ihm zu teuer, das Budget für dieses Jahr ist knapp.",
            "Sie rechnet genau nach: Die Investition muss sich in zwei Jahren amortisieren.",
            "Fragt nach Rabatt bei mehrjähriger Laufzeit und vergleicht die Preise mit dem Wettbewerb.",
            "Für die Geschäftsführung zählen am Ende nur die Kosten pro Arbeitsplatz.",
            "Er möchte Einsparpotenziale sehen, bevor er unterschreibt.",
        ],
        ["convenience"] =
        [
            "Sie will alles aus einer Hand, ohne sich um Details kümmern zu müssen.",
            "Die Einrichtung muss unkompliziert sein, das Team hat keine Zeit für lange Schulungen.",
            "Wünscht sich einen Rundum-Service inklusive Wartung.",
            "Er schätzt es, wenn wir ihm die Arbeit abnehmen und alles schnell erledigt ist.",
        ],
        ["recognition"] =
        [
            "Sie möchte als erstes Unternehmen der Region mit der neuen Plattform auftreten.",
            "Ihm ist wichtig, dass die Lösung exklusiv ist und Eindruck bei seinen Kunden macht.",
            "Der Vorstand will mit dem Projekt auf der Messe als Vorreiter glänzen.",
            "Premium-Ausstattung ist für sie selbstverständlich, Status spielt eine große Rolle.",
        ],
        ["curiosity"] =
        [
            "Er ist sehr neugierig auf die neuen KI-Funktionen und möchte sie gern ausprobieren.",
            "Sie fragt, ob sie an der Beta-Phase teilnehmen kann.",
            "Interessiert sich für innovative Ansätze und die neueste Technologie.",
            "Möchte ein Pilotprojekt starten, um Neues zu testen.",
        ],
        ["responsibility"] =
        [
            "Nachhaltigkeit ist für das Unternehmen entscheidend, sie achten auf die CO2-Bilanz.",
            "Er bevorzugt regionale Partner und faire Arbeitsbedingungen.",
            "Die Gesundheit der Mitarbeiter steht für sie an erster Stelle.",
            "Fragt nach dem Recycling der Altgeräte und nach Ökostrom im Rechenzentrum.",
        ],
        ["belonging"] =
        [
            "Ihm ist ein persönlicher Ansprechpartner wichtig, der das Unternehmen kennt.",
            "Sie vertraut uns, weil wir seit Jahren zusammenarbeiten.",
            "Schätzt den persönlichen Kontakt und die langjährige Partnerschaft.",
            "Er möchte zur Anwendergemeinschaft gehören und andere Kunden kennenlernen.",
        ],
    };

    private static readonly string[] Negated =
    [
        "Der Preis spielt für sie keine Rolle, Hauptsache es läuft stabil.",
        "Um Prestige geht es ihm nicht.",
        "Nachhaltigkeit ist für die Einkaufsabteilung leider kein Thema.",
    ];

    private static readonly string[] Neutral =
    [
        "Termin am Dienstag um 10 Uhr bestätigt.",
        "Rechnung für März ist raus, Zahlungsziel 30 Tage.",
        "Neue Lieferadresse ab Juli: Halle 3, Tor 2.",
        "Hat nach den Unterlagen vom letzten Termin gefragt, habe sie erneut geschickt.",
        "Kurz über das Wetter und den Urlaub an der Ostsee gesprochen.",
        "Rückruf vereinbart für nächste Woche.",
        "Können Sie mir bitte das aktualisierte Angebot bis Freitag schicken?",
    ];

    private static readonly string[] Interests = ["Segeln", "Fußball", "Jazz", "Bergwandern", "Kochen", "Oldtimer", "Golf", "Radfahren", "Fotografie", "Wein"];

    public static async Task SeedAsync(MotivDbContext db, Faker f, List<Person> people, DateTimeOffset now, CancellationToken ct)
    {
        var motives = Cues.Keys.ToList();
        var chosen = people.Where((_, i) => i % 6 == 0).Take(250).ToList();
        foreach (var (person, i) in chosen.Select((p, i) => (p, i)))
        {
            var main = motives[i % motives.Count];
            var second = motives[(i * 3 + 1) % motives.Count];
            var count = 3 + i % 4;
            for (var k = 0; k < count; k++)
            {
                var pick = f.Random.Double();
                var text = pick < 0.45 ? f.PickRandom(Cues[main]) : pick < 0.6 ? f.PickRandom(Cues[second]) : pick < 0.67 ? f.PickRandom(Negated) : f.PickRandom(Neutral);
                var channel = f.PickRandom(InteractionChannel.Phone, InteractionChannel.Meeting, InteractionChannel.Email, InteractionChannel.Note);
                var direction = channel switch
                {
                    InteractionChannel.Note => InteractionDirection.Internal,
                    InteractionChannel.Email => InteractionDirection.Inbound,
                    _ => InteractionDirection.Outbound,
                };
                var subject = channel switch
                {
                    InteractionChannel.Phone => "Telefonat",
                    InteractionChannel.Meeting => "Gesprächstermin",
                    InteractionChannel.Email => "Ihre Nachricht",
                    _ => "Notiz",
                };
                var interaction = new Interaction
                {
                    OwnerId = person.OwnerId, TeamId = person.TeamId, Visibility = person.Visibility, Channel = channel, Direction = direction, Subject = subject,
                    BodyHtml = "<p>" + System.Net.WebUtility.HtmlEncode(text) + "</p>", BodyText = text,
                    // Most people were in touch recently; every fifth has gone quiet for months (health falls, next best actions say so).
                    OccurredAt = now.AddDays(-(i % 5 == 4 ? f.Random.Int(90, 400) : f.Random.Int(1, 200))).AddMinutes(-f.Random.Int(0, 600)),
                    OrganizationId = person.Employments.FirstOrDefault()?.OrganizationId,
                };
                interaction.Participants.Add(new InteractionParticipant { InteractionId = interaction.Id, PersonId = person.Id });
                interaction.Participants.Add(new InteractionParticipant { InteractionId = interaction.Id, UserId = person.OwnerId });
                db.Interactions.Add(interaction);
            }
            if (i % 9 == 0)
            {
                db.MotiveRatings.Add(new MotiveRating
                {
                    PersonId = person.Id, Motive = main, Kind = RatingKind.Staff, Value = 4 + i % 2, Note = "Aus mehreren Gesprächen", RatedById = person.OwnerId, At = now.AddDays(-f.Random.Int(5, 60)),
                });
            }
        }
        await db.SaveChangesAsync(ct);

        // Personal facts for some of them (loaded again, so that the save pipeline records them as changes of the person).
        var factIds = chosen.Where((_, i) => i % 3 == 0).Select(p => p.Id).ToList();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        foreach (var (person, i) in (await db.People.Where(p => factIds.Contains(p.Id)).ToListAsync(ct)).Select((p, i) => (p, i)))
        {
            person.Interests = [.. f.PickRandom(Interests, 2)];
            person.HowWeMet = f.PickRandom("Hausmesse 2024", "Empfehlung eines Kunden", "Webinar zur Digitalisierung", "Branchentreff in Hamburg");
            person.ContactTimes = f.PickRandom("vormittags", "nach 16 Uhr", "nicht freitags");
            person.CommunicationStyle = f.PickRandom("Kommt schnell auf den Punkt, mag kurze Mails.", "Schätzt ausführliche Unterlagen vorab.", "Lieber telefonisch als per Mail.");
            if (i % 2 == 0) person.FamilyNotes = f.PickRandom("Zwei Kinder, die Tochter studiert in Wien.", "Verheiratet, Hund namens Bruno.");
            person.ImportantDates = [new ImportantDate(ImportantDateKind.CompanyAnniversary, today.AddDays(i % 20).AddYears(-f.Random.Int(5, 40)), null, true)];
            person.BirthdayReminder = person.Birthday is not null;
            person.NextReminderOn = ImportantDates.NextReminder(person, today);
        }
        await db.SaveChangesAsync(ct);

        // Templates and products that speak to motives.
        db.MailTemplates.AddRange(
            new MailTemplate { Name = "Referenzen und Garantie", Language = "de", Subject = "Referenzen für {{ person.firstName }}", Body = "{{ person.greeting }},\n\nanbei Referenzen aus Ihrer Branche und unsere Garantiebedingungen.", Motives = ["security"], UpdatedAt = now },
            new MailTemplate { Name = "Sparpaket", Language = "de", Subject = "Ihr Sparpaket", Body = "{{ person.greeting }},\n\nmit der mehrjährigen Laufzeit sparen Sie 15 %.", Motives = ["economy"], UpdatedAt = now },
            new MailTemplate { Name = "Neuheiten zuerst", Language = "de", Subject = "Neu: zuerst für Sie", Body = "{{ person.greeting }},\n\nSie können die neuen Funktionen als Erste ausprobieren.", Motives = ["curiosity", "recognition"], UpdatedAt = now });
        var tagged = await db.Products.Where(p => p.IsActive).OrderBy(p => p.Sku).ToListAsync(ct);
        foreach (var (product, i) in tagged.Select((p, i) => (p, i)))
        {
            var motive = product.Category switch
            {
                "Wartung" or "Support" => "security",
                "Cloud-Dienste" => i % 2 == 0 ? "convenience" : "curiosity",
                "Beratung" or "Schulung" => "belonging",
                "Hardware" => "economy",
                _ => null,
            };
            if (motive is not null) product.Tags = Common.TagList.ToStored([.. Common.TagList.FromStored(product.Tags), "motive:" + motive]);
        }
        await db.SaveChangesAsync(ct);

        // The inference, as the job runs it: one person at a time, without the thousands of demo records still tracked.
        db.ChangeTracker.Clear();
        foreach (var person in chosen)
        {
            await MotiveService.RefreshPersonAsync(db, person.Id, ct);
            db.ChangeTracker.Clear();
        }
    }
}
