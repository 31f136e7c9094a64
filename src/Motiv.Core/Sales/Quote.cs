using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Motiv.Core.Common;
using Motiv.Core.CustomFields;
using Motiv.Core.Data;

namespace Motiv.Core.Sales;

public enum QuoteStatus
{
    Draft = 0,
    Sent = 1,
    Accepted = 2,
    Declined = 3,
    Expired = 4,
}

/// <summary>An offer to a customer ("Angebot"). Changing a quote that was sent makes a new revision; earlier revisions are kept.</summary>
public sealed class Quote : SalesDocument
{
    public const string Type = "quote";
    public override string RecordType => Type;
    public override string DisplayName => Revision > 1 ? $"{Number} Rev. {Revision}" : Number;

    public int Revision { get; set; } = 1;
    public Guid? PriceListId { get; set; }
    public QuoteStatus Status { get; set; }
    public DateOnly QuoteDate { get; set; }
    public DateOnly ValidUntil { get; set; }
    public string? Introduction { get; set; }
    public string? Terms { get; set; }
    public Guid? OrderId { get; set; }
}

/// <summary>A quote as it was before it was revised.</summary>
public sealed class QuoteRevision
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid QuoteId { get; set; }
    public int Revision { get; set; }
    public string Snapshot { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public Guid CreatedById { get; set; }
}

public sealed record QuoteInput : ISalesDocumentInput
{
    public Guid? OrganizationId { get; set; }
    public Guid? PersonId { get; set; }
    public Guid? DealId { get; set; }
    public Guid? PriceListId { get; set; }
    public string? Currency { get; set; }
    public string? Language { get; set; }
    public QuoteStatus? Status { get; set; }
    public DateOnly? QuoteDate { get; set; }
    public DateOnly? ValidUntil { get; set; }
    public string? Introduction { get; set; }
    public string? Terms { get; set; }
    public List<LineInput>? Lines { get; set; }
    public string? Notes { get; set; }
    public List<string>? Tags { get; set; }
    public Dictionary<string, JsonElement>? CustomFields { get; set; }
    public Guid? OwnerId { get; set; }
    public Guid? TeamId { get; set; }
    public Visibility? Visibility { get; set; }
}

public sealed record QuoteDto(Guid Id, string Number, int Revision, QuoteStatus Status, Guid OrganizationId, string? OrganizationName, Guid? PersonId, string? PersonName,
    Guid? DealId, string? DealTitle, Guid? PriceListId, string Currency, string Language, DateOnly QuoteDate, DateOnly ValidUntil, string? Introduction, string? Terms,
    IReadOnlyList<LineDto> Lines, decimal Net, IReadOnlyList<VatAmount> VatByRate, decimal Vat, decimal Gross, Guid? OrderId, string? Notes,
    IReadOnlyList<string> Tags, Guid OwnerId, Guid? TeamId, Visibility Visibility, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, long Version,
    IReadOnlyDictionary<string, object?> CustomFields);

public sealed record QuoteListItem(Guid Id, string Number, int Revision, QuoteStatus Status, Guid OrganizationId, string? OrganizationName, DateOnly QuoteDate,
    DateOnly ValidUntil, string Currency, decimal Net, decimal Gross, Guid OwnerId, long Version);

public sealed record QuoteRevisionDto(int Revision, DateTimeOffset CreatedAt, Guid CreatedById, QuoteDto Quote);

public sealed record QuoteQuery
{
    public string? Q { get; set; }
    public QuoteStatus? Status { get; set; }
    public Guid? OrganizationId { get; set; }
    public Guid? DealId { get; set; }
    public string? Sort { get; set; }
    public string? Cursor { get; set; }
    public int? Limit { get; set; }
}

public sealed class QuoteService(IDbContextFactory<MotivDbContext> dbFactory, IOptions<SalesOptions> options)
{
    public static readonly SortFields<Quote> Sorts = new SortFields<Quote>("-number")
        .Add("number", q => q.Number)
        .Add("quoteDate", q => q.QuoteDate)
        .Add("validUntil", q => q.ValidUntil)
        .Add("updatedAt", q => q.UpdatedAt);

    public async Task<Page<QuoteListItem>> ListAsync(QuoteQuery query, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        IQueryable<Quote> q = db.Quotes.AsNoTracking();
        var today = Today(db);
        if (!string.IsNullOrWhiteSpace(query.Q)) q = q.Where(x => x.Number.Contains(query.Q.Trim().ToUpper()));
        if (query.Status == QuoteStatus.Expired) q = q.Where(x => x.Status == QuoteStatus.Expired || (x.Status == QuoteStatus.Sent && x.ValidUntil < today));
        else if (query.Status == QuoteStatus.Sent) q = q.Where(x => x.Status == QuoteStatus.Sent && x.ValidUntil >= today);
        else if (query.Status is { } status) q = q.Where(x => x.Status == status);
        if (query.OrganizationId is { } org) q = q.Where(x => x.OrganizationId == org);
        if (query.DealId is { } deal) q = q.Where(x => x.DealId == deal);
        return await Paging.PageAsync(q, Sorts, query.Sort, query.Cursor, query.Limit,
            x => new QuoteListItem(x.Id, x.Number, x.Revision, x.Status == QuoteStatus.Sent && x.ValidUntil < today ? QuoteStatus.Expired : x.Status,
                x.OrganizationId, db.Organizations.Where(o => o.Id == x.OrganizationId).Select(o => o.Name).FirstOrDefault(),
                x.QuoteDate, x.ValidUntil, x.Currency, x.Net, x.Gross, x.OwnerId, x.Version), ct);
    }

    public async Task<QuoteDto> GetAsync(Guid id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await ToDtoAsync(db, await Records.FindAsync(db.Quotes.AsNoTracking(), id, ct), ct);
    }

    /// <summary>
    /// Creates a quote with the next number of its year. From a deal, the customer, currency and lines default to the deal's.
    /// </summary>
    public async Task<QuoteDto> CreateAsync(QuoteInput input, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (input.DealId is { } dealId && await db.Deals.AsNoTracking().FirstOrDefaultAsync(d => d.Id == dealId, ct) is { } deal)
        {
            input = input with
            {
                OrganizationId = input.OrganizationId ?? deal.OrganizationId,
                Currency = input.Currency ?? deal.Currency,
                Lines = input.Lines is { Count: > 0 } ? input.Lines : [.. deal.Lines.OrderBy(l => l.Position).Select(l => LineItems.ToInput(LineItems.ToDto(l)))],
                PersonId = input.PersonId ?? await db.Set<DealContact>().Where(c => c.DealId == dealId && db.People.Any(p => p.Id == c.PersonId))
                    .OrderBy(c => c.Role).Select(c => (Guid?)c.PersonId).FirstOrDefaultAsync(ct),
            };
        }
        var quote = new Quote();
        await ApplyAsync(db, quote, input, isNew: true, ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await SalesDocuments.NumberAsync(db, quote, "quote", options.Value.QuoteNumberPattern, quote.QuoteDate.Year, ct);
        db.Quotes.Add(quote);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return await ToDtoAsync(db, quote, ct);
    }

    /// <summary>Changes a quote. A changed content of a quote that was already sent keeps the earlier version as a revision and starts a new draft revision.</summary>
    public async Task<QuoteDto> UpdateAsync(Guid id, long? expectedVersion, QuoteInput input, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var quote = await Records.FindForUpdateAsync(db, db.Quotes, id, expectedVersion, ct);
        if (quote.Status == QuoteStatus.Accepted) throw ValidationException.For("status", Text.Get("Validation.QuoteAccepted"));
        // A quote that went out keeps the state it went out in; a draft is simply changed.
        var before = quote.Status == QuoteStatus.Draft ? null : await ToDtoAsync(db, quote, ct);
        var contentBefore = ContentOf(quote);
        await ApplyAsync(db, quote, input, isNew: false, ct);
        if (before is not null && contentBefore != ContentOf(quote))
        {
            db.QuoteRevisions.Add(new QuoteRevision
            {
                QuoteId = quote.Id, Revision = quote.Revision, Snapshot = JsonColumn.Serialize(before), CreatedAt = db.Clock.GetUtcNow(), CreatedById = db.Scope.UserId,
            });
            quote.Revision++;
            quote.Status = QuoteStatus.Draft;
        }
        await db.SaveChangesAsync(ct);
        return await ToDtoAsync(db, quote, ct);
    }

    public async Task<IReadOnlyList<QuoteRevisionDto>> RevisionsAsync(Guid id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await Records.FindAsync(db.Quotes.AsNoTracking(), id, ct);
        var rows = await db.QuoteRevisions.AsNoTracking().Where(r => r.QuoteId == id).OrderByDescending(r => r.Revision).ToListAsync(ct);
        var result = new List<QuoteRevisionDto>();
        foreach (var r in rows)
        {
            // Names are looked up for the reader now, not taken from the snapshot: they may not see what its author saw.
            var q = JsonSerializer.Deserialize<QuoteDto>(r.Snapshot, JsonColumn.Options)!;
            var names = await SalesDocuments.NamesAsync(db, new Quote { OrganizationId = q.OrganizationId, PersonId = q.PersonId, DealId = q.DealId }, ct);
            result.Add(new QuoteRevisionDto(r.Revision, r.CreatedAt, r.CreatedById, q with
            {
                OrganizationName = names.OrganizationName, PersonName = names.PersonName, DealTitle = names.DealTitle,
                PersonId = names.PersonName is null ? null : q.PersonId, DealId = names.DealTitle is null ? null : q.DealId,
            }));
        }
        return result;
    }

    public static QuoteInput ToInput(QuoteDto q) => new()
    {
        OrganizationId = q.OrganizationId, PersonId = q.PersonId, DealId = q.DealId, PriceListId = q.PriceListId, Currency = q.Currency, Language = q.Language,
        Status = q.Status == QuoteStatus.Expired ? QuoteStatus.Sent : q.Status, QuoteDate = q.QuoteDate, ValidUntil = q.ValidUntil,
        Introduction = q.Introduction, Terms = q.Terms, Lines = [.. q.Lines.Select(LineItems.ToInput)], Notes = q.Notes, Tags = [.. q.Tags],
        CustomFields = CustomFieldService.ToInput(q.CustomFields), OwnerId = q.OwnerId, TeamId = q.TeamId, Visibility = q.Visibility,
    };

    private async Task ApplyAsync(MotivDbContext db, Quote quote, QuoteInput input, bool isNew, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var today = Today(db);
        var dateBefore = quote.QuoteDate;
        quote.QuoteDate = input.QuoteDate ?? (isNew ? today : quote.QuoteDate);
        if (!isNew && quote.QuoteDate.Year != quote.Year) errors.Add("quoteDate", Text.Get("Validation.SameYear", quote.Year));
        quote.ValidUntil = input.ValidUntil ?? quote.QuoteDate.AddDays(options.Value.QuoteValidityDays);
        if (quote.ValidUntil < quote.QuoteDate) errors.Add("validUntil", Text.Get("Validation.DateOrder"));
        PriceList? list = null;
        if (input.PriceListId is { } listId)
        {
            list = await db.PriceLists.AsNoTracking().FirstOrDefaultAsync(p => p.Id == listId, ct);
            if (list is null) errors.Add("priceListId", Text.Get("Validation.UnknownPriceList"));
            // Checked when chosen or when the date moves; a list that expired later does not lock the quote.
            else if ((isNew || listId != quote.PriceListId || dateBefore != quote.QuoteDate) && !list.IsValidOn(quote.QuoteDate))
                errors.Add("priceListId", Text.Get("Validation.PriceListNotValid"));
            input = input with { Currency = input.Currency ?? list?.Currency };
            if (list is not null && input.Currency?.Trim().ToUpperInvariant() != list.Currency) errors.Add("priceListId", Text.Get("Validation.PriceListCurrency", list.Currency));
        }
        quote.PriceListId = input.PriceListId;
        quote.Introduction = errors.Optional("introduction", input.Introduction, 4000);
        quote.Terms = errors.Optional("terms", input.Terms, 4000);
        var status = input.Status ?? QuoteStatus.Draft;
        if (!Enum.IsDefined(status) || status == QuoteStatus.Expired) errors.Add("status", Text.Get("Validation.Choice"));
        else if (status == QuoteStatus.Accepted && quote.ValidUntil < today) errors.Add("status", Text.Get("Validation.QuoteExpired"));
        else quote.Status = status;
        await SalesDocuments.ApplyAsync(db, errors, quote, input, quote.QuoteDate, list?.Id, options.Value, isNew, ct);
        errors.ThrowIfAny();
    }

    /// <summary>What a revision is about: everything printed on the quote, not its status or bookkeeping.</summary>
    private static string ContentOf(Quote q) => JsonColumn.Serialize(new
    {
        q.OrganizationId, q.PersonId, q.Currency, q.Language, q.QuoteDate, q.ValidUntil, q.Introduction, q.Terms, q.PriceListId,
        Lines = LineItems.ToDtos(q.Lines).Select(l => l with { Id = Guid.Empty }),
    });

    private static DateOnly Today(MotivDbContext db) => DateOnly.FromDateTime(db.Clock.GetUtcNow().UtcDateTime);

    internal static async Task<QuoteDto> ToDtoAsync(MotivDbContext db, Quote q, CancellationToken ct)
    {
        var names = await SalesDocuments.NamesAsync(db, q, ct);
        var values = await CustomFieldService.ValuesAsync(db, [q.Id], ct);
        var status = q.Status == QuoteStatus.Sent && q.ValidUntil < Today(db) ? QuoteStatus.Expired : q.Status;
        return new QuoteDto(q.Id, q.Number, q.Revision, status, q.OrganizationId, names.OrganizationName, names.PersonName is null ? null : q.PersonId, names.PersonName,
            names.DealTitle is null ? null : q.DealId, names.DealTitle, q.PriceListId, q.Currency, q.Language, q.QuoteDate, q.ValidUntil, q.Introduction, q.Terms,
            LineItems.ToDtos(q.Lines), q.Net, q.VatByRate, q.Vat, q.Gross, q.OrderId, q.Notes, TagList.FromStored(q.Tags), q.OwnerId, q.TeamId, q.Visibility,
            q.CreatedAt, q.UpdatedAt, q.Version, values.GetValueOrDefault(q.Id) ?? []);
    }
}
