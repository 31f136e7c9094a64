using Microsoft.EntityFrameworkCore;
using Motiv.Core.Common;
using Motiv.Core.Communication;
using Motiv.Core.Customers;
using Motiv.Core.Data;

namespace Motiv.Core.Empathy;

/// <summary>
/// Everything Motiv holds on a person, for their request for access (Art. 15 DSGVO): the record with its personal facts,
/// interactions, tasks, deals, quotes, orders, consents, motive evidence, ratings and profile history, relationship
/// health and the feedback on suggested actions. Needs the right to read the person and to see motive data; what the
/// user may not read is left out, so an administrator's export is the complete one.
/// </summary>
public sealed class PersonExportService(IDbContextFactory<MotivDbContext> dbFactory, PersonService people, ConsentService consents, MotiveService motives, HealthService health)
{
    public async Task<Dictionary<string, object?>> ExportAsync(Guid personId, CancellationToken ct = default)
    {
        var person = await people.GetAsync(personId, ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        MotiveService.Require(db.Scope, await MotiveTaxonomyService.ReadAsync(db, ct));
        var interactionIds = await db.Interactions.AsNoTracking().Where(i => i.Participants.Any(p => p.PersonId == personId)).OrderBy(i => i.OccurredAt).Select(i => i.Id).ToListAsync(ct);
        var interactions = new List<InteractionDto>();
        foreach (var chunk in interactionIds.Chunk(200))
        {
            var rows = await db.Interactions.AsNoTracking().Include(i => i.Participants).Where(i => chunk.Contains(i.Id)).OrderBy(i => i.OccurredAt).ToListAsync(ct);
            foreach (var i in rows) interactions.Add(await InteractionService.ToDtoAsync(db, i, ct));
        }
        var tasks = await db.Tasks.AsNoTracking().Where(t => t.RelatedId == personId).OrderBy(t => t.CreatedAt)
            .Select(t => new { t.Id, t.Title, t.Description, t.DueAt, t.State, t.Kind, t.CreatedAt }).ToListAsync(ct);
        var deals = await db.Deals.AsNoTracking().Where(d => d.Contacts.Any(c => c.PersonId == personId))
            .Select(d => new { d.Id, d.Title, d.Amount, d.Currency, d.Status, d.CreatedAt, d.ClosedAt }).ToListAsync(ct);
        var quotes = await db.Quotes.AsNoTracking().Where(q => q.PersonId == personId).Select(q => new { q.Id, q.Number, q.Net, q.Gross, q.Currency, q.CreatedAt }).ToListAsync(ct);
        var orders = await db.Orders.AsNoTracking().Where(o => o.PersonId == personId).Select(o => new { o.Id, o.Number, o.OrderDate, o.Net, o.Gross, o.Currency, o.Status }).ToListAsync(ct);
        var ratings = await db.MotiveRatings.AsNoTracking().Where(r => r.PersonId == personId).OrderBy(r => r.At)
            .Select(r => new { r.Motive, r.Kind, r.Value, r.Note, r.At }).ToListAsync(ct);
        var feedback = await db.ActionFeedback.AsNoTracking().Where(f => f.PersonId == personId).OrderBy(f => f.At).Select(f => new { f.Kind, f.Accepted, f.At }).ToListAsync(ct);
        return new Dictionary<string, object?>
        {
            ["exportedAt"] = db.Clock.GetUtcNow(),
            ["person"] = person,
            ["interactions"] = interactions,
            ["tasks"] = tasks,
            ["deals"] = deals,
            ["quotes"] = quotes,
            ["orders"] = orders,
            ["consents"] = await consents.GetAsync(personId, ct),
            ["motives"] = new Dictionary<string, object?>
            {
                ["profile"] = await motives.GetProfileAsync(personId, ct),
                ["evidence"] = await motives.GetEvidenceAsync(personId, null, ct, all: true),
                ["ratings"] = ratings,
                ["explanation"] = Text.Get("Motives.ExportExplanation"),
            },
            ["health"] = await health.GetAsync(Person.Type, personId, ct),
            ["actionFeedback"] = feedback,
        };
    }
}
