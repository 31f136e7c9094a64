using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Motiv.Core.Common;
using Motiv.Core.CustomFields;
using Motiv.Core.Data;

namespace Motiv.Core.Sales;

public sealed class SalesOptions
{
    /// <summary>The VAT rates products may have, in percent; Germany's by default.</summary>
    public List<decimal> VatRates { get; set; } = [19m, 7m, 0m];

    /// <summary>The currency every total across currencies is converted to.</summary>
    public string BaseCurrency { get; set; } = Money.DefaultCurrency;

    /// <summary>How quote and order numbers look: {year} and {number:0000} are replaced; numbers restart each year.</summary>
    public string QuoteNumberPattern { get; set; } = "AN-{year}-{number:0000}";
    public string OrderNumberPattern { get; set; } = "AB-{year}-{number:0000}";

    /// <summary>Days a new quote is valid unless it says otherwise.</summary>
    public int QuoteValidityDays { get; set; } = 30;
}

public sealed record ProductInput : IOwnedInput
{
    public string? Sku { get; set; }
    public string? NameDe { get; set; }
    public string? NameEn { get; set; }
    public string? DescriptionDe { get; set; }
    public string? DescriptionEn { get; set; }
    public string? Category { get; set; }
    public string? Unit { get; set; }
    public decimal? VatRate { get; set; }
    public bool? IsActive { get; set; }
    public List<string>? Tags { get; set; }
    public Dictionary<string, JsonElement>? CustomFields { get; set; }
    public Guid? OwnerId { get; set; }
    public Guid? TeamId { get; set; }
    public Visibility? Visibility { get; set; }
}

public sealed record ProductDto(Guid Id, string Sku, string NameDe, string NameEn, string? DescriptionDe, string? DescriptionEn, string? Category,
    string Unit, decimal VatRate, bool IsActive, IReadOnlyList<string> Tags, Guid OwnerId, Guid? TeamId, Visibility Visibility,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, long Version, IReadOnlyDictionary<string, object?> CustomFields);

public sealed record ProductListItem(Guid Id, string Sku, string NameDe, string NameEn, string? Category, string Unit, decimal VatRate, bool IsActive, long Version);

public sealed record ProductQuery : ICustomFieldQuery<ProductQuery>
{
    public string? Q { get; set; }
    public string? Category { get; set; }
    public bool? Active { get; set; }
    public string? Sort { get; set; }
    public string? Cursor { get; set; }
    public int? Limit { get; set; }
    public IReadOnlyDictionary<string, string>? CustomFields { get; private init; }

    public ProductQuery WithCustomFields(IReadOnlyDictionary<string, string>? filters) => this with { CustomFields = filters };
}

/// <summary>The product catalogue. Products are ordinary records: owned, visible by rule, versioned, audited.</summary>
public sealed class ProductService(IDbContextFactory<MotivDbContext> dbFactory, IOptions<SalesOptions> options)
{
    public static readonly SortFields<Product> Sorts = new SortFields<Product>("sku")
        .Add("sku", p => p.Sku)
        .Add("nameDe", p => p.NameDe)
        .Add("nameEn", p => p.NameEn)
        .Add("category", p => p.Category ?? "")
        .Add("updatedAt", p => p.UpdatedAt);

    public async Task<Page<ProductListItem>> ListAsync(ProductQuery query, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        IQueryable<Product> q = db.Products.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(query.Q))
        {
            var text = query.Q.Trim();
            var lower = text.ToLowerInvariant();
            q = q.Where(p => p.Sku == text || p.NameDe.ToLower().Contains(lower) || p.NameEn.ToLower().Contains(lower));
        }
        if (!string.IsNullOrWhiteSpace(query.Category)) q = q.Where(p => p.Category == query.Category.Trim());
        if (query.Active is { } active) q = q.Where(p => p.IsActive == active);
        q = await CustomFieldService.FilterAsync(db, q, Product.Type, query.CustomFields, ct);
        return await Paging.PageAsync(q, Sorts, query.Sort, query.Cursor, query.Limit,
            p => new ProductListItem(p.Id, p.Sku, p.NameDe, p.NameEn, p.Category, p.Unit, p.VatRate, p.IsActive, p.Version), ct);
    }

    /// <summary>The products with these ids that the user may see, as list items.</summary>
    public async Task<IReadOnlyList<ProductListItem>> ItemsAsync(IEnumerable<Guid> ids, CancellationToken ct = default)
    {
        var wanted = ids.Distinct().ToList();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Products.AsNoTracking().Where(p => wanted.Contains(p.Id))
            .Select(p => new ProductListItem(p.Id, p.Sku, p.NameDe, p.NameEn, p.Category, p.Unit, p.VatRate, p.IsActive, p.Version)).ToListAsync(ct);
    }

    public async Task<ProductDto> GetAsync(Guid id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await ToDtoAsync(db, await Records.FindAsync(db.Products.AsNoTracking(), id, ct), ct);
    }

    public async Task<ProductDto> CreateAsync(ProductInput input, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var product = new Product();
        await ApplyAsync(db, product, input, options.Value, isNew: true, ct);
        db.Products.Add(product);
        await db.SaveChangesAsync(ct);
        return await ToDtoAsync(db, product, ct);
    }

    public async Task<ProductDto> UpdateAsync(Guid id, long? expectedVersion, ProductInput input, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var product = await Records.FindForUpdateAsync(db, db.Products, id, expectedVersion, ct);
        await ApplyAsync(db, product, input, options.Value, isNew: false, ct);
        await db.SaveChangesAsync(ct);
        return await ToDtoAsync(db, product, ct);
    }

    public static ProductInput ToInput(ProductDto p) => new()
    {
        Sku = p.Sku, NameDe = p.NameDe, NameEn = p.NameEn, DescriptionDe = p.DescriptionDe, DescriptionEn = p.DescriptionEn, Category = p.Category,
        Unit = p.Unit, VatRate = p.VatRate, IsActive = p.IsActive, Tags = [.. p.Tags], CustomFields = CustomFieldService.ToInput(p.CustomFields),
        OwnerId = p.OwnerId, TeamId = p.TeamId, Visibility = p.Visibility,
    };

    internal static async Task ApplyAsync(MotivDbContext db, Product product, ProductInput input, SalesOptions options, bool isNew, CancellationToken ct)
    {
        var errors = new FieldErrors();
        product.Sku = errors.Required("sku", input.Sku, 50);
        // SKUs are unique among all products, including those in the recycle bin, so a restore cannot collide.
        if (product.Sku.Length > 0 && await db.Products.IgnoreQueryFilters().AnyAsync(p => p.Sku == product.Sku && p.Id != product.Id, ct))
            errors.Add("sku", Text.Get("Validation.NameTaken"));
        product.NameDe = errors.Required("nameDe", input.NameDe, 200);
        product.NameEn = errors.Required("nameEn", input.NameEn, 200);
        product.DescriptionDe = errors.Optional("descriptionDe", input.DescriptionDe, 4000);
        product.DescriptionEn = errors.Optional("descriptionEn", input.DescriptionEn, 4000);
        product.Category = errors.Optional("category", input.Category, 100);
        product.Unit = errors.Required("unit", input.Unit, 20);
        if (input.VatRate is not { } rate || !options.VatRates.Contains(rate))
            errors.Add("vatRate", Text.Get("Validation.VatRate", string.Join(", ", options.VatRates.Select(r => r + " %"))));
        else product.VatRate = rate;
        product.IsActive = input.IsActive ?? true;
        product.Tags = TagList.ToStored(input.Tags);
        await CustomFieldService.ApplyAsync(db, errors, product, input.CustomFields, isNew, ct);
        await Ownership.ApplyAsync(db, errors, product, input, isNew, ct);
        errors.ThrowIfAny();
    }

    internal static async Task<ProductDto> ToDtoAsync(MotivDbContext db, Product p, CancellationToken ct)
    {
        var values = await CustomFieldService.ValuesAsync(db, [p.Id], ct);
        return new ProductDto(p.Id, p.Sku, p.NameDe, p.NameEn, p.DescriptionDe, p.DescriptionEn, p.Category, p.Unit, p.VatRate, p.IsActive,
            TagList.FromStored(p.Tags), p.OwnerId, p.TeamId, p.Visibility, p.CreatedAt, p.UpdatedAt, p.Version, values.GetValueOrDefault(p.Id) ?? []);
    }
}
