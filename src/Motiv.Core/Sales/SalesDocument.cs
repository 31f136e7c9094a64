using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Motiv.Core.Common;
using Motiv.Core.CustomFields;
using Motiv.Core.Data;

namespace Motiv.Core.Sales;

/// <summary>What quotes and orders share: a gapless number, the customer, the currency and language, priced lines and their totals.</summary>
public abstract class SalesDocument : Record
{
    public string Number { get; set; } = "";
    public int Year { get; set; }
    public int Sequence { get; set; }
    public Guid OrganizationId { get; set; }
    public Guid? PersonId { get; set; }
    public Guid? DealId { get; set; }
    public string Currency { get; set; } = Money.DefaultCurrency;

    /// <summary>"de" or "en": the language the document is written and printed in.</summary>
    public string Language { get; set; } = "de";

    public decimal Net { get; set; }
    public decimal Vat { get; set; }
    public decimal Gross { get; set; }
    public List<VatAmount> VatByRate { get; set; } = [];
    public string? Notes { get; set; }
    public List<LineItem> Lines { get; set; } = [];
}

/// <summary>The fields of <see cref="SalesDocument"/> as a caller sends them.</summary>
public interface ISalesDocumentInput : IOwnedInput
{
    Guid? OrganizationId { get; }
    Guid? PersonId { get; }
    Guid? DealId { get; }
    string? Currency { get; }
    string? Language { get; }
    List<LineInput>? Lines { get; }
    string? Notes { get; }
    List<string>? Tags { get; }
    Dictionary<string, JsonElement>? CustomFields { get; }
}

public sealed record PartyNames(string? OrganizationName, string? PersonName, string? DealTitle);

internal static class SalesDocuments
{
    /// <summary>Validates and applies the shared fields; lines are priced from <paramref name="priceListId"/> at the document's date.</summary>
    public static async Task ApplyAsync(MotivDbContext db, FieldErrors errors, SalesDocument doc, ISalesDocumentInput input, DateOnly date,
        Guid? priceListId, SalesOptions options, bool isNew, CancellationToken ct)
    {
        if (input.OrganizationId is not { } org) errors.Add("organizationId", Text.Get("Validation.Required"));
        else if (org != doc.OrganizationId && !await db.Organizations.AnyAsync(o => o.Id == org, ct)) errors.Add("organizationId", Text.Get("Validation.UnknownOrganization"));
        else doc.OrganizationId = org;
        if (input.PersonId is { } person && person != doc.PersonId && !await db.People.AnyAsync(p => p.Id == person, ct)) errors.Add("personId", Text.Get("Validation.UnknownPerson"));
        // References the reader may not see came to them as null: their save keeps them rather than clearing them.
        if (input.PersonId is not null || isNew || !await Hidden.IsHiddenAsync(db.People, doc.PersonId, ct)) doc.PersonId = input.PersonId;
        if (input.DealId is { } deal && deal != doc.DealId && !await db.Deals.AnyAsync(d => d.Id == deal, ct)) errors.Add("dealId", Text.Get("Validation.UnknownDeal"));
        if (input.DealId is not null || isNew || !await Hidden.IsHiddenAsync(db.Deals, doc.DealId, ct)) doc.DealId = input.DealId;
        var currency = input.Currency?.Trim().ToUpperInvariant() ?? options.BaseCurrency;
        if (!Money.IsKnownCurrency(currency)) errors.Add("currency", Text.Get("Validation.Currency"));
        else await RateTable.RequireAsync(db, errors, "currency", currency, date, options.BaseCurrency, ct);
        doc.Currency = currency;
        doc.Language = input.Language?.Trim().ToLowerInvariant() ?? (Text.IsGerman ? "de" : "en");
        if (doc.Language is not ("de" or "en")) errors.Add("language", Text.Get("Validation.Language"));
        doc.Notes = errors.Optional("notes", input.Notes, 10000);
        doc.Tags = Customers.Contacts.Tags(errors, input.Tags);
        if (input.Lines is not { Count: > 0 }) errors.Add("lines", Text.Get("Validation.Lines"));
        var totals = await LineItems.ApplyAsync(db, errors, doc.Id, doc.Lines, input.Lines ?? [], Money.IsKnownCurrency(currency) ? currency : options.BaseCurrency,
            priceListId, doc.Language, options.VatRates, ct);
        doc.Net = totals.Net;
        doc.Vat = totals.Vat;
        doc.Gross = totals.Gross;
        doc.VatByRate = [.. totals.VatByRate];
        await CustomFieldService.ApplyAsync(db, errors, doc, input.CustomFields, isNew, ct);
        await Ownership.ApplyAsync(db, errors, doc, input, isNew, ct);
    }

    /// <summary>Gives a new document its number; call inside the transaction that stores it.</summary>
    public static async Task NumberAsync(MotivDbContext db, SalesDocument doc, string kind, string pattern, int year, CancellationToken ct)
    {
        doc.Year = year;
        doc.Sequence = await Numbering.NextAsync(db, kind, year, ct);
        doc.Number = Numbering.Format(pattern, year, doc.Sequence);
    }

    /// <summary>The names of the customer, contact and deal the reader may see (null for what they may not).</summary>
    public static async Task<PartyNames> NamesAsync(MotivDbContext db, SalesDocument doc, CancellationToken ct)
    {
        var org = await db.Organizations.Where(o => o.Id == doc.OrganizationId).Select(o => o.Name).FirstOrDefaultAsync(ct);
        var person = doc.PersonId is { } pid ? await db.People.Where(p => p.Id == pid).Select(p => p.FirstName + " " + p.LastName).FirstOrDefaultAsync(ct) : null;
        var deal = doc.DealId is { } did ? await db.Deals.Where(d => d.Id == did).Select(d => d.Title).FirstOrDefaultAsync(ct) : null;
        return new PartyNames(org, person, deal);
    }
}
