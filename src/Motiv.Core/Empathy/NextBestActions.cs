using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Motiv.Core.Access;
using Motiv.Core.Analytics;
using Motiv.Core.Activities;
using Motiv.Core.Common;
using Motiv.Core.Communication;
using Motiv.Core.Customers;
using Motiv.Core.Data;
using Motiv.Core.Sales;

namespace Motiv.Core.Empathy;

/// <summary>A user's answer to a suggested action: accepted (a task was made) or dismissed. Feeds the ranking.</summary>
public sealed class ActionFeedback
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid UserId { get; set; }
    public Guid PersonId { get; set; }
    public string Kind { get; set; } = "";
    public string ActionKey { get; set; } = "";
    public bool Accepted { get; set; }
    public Guid? TaskId { get; set; }
    public DateTimeOffset At { get; set; }
}

/// <summary>Why an action is suggested, citing its evidence (a quote and its date, the last contact, a date).</summary>
public sealed record ActionReason(string Kind, string Text, Guid? InteractionId = null);

/// <summary>
/// A suggested action for a person. <see cref="Score"/> = value × likelihood × motive fit × the user's feedback factor.
/// <see cref="Id"/> names the action for feedback: kind, person and target.
/// </summary>
public sealed record NextBestActionDto(string Id, Guid PersonId, string PersonName, string Kind, string Title, double Score, double Value, double Likelihood,
    double MotiveFit, IReadOnlyList<ActionReason> Why, string? TargetType, Guid? TargetId, IReadOnlyList<string> Arguments);

public sealed record ActionFeedbackInput(string? Decision);

public sealed record ActionFeedbackResult(string Id, bool Accepted, Guid? TaskId);

public sealed record ProductSuggestion(Guid ProductId, string Name, double Confidence, string Reason, IReadOnlyList<string> Motives);

/// <summary>Products to offer customers that they don't have yet. The analytics (association rules) will take this over; until then the catalogue and the order history.</summary>
public interface IProductSuggestions
{
    Task<IReadOnlyDictionary<Guid, IReadOnlyList<ProductSuggestion>>> SuggestAsync(MotivDbContext db, IReadOnlyList<Guid> personIds, int max, CancellationToken ct);

    /// <summary>The same for an organisation: what it has not bought yet, from what it bought.</summary>
    Task<IReadOnlyList<ProductSuggestion>> SuggestForOrganizationAsync(MotivDbContext db, Guid organizationId, int max, CancellationToken ct);
}

/// <summary>
/// From order history: association rules between products bought in the same order (pairs, at least three orders,
/// confidence ≥ 0.1; see docs/analytics.md) suggest, for what the customer (the person or their primary employer)
/// bought, the products they have not bought yet, best confidence × lift first, each with its rule. Without a rule that
/// applies, the products most customers bought. Only active products.
/// </summary>
public sealed class CatalogueSuggestions : IProductSuggestions
{
    /// <summary>
    /// The rules and the popularity of the order history as of its stamp (see <see cref="ModelAsync"/>); the
    /// rules by their one product bought (pairs only), best confidence × lift first and at most
    /// <see cref="RulesPerProduct"/> each: at two million orders there are hundreds of thousands of pairs, and a suggestion
    /// then reads only the rules of what the customer bought.
    /// </summary>
    private sealed record Model((int Count, int Deleted, DateTimeOffset? Last) Stamp, ILookup<Guid, AssociationRule<Guid>> Rules, List<(Guid Product, double Share)> Popular);

    private const int RulesPerProduct = 100;

    private Model? model;
    private readonly SemaphoreSlim building = new(1, 1);

    public async Task<IReadOnlyDictionary<Guid, IReadOnlyList<ProductSuggestion>>> SuggestAsync(MotivDbContext db, IReadOnlyList<Guid> personIds, int max, CancellationToken ct)
    {
        var employers = await db.Employments.AsNoTracking().Where(e => personIds.Contains(e.PersonId) && e.IsPrimary).ToDictionaryAsync(e => e.PersonId, e => e.OrganizationId, ct);
        var orders = Orders(db);
        var orgs = employers.Values.Distinct().ToList();
        var ownedLines = await orders.Where(o => (o.PersonId != null && personIds.Contains(o.PersonId.Value)) || orgs.Contains(o.OrganizationId))
            .SelectMany(o => o.Lines, (o, l) => new { o.OrganizationId, o.PersonId, l.ProductId }).Where(x => x.ProductId != null).Distinct().ToListAsync(ct);
        var rank = await RankerAsync(db, orders, ct);
        var result = new Dictionary<Guid, IReadOnlyList<ProductSuggestion>>();
        foreach (var personId in personIds)
        {
            var org = employers.TryGetValue(personId, out var o) ? o : (Guid?)null;
            result[personId] = rank([.. ownedLines.Where(l => l.PersonId == personId || l.OrganizationId == org).Select(l => l.ProductId!.Value)], max);
        }
        return result;
    }

    public async Task<IReadOnlyList<ProductSuggestion>> SuggestForOrganizationAsync(MotivDbContext db, Guid organizationId, int max, CancellationToken ct)
    {
        var orders = Orders(db);
        var owned = await orders.Where(o => o.OrganizationId == organizationId).SelectMany(o => o.Lines, (o, l) => l.ProductId).Where(p => p != null).Select(p => p!.Value)
            .Distinct().ToListAsync(ct);
        return (await RankerAsync(db, orders, ct))([.. owned], max);
    }

    /// <summary>Orders of everyone (the rules are the company's knowledge), not cancelled.</summary>
    private static IQueryable<Order> Orders(MotivDbContext db) =>
        db.Orders.IgnoreQueryFilters([MotivDbContext.AccessFilter]).AsNoTracking().Where(o => o.Status != OrderStatus.Cancelled);

    /// <summary>For what a customer owns, the products to offer: by rule (best confidence × lift first, with the rule quoted), else the most popular.</summary>
    private async Task<Func<HashSet<Guid>, int, IReadOnlyList<ProductSuggestion>>> RankerAsync(MotivDbContext db, IQueryable<Order> orders, CancellationToken ct)
    {
        var products = await db.Products.AsNoTracking().Where(p => p.IsActive).Select(p => new { p.Id, p.NameDe, p.NameEn, p.Tags })
            .ToDictionaryAsync(p => p.Id, ct);
        string Name(Guid id) => products.TryGetValue(id, out var p) ? (Text.IsGerman ? p.NameDe : p.NameEn) : "";
        var current = await ModelAsync(db, orders, ct);
        var popular = current.Popular.Where(p => products.ContainsKey(p.Product)).ToList();
        ProductSuggestion Suggestion(Guid id, double confidence, string reason) =>
            new(id, Name(id), Math.Clamp(confidence, 0.05, 0.9), reason, MotiveTags(products[id].Tags));
        return (owned, max) =>
        {
            var byRule = owned.SelectMany(p => current.Rules[p]).Where(r => products.ContainsKey(r.Consequent[0]) && !owned.Contains(r.Consequent[0]))
                .GroupBy(r => r.Consequent[0]).Select(g => g.OrderByDescending(r => r.Confidence * r.Lift).First())
                .OrderByDescending(r => r.Confidence * r.Lift).ThenBy(r => r.Consequent[0]).Take(max)
                .Select(r => Suggestion(r.Consequent[0], r.Confidence, Text.Get("Nba.Why.Rule", string.Join(", ", r.Antecedent.Select(Name)),
                    (int)Math.Round(r.Confidence * 100), r.Lift.ToString("0.0", System.Globalization.CultureInfo.CurrentCulture)))).ToList();
            var fill = owned.Count == 0 || byRule.Count == 0
                ? popular.Where(p => !owned.Contains(p.Product) && byRule.All(b => b.ProductId != p.Product)).Take(max - byRule.Count)
                    .Select(p => Suggestion(p.Product, p.Share, Text.Get("Nba.Why.Popular", (int)Math.Round(p.Share * 100))))
                : [];
            return [.. byRule, .. fill];
        };
    }

    /// <summary>
    /// The model as of the number of orders, of deleted orders, and the latest change, each over all orders (an index
    /// look-up or count instead of the pass over two million orders the filtered count took on every suggestion): an
    /// order added or purged moves the first, deleted or restored the second, changed the third. (A change stamped
    /// earlier than the latest one, from a node whose clock lags, is seen with the next change.) One request builds the
    /// model; others asking meanwhile wait and take it.
    /// </summary>
    private async Task<Model> ModelAsync(MotivDbContext db, IQueryable<Order> orders, CancellationToken ct)
    {
        var all = db.Orders.IgnoreQueryFilters();
        var key = (await all.CountAsync(ct), await all.CountAsync(o => o.DeletedAt != null, ct), await all.MaxAsync(o => (DateTimeOffset?)o.UpdatedAt, ct));
        if (Volatile.Read(ref model) is { } cached && cached.Stamp == key) return cached;
        await building.WaitAsync(ct);
        try
        {
            return Volatile.Read(ref model) is { } built && built.Stamp == key ? built : await BuildAsync(orders, key, ct);
        }
        finally
        {
            building.Release();
        }
    }

    private async Task<Model> BuildAsync(IQueryable<Order> orders, (int, int, DateTimeOffset?) key, CancellationToken ct)
    {
        var data = await ProductBaskets.ReadAsync(orders, withCustomers: true, ct);
        var rules = (data.Baskets.Count == 0 ? [] : AssociationRules.Rules(data.Baskets, Math.Min(1, 3.0 / data.Baskets.Count), 0.1, maxSize: 2))
            .GroupBy(r => r.Antecedent[0]).SelectMany(g => g.OrderByDescending(r => r.Confidence * r.Lift).Take(RulesPerProduct))
            .ToLookup(r => data.Products[r.Antecedent[0]], r => r.Map(n => data.Products[n]));
        var customers = data.CustomersPerProduct;
        var popular = data.Products.Select((product, n) => (Product: product, Share: (double)customers[n] / data.CustomerCount))
            .OrderByDescending(x => x.Share).ThenBy(x => x.Product).ToList();
        var built = new Model(key, rules, popular);
        Volatile.Write(ref model, built);
        return built;
    }

    /// <summary>Product tags of the form "motive:security" say which motives a product speaks to.</summary>
    public static IReadOnlyList<string> MotiveTags(string storedTags) =>
        [.. TagList.FromStored(storedTags).Where(t => t.StartsWith("motive:", StringComparison.Ordinal)).Select(t => t["motive:".Length..])];
}

public sealed record MailSuggestion(IReadOnlyList<MailSuggestionMotive> Motives, IReadOnlyList<MailSuggestionTemplate> Templates);

public sealed record MailSuggestionMotive(string Code, string Label, double Score, double Confidence, string? Talk, IReadOnlyList<string> Arguments, string? Avoid, string? Quote);

public sealed record MailSuggestionTemplate(Guid Id, string Name, string Language, double Fit, IReadOnlyList<string> Motives);

/// <summary>
/// Next best actions: candidates from the relationship (silence, an open question, a cooling relationship, an
/// important date) and from what fits the person's motives (a template, a product they don't have), ranked by
/// expected value × likelihood × motive fit × the user's own acceptance of that kind of action. Every action says why.
/// </summary>
public sealed class NextBestActionService(IDbContextFactory<MotivDbContext> dbFactory, IProductSuggestions products)
{
    /// <summary>Motive fit of actions that don't depend on motives (0.5 = motives speak against, 1 = they fit perfectly).</summary>
    public const double NeutralFit = 0.75;
    public static readonly TimeSpan DismissedFor = TimeSpan.FromDays(30);

    public async Task<IReadOnlyList<NextBestActionDto>> ForPersonAsync(Guid personId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var person = await Records.FindAsync(db.People.AsNoTracking(), personId, ct);
        return await CandidatesAsync(db, [person], await FeedbackAsync(db, ct), ct);
    }

    /// <summary>The current user's board: the best actions across the people they own (those at risk and those changed most recently, 60 at most).</summary>
    public async Task<IReadOnlyList<NextBestActionDto>> MineAsync(int? limit, CancellationToken ct = default)
    {
        var take = limit ?? 20;
        if (take is < 1 or > 100) throw ValidationException.ForQuery("limit", Text.Get("Validation.Range", 1, 100));
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!db.Scope.IsAuthenticated) throw new AccessDeniedException(Text.Get("Access.SignIn"));
        var me = db.Scope.UserId;
        var atRisk = await db.HealthScores.Where(h => h.SubjectType == Person.Type && h.HasContact && (h.Score < HealthService.RiskScore || h.Drop >= HealthService.RiskDrop))
            .Join(db.People.Where(p => p.OwnerId == me), h => h.SubjectId, p => p.Id, (h, p) => new { p.Id, h.Drop })
            .OrderByDescending(x => x.Drop).Select(x => x.Id).Take(30).ToListAsync(ct);
        var recent = await db.People.AsNoTracking().Where(p => p.OwnerId == me).OrderByDescending(p => p.UpdatedAt).Select(p => p.Id).Take(30).ToListAsync(ct);
        var ids = atRisk.Concat(recent).Distinct().ToList();
        var people = await db.People.AsNoTracking().Where(p => ids.Contains(p.Id)).ToListAsync(ct);
        var all = await CandidatesAsync(db, people, await FeedbackAsync(db, ct), ct);
        return [.. all.OrderByDescending(a => a.Score).ThenBy(a => a.Id, StringComparer.Ordinal).Take(take)];
    }

    /// <summary>Records "accept" (a task for the user, due today) or "dismiss" (not suggested again for 30 days).</summary>
    public async Task<ActionFeedbackResult> FeedbackAsync(string actionId, ActionFeedbackInput input, CancellationToken ct = default)
    {
        var parts = actionId.Split('.');
        if (parts.Length != 3 || !Guid.TryParseExact(parts[1], "N", out var personId) || !Kinds.Contains(parts[0]) || (parts[2] != "-" && !Guid.TryParseExact(parts[2], "N", out _)))
            throw new NotFoundException("nextBestAction", Guid.Empty);
        var accepted = input.Decision?.Trim().ToLowerInvariant() switch
        {
            "accept" => true,
            "dismiss" => false,
            _ => throw ValidationException.For("decision", Text.Get("Validation.Choice")),
        };
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var person = await Records.FindAsync(db.People.AsNoTracking(), personId, ct);
        if (db.Scope.IsReadOnly) throw new AccessDeniedException(Text.Get("Access.ReadOnly"));
        var now = db.Clock.GetUtcNow();
        Guid? taskId = null;
        if (accepted)
        {
            var action = (await CandidatesAsync(db, [person], [], ct)).FirstOrDefault(a => a.Id == actionId);
            // The task is the user's own: private, in the person's team only if the user is in it, and without motive quotes
            // (a task is read by people whose role may not see motive data, and outlives an objection).
            var task = db.Tasks.Add(new TaskItem
            {
                Title = Texts.Cut(action?.Title ?? Text.Get("Nba.Kind." + parts[0]) + ": " + person.DisplayName, 200)!,
                Description = action is null ? null : Texts.Cut(string.Join("\n", action.Why.Where(w => w.Kind != "motive").Select(w => "• " + w.Text)), 4000),
                DueAt = now, RelatedType = Person.Type, RelatedId = personId, Kind = TaskKind.NextBestAction, OwnerId = db.Scope.UserId,
                TeamId = person.TeamId is { } team && db.Scope.TeamIds.Contains(team) ? team : null, Visibility = Visibility.Private,
            }).Entity;
            taskId = task.Id;
        }
        db.ActionFeedback.Add(new ActionFeedback { UserId = db.Scope.UserId, PersonId = personId, Kind = parts[0], ActionKey = actionId, Accepted = accepted, TaskId = taskId, At = now });
        await db.SaveChangesAsync(ct);
        return new ActionFeedbackResult(actionId, accepted, taskId);
    }

    /// <summary>Products to offer the person (or their primary employer) that they have not bought yet, each with the rule behind it.</summary>
    public async Task<IReadOnlyList<ProductSuggestion>> ProductSuggestionsAsync(Guid personId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await Records.FindAsync(db.People.AsNoTracking(), personId, ct);
        return (await products.SuggestAsync(db, [personId], 5, ct))[personId];
    }

    /// <summary>Cross-selling for a customer organisation the user may read: the next products to offer, each with the rule behind it.</summary>
    public async Task<IReadOnlyList<ProductSuggestion>> OrganizationProductSuggestionsAsync(Guid organizationId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await Records.FindAsync(db.Organizations.AsNoTracking(), organizationId, ct);
        return await products.SuggestForOrganizationAsync(db, organizationId, 5, ct);
    }

    /// <summary>For the mail composer: the person's known motives with arguments, and the templates that fit them best.</summary>
    public async Task<MailSuggestion> MailSuggestionAsync(Guid personId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var person = await Records.FindAsync(db.People.AsNoTracking(), personId, ct);
        var profile = (await MotivesAsync(db, [person], db.Clock.GetUtcNow(), ct))[person.Id];
        var language = person.PreferredLanguage ?? "de";
        var motives = profile.Known.OrderByDescending(m => m.Weight).Take(3).Select(m => new MailSuggestionMotive(m.Dimension.Code, m.Dimension.Label, m.Score.Score!.Value,
            m.Score.Confidence, m.Dimension.Talk, m.Dimension.Arguments(language), m.Dimension.Avoid, m.Quote?.Sentence)).ToList();
        var templates = await db.MailTemplates.AsNoTracking().Where(t => t.IsActive).ToListAsync(ct);
        return new MailSuggestion(motives, [.. templates.Select(t => new MailSuggestionTemplate(t.Id, t.Name, t.Language, Fit(profile, t.Motives), t.Motives))
            .Where(t => t.Motives.Count > 0).OrderByDescending(t => t.Fit).ThenBy(t => t.Language == language ? 0 : 1).ThenBy(t => t.Name).Take(5)]);
    }

    public static readonly IReadOnlyList<string> Kinds = ["answerQuestion", "followUp", "reengage", "congratulate", "sendInformation", "proposeProduct"];

    private sealed record KnownMotive(MotiveDimension Dimension, MotiveScore Score, double Weight, MotiveEvidence? Quote, MotiveRating? Rating);

    private sealed record Motives(IReadOnlyList<KnownMotive> Known);

    /// <summary>Each person's known motives, when the user may see motive data and the person has not objected; else none (actions then rank without them).</summary>
    private static async Task<Dictionary<Guid, Motives>> MotivesAsync(MotivDbContext db, IReadOnlyList<Person> people, DateTimeOffset now, CancellationToken ct)
    {
        var settings = await MotiveTaxonomyService.ReadAsync(db, ct);
        var ids = settings.CanSee(db.Scope) ? people.Where(p => p.MotivesObjectedAt is null).Select(p => p.Id).ToList() : [];
        var all = await db.MotiveEvidence.AsNoTracking().Where(e => ids.Contains(e.PersonId)).ToListAsync(ct);
        // Everything counts for the estimate, but only quotes from interactions the user may read are cited.
        var readable = await MotiveService.ReadableSubjectsAsync(db, all, ct);
        var evidence = all.ToLookup(e => e.PersonId);
        var ratings = (await db.MotiveRatings.AsNoTracking().Where(r => ids.Contains(r.PersonId)).ToListAsync(ct)).ToLookup(r => r.PersonId);
        return people.ToDictionary(p => p.Id, p =>
        {
            if (!ids.Contains(p.Id)) return new Motives([]);
            var current = MotiveEstimator.Current(ratings[p.Id]).ToList();
            return new Motives([.. MotiveEstimator.Profile(settings, evidence[p.Id], ratings[p.Id], now).Where(s => s.Score is not null).Select(s =>
            {
                var quote = evidence[p.Id].Where(e => e.Motive == s.Motive && !e.Negated && e.Status != EvidenceStatus.Rejected && readable.ContainsKey(e.InteractionId))
                    .OrderByDescending(e => e.Status == EvidenceStatus.Confirmed).ThenByDescending(e => e.Strength * e.Reliability).ThenByDescending(e => e.OccurredAt).FirstOrDefault();
                return new KnownMotive(settings.Find(s.Motive)!, s, s.Score!.Value / 5 * s.Confidence, quote,
                    current.Where(r => r.Motive == s.Motive).OrderBy(r => r.Kind).FirstOrDefault());
            })]);
        });
    }

    /// <summary>0.5 + half the best weight (score/5 × confidence) among the target's motives the person is known to have; 0.5 when none fits.</summary>
    private static double Fit(Motives motives, IReadOnlyCollection<string> tags) =>
        tags.Count == 0 ? NeutralFit : 0.5 + 0.5 * motives.Known.Where(k => tags.Contains(k.Dimension.Code)).Select(k => k.Weight).DefaultIfEmpty(0).Max();

    private static IEnumerable<ActionReason> MotiveReasons(Motives motives, IReadOnlyCollection<string> tags) =>
        motives.Known.Where(k => tags.Contains(k.Dimension.Code)).OrderByDescending(k => k.Weight).Take(2).Select(Reason);

    private static ActionReason Reason(KnownMotive k)
    {
        var label = k.Dimension.Label;
        if (k.Quote is { } q)
        {
            var key = q.Source == EvidenceSource.OwnWords ? "Nba.Why.MotiveSaid" : "Nba.Why.MotiveNoted";
            return new ActionReason("motive", Text.Get(key, label, Texts.Cut(q.Sentence, 160), ShortDate(q.OccurredAt)), q.InteractionId);
        }
        return k.Rating is { } r
            ? new ActionReason("motive", Text.Get(r.Kind == RatingKind.Staff ? "Nba.Why.MotiveRated" : "Nba.Why.MotiveSelf", label, r.Value, ShortDate(r.At)))
            : new ActionReason("motive", Text.Get("Nba.Why.MotiveScore", label, k.Score.Score));
    }

    private static string ShortDate(DateTimeOffset at) => at.UtcDateTime.ToString(Text.IsGerman ? "d. MMM yyyy" : "d MMM yyyy", CultureInfo.CurrentCulture);

    /// <summary>The user's feedback of the last year: for hiding recently dismissed actions and for the acceptance factor per kind.</summary>
    private static async Task<List<ActionFeedback>> FeedbackAsync(MotivDbContext db, CancellationToken ct)
    {
        var since = db.Clock.GetUtcNow().AddDays(-365);
        var me = db.Scope.UserId;
        return await db.ActionFeedback.AsNoTracking().Where(f => f.UserId == me && f.At >= since).ToListAsync(ct);
    }

    /// <summary>(accepted + 1) / (answered + 2) × 2: 1 without feedback, towards 2 for kinds the user always takes, towards 0 for kinds they always dismiss.</summary>
    public static double FeedbackFactor(IEnumerable<ActionFeedback> feedback, string kind)
    {
        var mine = feedback.Where(f => f.Kind == kind).ToList();
        return (mine.Count(f => f.Accepted) + 1.0) / (mine.Count + 2.0) * 2;
    }

    /// <summary>The candidates for several people, with what they share read once (signals, motives, messages, consents, templates).</summary>
    private async Task<List<NextBestActionDto>> CandidatesAsync(MotivDbContext db, IReadOnlyList<Person> people, List<ActionFeedback> feedback, CancellationToken ct)
    {
        var now = db.Clock.GetUtcNow();
        var ids = people.Select(p => p.Id).ToList();
        var motives = await MotivesAsync(db, people, now, ct);
        var signals = await HealthService.SignalsAsync(db, await HealthService.SubjectsAsync(db, Person.Type, ids, ct), now, ct);
        var stored = await db.HealthScores.AsNoTracking().Where(h => ids.Contains(h.SubjectId)).ToDictionaryAsync(h => h.SubjectId, ct);
        var month = now.AddDays(-30);
        var messages = (await db.Interactions.AsNoTracking().Where(i => i.OccurredAt >= month && i.Direction != InteractionDirection.Internal)
            .SelectMany(i => i.Participants.Where(p => p.PersonId != null && ids.Contains(p.PersonId.Value)), (i, p) => new { PersonId = p.PersonId!.Value, i.Id, i.Direction, i.Subject, i.BodyText, i.OccurredAt })
            .ToListAsync(ct)).ToLookup(m => m.PersonId);
        var consents = (await db.ConsentEntries.AsNoTracking().Where(c => c.PersonId != null && ids.Contains(c.PersonId.Value) && c.Channel == ConsentChannel.Email).ToListAsync(ct))
            .ToLookup(c => c.PersonId!.Value);
        var templates = await db.MailTemplates.AsNoTracking().Where(t => t.IsActive).ToListAsync(ct);
        var suggestions = await products.SuggestAsync(db, ids, 3, ct);
        var result = new List<NextBestActionDto>();
        foreach (var person in people)
        {
            var lastInbound = messages[person.Id].Where(m => m.Direction == InteractionDirection.Inbound).MaxBy(m => m.OccurredAt);
            var answered = lastInbound is not null && messages[person.Id].Any(m => m.Direction == InteractionDirection.Outbound && m.OccurredAt > lastInbound.OccurredAt);
            var question = lastInbound is null || answered ? null : MotiveAnalyzer.Sentences(lastInbound.BodyText ?? lastInbound.Subject).FirstOrDefault(x => x.EndsWith('?'));
            result.AddRange(Candidates(person, motives[person.Id], HealthModel.Compute(signals[person.Id], now), stored.GetValueOrDefault(person.Id),
                question is null ? null : (lastInbound!.Id, question, lastInbound.OccurredAt), [.. consents[person.Id]], templates, suggestions[person.Id], feedback, now));
        }
        return result;
    }

    private static List<NextBestActionDto> Candidates(Person person, Motives motives, HealthResult health, HealthScore? stored,
        (Guid Id, string Sentence, DateTimeOffset At)? question, List<ConsentEntry> consents, List<MailTemplate> templates, IReadOnlyList<ProductSuggestion> products,
        List<ActionFeedback> feedback, DateTimeOffset now)
    {
        var name = person.DisplayName;
        var list = new List<(string Kind, string Title, double Value, double Likelihood, double Fit, List<ActionReason> Why, string? TargetType, Guid? TargetId, IReadOnlyList<string> Arguments)>();
        var contactReason = health.DaysSinceContact is { } days
            ? new ActionReason("contact", Text.Get("Nba.Why.LastContact", days, health.UsualRhythmDays))
            : new ActionReason("contact", Text.Get("Nba.Why.NoContact"));
        var topMotives = motives.Known.OrderByDescending(k => k.Weight).Take(1).Select(Reason).ToList();

        // An open question: the person's last message of the month asked something and nothing went out since.
        if (question is var (questionId, sentence, askedAt))
        {
            list.Add(("answerQuestion", Text.Get("Nba.Title.answerQuestion", name), 0.9, 0.9, NeutralFit,
                [new("question", Text.Get("Nba.Why.Question", Texts.Cut(sentence, 160), ShortDate(askedAt)), questionId), .. topMotives], "interaction", questionId,
                motives.Known.OrderByDescending(k => k.Weight).FirstOrDefault()?.Dimension.Arguments(person.PreferredLanguage) ?? []));
        }

        var atRisk = stored is { } h && health.DaysSinceContact is not null && (h.Drop >= HealthService.RiskDrop || health.Score < HealthService.RiskScore);
        if (atRisk)
        {
            list.Add(("reengage", Text.Get("Nba.Title.reengage", name), 0.8, 0.5 + Math.Clamp(stored!.Drop, 0, 40) / 100.0, NeutralFit,
                [new("health", Text.Get("Nba.Why.Health", health.Score, stored!.Previous ?? health.Score)), contactReason, .. topMotives], null, null,
                motives.Known.OrderByDescending(k => k.Weight).FirstOrDefault()?.Dimension.Arguments(person.PreferredLanguage) ?? []));
        }
        else if (health.DaysSinceContact is null || health.DaysSinceContact > health.UsualRhythmDays)
        {
            var overdue = health.DaysSinceContact is { } d ? (double)d / health.UsualRhythmDays - 1 : 1;
            list.Add(("followUp", Text.Get("Nba.Title.followUp", name), 0.6, Math.Min(0.9, 0.3 + 0.3 * overdue), NeutralFit, [contactReason, .. topMotives], null, null, []));
        }

        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var dates = person.ImportantDates.Select(d => (Label: d.Label ?? Text.Get("ImportantDateKind." + d.Kind), d.Date))
            .Concat(person.Birthday is { } b ? [(Text.Get("Field.birthday"), b)] : []);
        foreach (var (label, date) in dates.OrderBy(d => ImportantDates.Next(d.Date, today)))
        {
            var next = ImportantDates.Next(date, today);
            var inDays = next.DayNumber - today.DayNumber;
            if (inDays > 14) continue;
            list.Add(("congratulate", Text.Get("Nba.Title.congratulate", name, label), 0.5, inDays <= 7 ? 0.9 : 0.6, NeutralFit,
                [new("date", Text.Get("Nba.Why.Date", label, next.ToString(Text.IsGerman ? "d. MMMM" : "d MMMM", CultureInfo.CurrentCulture), inDays))], null, null, []));
            break;
        }

        if (motives.Known.Count > 0)
        {
            var language = person.PreferredLanguage ?? "de";
            var template = templates.Where(t => t.Language == language && t.Motives.Count > 0 && (t.Purpose is not { } purpose || ConsentService.State(consents, ConsentChannel.Email, purpose).Allowed))
                .Select(t => (Template: t, Fit: Fit(motives, t.Motives))).Where(t => t.Fit > 0.5).OrderByDescending(t => t.Fit).FirstOrDefault();
            if (template.Template is { } t)
            {
                var top = motives.Known.Where(k => t.Motives.Contains(k.Dimension.Code)).OrderByDescending(k => k.Weight).First();
                list.Add(("sendInformation", Text.Get("Nba.Title.sendInformation", t.Name, name), 0.5, 0.5, template.Fit, [.. MotiveReasons(motives, t.Motives)], "mailTemplate", t.Id,
                    top.Dimension.Arguments(language)));
            }
        }

        foreach (var p in products)
        {
            var fit = Fit(motives, p.Motives);
            list.Add(("proposeProduct", Text.Get("Nba.Title.proposeProduct", p.Name, name), 0.7, p.Confidence, fit,
                [new("product", p.Reason), .. MotiveReasons(motives, p.Motives)], Product.Type, p.ProductId,
                motives.Known.Where(k => p.Motives.Contains(k.Dimension.Code)).OrderByDescending(k => k.Weight).FirstOrDefault()?.Dimension.Arguments(person.PreferredLanguage) ?? []));
        }

        var hidden = feedback.Where(f => f.PersonId == person.Id && (f.Accepted ? now - f.At < TimeSpan.FromDays(14) : now - f.At < DismissedFor)).Select(f => f.ActionKey).ToHashSet();
        return [.. list.Select(a =>
        {
            var id = $"{a.Kind}.{person.Id:N}.{(a.TargetId is { } t ? t.ToString("N") : "-")}";
            var score = a.Value * a.Likelihood * a.Fit * FeedbackFactor(feedback, a.Kind);
            return new NextBestActionDto(id, person.Id, name, a.Kind, a.Title, Math.Round(score, 3), a.Value, Math.Round(a.Likelihood, 2), Math.Round(a.Fit, 2),
                a.Why, a.TargetType, a.TargetId, a.Arguments);
        }).Where(a => !hidden.Contains(a.Id)).OrderByDescending(a => a.Score).ThenBy(a => a.Id, StringComparer.Ordinal)];
    }
}
