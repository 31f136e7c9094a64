using Microsoft.EntityFrameworkCore;
using Motiv.Core.Access;
using Motiv.Core.Common;
using Motiv.Core.Data;

namespace Motiv.Core.Sales;

/// <summary>Prices of products in one currency for a period ("Standard EUR", "Export USD"). Configuration: administrators change it.</summary>
public sealed class PriceList
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public string Name { get; set; } = "";
    public string Currency { get; set; } = Money.DefaultCurrency;
    public DateOnly? ValidFrom { get; set; }
    public DateOnly? ValidTo { get; set; }
    public bool IsActive { get; set; } = true;
    public List<PriceListEntry> Entries { get; set; } = [];

    public bool IsValidOn(DateOnly date) => IsActive && (ValidFrom is null || ValidFrom <= date) && (ValidTo is null || date <= ValidTo);
}

public sealed class PriceListEntry
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid PriceListId { get; set; }
    public Guid ProductId { get; set; }
    public decimal UnitPrice { get; set; }
}

public sealed record PriceEntryInput(Guid ProductId, decimal? UnitPrice);

public sealed record PriceListInput(string? Name, string? Currency, DateOnly? ValidFrom, DateOnly? ValidTo, bool? IsActive, List<PriceEntryInput>? Entries);

public sealed record PriceEntryDto(Guid ProductId, string Sku, string Name, string Unit, decimal UnitPrice);

public sealed record PriceListDto(Guid Id, string Name, string Currency, DateOnly? ValidFrom, DateOnly? ValidTo, bool IsActive, int EntryCount, IReadOnlyList<PriceEntryDto>? Entries);

public sealed class PriceListService(IDbContextFactory<MotivDbContext> dbFactory, ICurrentUser currentUser)
{
    public async Task<IReadOnlyList<PriceListDto>> ListAsync(CancellationToken ct = default)
    {
        if (!currentUser.Scope.IsAuthenticated) throw new AccessDeniedException(Text.Get("Access.SignIn"));
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.PriceLists.AsNoTracking().OrderByDescending(p => p.IsActive).ThenBy(p => p.Name)
            .Select(p => new PriceListDto(p.Id, p.Name, p.Currency, p.ValidFrom, p.ValidTo, p.IsActive, p.Entries.Count, null)).ToListAsync(ct);
    }

    /// <summary>The list with the prices of the products the user may see.</summary>
    public async Task<PriceListDto> GetAsync(Guid id, CancellationToken ct = default)
    {
        if (!currentUser.Scope.IsAuthenticated) throw new AccessDeniedException(Text.Get("Access.SignIn"));
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var list = await db.PriceLists.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, ct) ?? throw new NotFoundException("priceList", id);
        return await ToDtoAsync(db, list, ct);
    }

    public async Task<PriceListDto> SaveAsync(Guid? id, PriceListInput input, CancellationToken ct = default)
    {
        if (!currentUser.Scope.CanAdminister) throw new AccessDeniedException(Text.Get("Access.AdministratorsOnly"));
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var list = id is { } existing
            ? await db.PriceLists.Include(p => p.Entries).FirstOrDefaultAsync(p => p.Id == existing, ct) ?? throw new NotFoundException("priceList", existing)
            : db.PriceLists.Add(new PriceList()).Entity;
        // The input is the whole list (the API merges a PATCH over the current one), so null clears a date.
        var errors = new FieldErrors();
        list.Name = errors.Required("name", input.Name, 100);
        var currency = input.Currency?.Trim().ToUpperInvariant();
        if (!Money.IsKnownCurrency(currency)) errors.Add("currency", Text.Get("Validation.Currency"));
        else list.Currency = currency!;
        list.ValidFrom = input.ValidFrom;
        list.ValidTo = input.ValidTo;
        if (list.ValidFrom is { } f && list.ValidTo is { } t && t < f) errors.Add("validTo", Text.Get("Validation.DateOrder"));
        list.IsActive = input.IsActive ?? true;
        if (input.Entries is { } entries)
        {
            var ids = entries.Select(e => e.ProductId).Distinct().ToList();
            var known = await db.Products.Where(p => ids.Contains(p.Id)).Select(p => p.Id).ToListAsync(ct);
            if (ids.Count != entries.Count) errors.Add("entries", Text.Get("Validation.DuplicateProduct"));
            foreach (var (e, i) in entries.Select((e, i) => (e, i)))
            {
                if (!known.Contains(e.ProductId)) errors.Add($"entries[{i}].productId", Text.Get("Validation.UnknownProduct"));
                if (e.UnitPrice is not { } price || price < 0) errors.Add($"entries[{i}].unitPrice", Text.Get("Validation.NotNegative"));
                var row = list.Entries.FirstOrDefault(x => x.ProductId == e.ProductId);
                if (row is null) list.Entries.Add(row = new PriceListEntry { PriceListId = list.Id, ProductId = e.ProductId });
                row.UnitPrice = e.UnitPrice ?? 0;
            }
            foreach (var gone in list.Entries.Where(x => !ids.Contains(x.ProductId)).ToList()) list.Entries.Remove(gone);
        }
        errors.ThrowIfAny();
        await db.SaveChangesAsync(ct);
        return await ToDtoAsync(db, list, ct);
    }

    public static PriceListInput ToInput(PriceListDto l) =>
        new(l.Name, l.Currency, l.ValidFrom, l.ValidTo, l.IsActive, l.Entries?.Select(e => new PriceEntryInput(e.ProductId, e.UnitPrice)).ToList());

    private static async Task<PriceListDto> ToDtoAsync(MotivDbContext db, PriceList list, CancellationToken ct)
    {
        var german = Text.IsGerman;
        var entries = await db.PriceListEntries.AsNoTracking().Where(e => e.PriceListId == list.Id)
            .Join(db.Products, e => e.ProductId, p => p.Id, (e, p) => new { e.ProductId, p.Sku, p.NameDe, p.NameEn, p.Unit, e.UnitPrice })
            .OrderBy(x => x.Sku).ToListAsync(ct);
        return new PriceListDto(list.Id, list.Name, list.Currency, list.ValidFrom, list.ValidTo, list.IsActive, entries.Count,
            entries.Select(e => new PriceEntryDto(e.ProductId, e.Sku, german ? e.NameDe : e.NameEn, e.Unit, e.UnitPrice)).ToList());
    }
}
