using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Motiv.Core.Common;
using Motiv.Core.CustomFields;
using Motiv.Core.Data;

namespace Motiv.Core.Sales;

public enum OrderStatus
{
    Open = 0,
    Confirmed = 1,
    Delivered = 2,
    Invoiced = 3,
    Cancelled = 4,
}

/// <summary>
/// A customer's order ("Auftrag"): the purchase history the analytics read. Its lines keep the product and price as sold,
/// and its net amount is also kept in the base currency at the rate of the order date.
/// </summary>
public sealed class Order : SalesDocument
{
    public const string Type = "order";
    public override string RecordType => Type;
    public override string DisplayName => Number;

    public DateOnly OrderDate { get; set; }
    public OrderStatus Status { get; set; }
    public Guid? QuoteId { get; set; }

    /// <summary>The order's number in the system it was imported from (matched by a rerun of an import).</summary>
    public string? ExternalId { get; set; }

    /// <summary>The net amount in the base currency, converted at <see cref="ExchangeRate"/> of <see cref="RateDate"/>.</summary>
    public decimal BaseNet { get; set; }
    public string BaseCurrency { get; set; } = Money.DefaultCurrency;
    public decimal ExchangeRate { get; set; } = 1m;
    public DateOnly RateDate { get; set; }
}

public sealed record OrderInput : ISalesDocumentInput
{
    public Guid? OrganizationId { get; set; }
    public Guid? PersonId { get; set; }
    public Guid? DealId { get; set; }
    public string? Currency { get; set; }
    public string? Language { get; set; }
    public DateOnly? OrderDate { get; set; }
    public OrderStatus? Status { get; set; }

    /// <summary>Where lines without a unit price take theirs from; not stored (the lines keep the prices).</summary>
    public Guid? PriceListId { get; set; }
    public List<LineInput>? Lines { get; set; }
    public string? Notes { get; set; }
    public List<string>? Tags { get; set; }
    public Dictionary<string, JsonElement>? CustomFields { get; set; }
    public Guid? OwnerId { get; set; }
    public Guid? TeamId { get; set; }
    public Visibility? Visibility { get; set; }
}

public sealed record OrderDto(Guid Id, string Number, OrderStatus Status, DateOnly OrderDate, Guid OrganizationId, string? OrganizationName, Guid? PersonId, string? PersonName,
    Guid? DealId, string? DealTitle, Guid? QuoteId, string Currency, string Language, IReadOnlyList<LineDto> Lines, decimal Net, IReadOnlyList<VatAmount> VatByRate,
    decimal Vat, decimal Gross, Converted BaseNet, string? Notes, IReadOnlyList<string> Tags, Guid OwnerId, Guid? TeamId, Visibility Visibility,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, long Version, IReadOnlyDictionary<string, object?> CustomFields);

public sealed record OrderListItem(Guid Id, string Number, OrderStatus Status, DateOnly OrderDate, Guid OrganizationId, string? OrganizationName,
    string Currency, decimal Net, decimal Gross, decimal BaseNet, Guid OwnerId, long Version);

public sealed record OrderQuery
{
    public string? Q { get; set; }
    public OrderStatus? Status { get; set; }
    public Guid? OrganizationId { get; set; }
    public DateOnly? From { get; set; }
    public DateOnly? To { get; set; }
    public string? Sort { get; set; }
    public string? Cursor { get; set; }
    public int? Limit { get; set; }
}

public sealed class OrderService(IDbContextFactory<MotivDbContext> dbFactory, IOptions<SalesOptions> options)
{
    public static readonly SortFields<Order> Sorts = new SortFields<Order>("-orderDate")
        .Add("number", o => o.Number)
        .Add("orderDate", o => o.OrderDate)
        .Add("updatedAt", o => o.UpdatedAt);

    public async Task<Page<OrderListItem>> ListAsync(OrderQuery query, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        IQueryable<Order> q = db.Orders.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(query.Q)) q = q.Where(x => x.Number.Contains(query.Q.Trim().ToUpper()));
        if (query.Status is { } status) q = q.Where(x => x.Status == status);
        if (query.OrganizationId is { } org) q = q.Where(x => x.OrganizationId == org);
        if (query.From is { } from) q = q.Where(x => x.OrderDate >= from);
        if (query.To is { } to) q = q.Where(x => x.OrderDate <= to);
        return await Paging.PageAsync(q, Sorts, query.Sort, query.Cursor, query.Limit,
            x => new OrderListItem(x.Id, x.Number, x.Status, x.OrderDate, x.OrganizationId, db.Organizations.Where(o => o.Id == x.OrganizationId).Select(o => o.Name).FirstOrDefault(),
                x.Currency, x.Net, x.Gross, x.BaseNet, x.OwnerId, x.Version), ct);
    }

    public async Task<OrderDto> GetAsync(Guid id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await ToDtoAsync(db, await Records.FindAsync(db.Orders.AsNoTracking(), id, ct), ct);
    }

    public async Task<OrderDto> CreateAsync(OrderInput input, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var order = new Order();
        await ApplyAsync(db, order, input, options.Value, isNew: true, ct);
        await SaveNewAsync(db, order, ct);
        return await ToDtoAsync(db, order, ct);
    }

    /// <summary>The order for an accepted quote: its lines as offered, linked both ways. A quote becomes one order only.</summary>
    public async Task<OrderDto> CreateFromQuoteAsync(Guid quoteId, long? expectedVersion, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var quote = await Records.FindForUpdateAsync(db, db.Quotes, quoteId, expectedVersion, ct);
        if (quote.OrderId is not null) throw ValidationException.For("status", Text.Get("Validation.QuoteOrdered"));
        if (quote.Status != QuoteStatus.Accepted) throw ValidationException.For("status", Text.Get("Validation.QuoteNotAccepted"));
        var order = new Order { QuoteId = quote.Id };
        await ApplyAsync(db, order, new OrderInput
        {
            OrganizationId = quote.OrganizationId, PersonId = quote.PersonId, DealId = quote.DealId, Currency = quote.Currency, Language = quote.Language,
            Lines = [.. quote.Lines.OrderBy(l => l.Position).Select(l => LineItems.ToInput(LineItems.ToDto(l)))],
            Tags = [.. TagList.FromStored(quote.Tags)], OwnerId = quote.OwnerId, TeamId = quote.TeamId, Visibility = quote.Visibility,
        }, options.Value, isNew: true, ct);
        quote.OrderId = order.Id;
        await SaveNewAsync(db, order, ct);
        return await ToDtoAsync(db, order, ct);
    }

    private async Task SaveNewAsync(MotivDbContext db, Order order, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await SalesDocuments.NumberAsync(db, order, "order", options.Value.OrderNumberPattern, order.OrderDate.Year, ct);
        db.Orders.Add(order);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
    }

    public async Task<OrderDto> UpdateAsync(Guid id, long? expectedVersion, OrderInput input, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var order = await Records.FindForUpdateAsync(db, db.Orders, id, expectedVersion, ct);
        await ApplyAsync(db, order, input, options.Value, isNew: false, ct);
        await db.SaveChangesAsync(ct);
        return await ToDtoAsync(db, order, ct);
    }

    public static OrderInput ToInput(OrderDto o) => new()
    {
        OrganizationId = o.OrganizationId, PersonId = o.PersonId, DealId = o.DealId, Currency = o.Currency, Language = o.Language, OrderDate = o.OrderDate,
        Status = o.Status, Lines = [.. o.Lines.Select(LineItems.ToInput)], Notes = o.Notes, Tags = [.. o.Tags],
        CustomFields = CustomFieldService.ToInput(o.CustomFields), OwnerId = o.OwnerId, TeamId = o.TeamId, Visibility = o.Visibility,
    };

    internal static async Task ApplyAsync(MotivDbContext db, Order order, OrderInput input, SalesOptions options, bool isNew, CancellationToken ct)
    {
        var errors = new FieldErrors();
        order.OrderDate = input.OrderDate ?? (isNew ? DateOnly.FromDateTime(db.Clock.GetUtcNow().UtcDateTime) : order.OrderDate);
        if (!isNew && order.OrderDate.Year != order.Year) errors.Add("orderDate", Text.Get("Validation.SameYear", order.Year));
        order.Status = input.Status ?? OrderStatus.Open;
        if (!Enum.IsDefined(order.Status)) errors.Add("status", Text.Get("Validation.Choice"));
        if (input.PriceListId is { } listId)
        {
            var list = await db.PriceLists.AsNoTracking().FirstOrDefaultAsync(p => p.Id == listId, ct);
            if (list is null) errors.Add("priceListId", Text.Get("Validation.UnknownPriceList"));
            else if (!list.IsValidOn(order.OrderDate)) errors.Add("priceListId", Text.Get("Validation.PriceListNotValid"));
            else if ((input.Currency?.Trim().ToUpperInvariant() ?? options.BaseCurrency) != list.Currency) errors.Add("priceListId", Text.Get("Validation.PriceListCurrency", list.Currency));
        }
        await SalesDocuments.ApplyAsync(db, errors, order, input, order.OrderDate, input.PriceListId, options, isNew, ct);
        errors.ThrowIfAny();
        var rates = await RateTable.LoadAsync(db, options.BaseCurrency, ct);
        var converted = rates.Convert(new Money(order.Net, order.Currency), order.OrderDate)!;
        order.BaseNet = converted.Base.Amount;
        order.BaseCurrency = converted.Base.Currency;
        order.ExchangeRate = converted.Rate;
        order.RateDate = converted.RateDate;
    }

    internal static async Task<OrderDto> ToDtoAsync(MotivDbContext db, Order o, CancellationToken ct)
    {
        var names = await SalesDocuments.NamesAsync(db, o, ct);
        var values = await CustomFieldService.ValuesAsync(db, [o.Id], ct);
        return new OrderDto(o.Id, o.Number, o.Status, o.OrderDate, o.OrganizationId, names.OrganizationName, names.PersonName is null ? null : o.PersonId, names.PersonName,
            names.DealTitle is null ? null : o.DealId, names.DealTitle, o.QuoteId, o.Currency, o.Language, LineItems.ToDtos(o.Lines), o.Net, o.VatByRate, o.Vat, o.Gross,
            new Converted(new Money(o.Net, o.Currency), new Money(o.BaseNet, o.BaseCurrency), o.ExchangeRate, o.RateDate),
            o.Notes, TagList.FromStored(o.Tags), o.OwnerId, o.TeamId, o.Visibility, o.CreatedAt, o.UpdatedAt, o.Version, values.GetValueOrDefault(o.Id) ?? []);
    }
}
