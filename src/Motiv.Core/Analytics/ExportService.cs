using System.Globalization;
using System.Text;
using Motiv.Core.Common;
using Motiv.Core.Customers;
using Motiv.Core.Views;

namespace Motiv.Core.Analytics;

/// <summary>What to export: a list (<c>people</c>, <c>organizations</c>) with the filters of the list or a saved view, as CSV or XLSX.</summary>
public sealed record ExportInput(string? Entity, Dictionary<string, string>? Filters, string? Format, bool Raw = false, Guid? SegmentId = null, Guid? ViewId = null);

/// <summary>
/// Exports a list as CSV, streamed page by page through the list's own service (so it obeys access control and the
/// filters exactly as the list does). Cells that a spreadsheet would run as a formula (starting with =, +, -, @, tab or
/// carriage return) are neutralised with a leading apostrophe, as OWASP recommends; the raw export for data migration
/// leaves them as they are and is for administrators only.
/// </summary>
public sealed class ExportService(PersonService people, OrganizationService organizations, Sales.LeadService leads, Sales.DealService deals,
    Sales.ProductService products, Sales.OrderService orders, SegmentService segments,
    Microsoft.EntityFrameworkCore.IDbContextFactory<Data.MotivDbContext> dbFactory, Access.ICurrentUser scope)
{
    public static readonly IReadOnlyList<string> Entities = ["people", "organizations", "leads", "deals", "products", "orders"];

    /// <summary>The filters each list takes (besides cf.* where the list has custom fields), as in its API query string.</summary>
    public static IReadOnlyList<string> FilterNames(string entity) => entity switch
    {
        "people" => PersonQuery.FilterNames,
        "organizations" => OrganizationQuery.FilterNames,
        "leads" => Sales.LeadQuery.FilterNames,
        "deals" => Sales.DealQuery.FilterNames,
        "products" => ["q", "category"],
        "orders" => ["q", "status", "organizationId", "from", "to"],
        _ => [],
    };

    private static readonly Dictionary<string, string> ViewLists = new()
    {
        [Organization.Type] = "organizations", [Person.Type] = "people", [Sales.Lead.Type] = "leads", [Sales.Deal.Type] = "deals",
    };

    public async Task<(string Entity, Dictionary<string, string> Filters, bool Raw, string Format)> ValidateAsync(ExportInput input, CancellationToken ct = default)
    {
        var errors = new FieldErrors();
        var filters = new Dictionary<string, string>(StringComparer.Ordinal);
        string entity;
        if (input.SegmentId is { } segment) entity = await segments.EntityOfAsync(segment, ct);
        else if (input.ViewId is { } viewId)
        {
            // A saved view the user may use: its list and its filters (filters sent along narrow it further).
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var user = scope.Scope.UserId;
            var view = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.FirstOrDefaultAsync(
                db.SavedViews.Where(v => v.Id == viewId && (v.OwnerId == user || v.Shared)), ct) ?? throw new NotFoundException("view", viewId);
            entity = ViewLists.GetValueOrDefault(view.RecordType, "");
            foreach (var f in view.Filters) filters[f.Field] = f.Value;
        }
        else entity = input.Entity?.Trim().ToLowerInvariant() ?? "";
        foreach (var (k, v) in input.Filters ?? []) filters[k] = v;
        if (!Entities.Contains(entity)) errors.Add("entity", Text.Get("Validation.Choice"));
        if (input.Format is not (null or "csv" or "xlsx")) errors.Add("format", Text.Get("Validation.Choice"));
        var allowed = FilterNames(entity);
        var custom = entity is "people" or "organizations" or "leads" or "products";
        foreach (var name in filters.Keys.Where(k => !allowed.Contains(k) && !(custom && k.StartsWith("cf.", StringComparison.Ordinal))))
            errors.Add("filters." + name, Text.Get("Validation.UnknownFilter", name));
        errors.ThrowIfAny();
        if (input.Raw && !scope.Scope.CanAdminister) throw new AccessDeniedException(Text.Get("Access.AdministratorsOnly"));
        return (entity, filters, input.Raw, input.Format ?? "csv");
    }

    /// <summary>The list as CSV or XLSX into <paramref name="output"/>, page by page.</summary>
    public async Task WriteAsync(string entity, Dictionary<string, string> filters, bool raw, string format, Guid? segmentId, Stream output, CancellationToken ct = default)
    {
        var rows = segmentId is { } segment ? SegmentRowsAsync(entity, segment, ct) : RowsAsync(entity, filters, ct);
        if (format == "xlsx") await WriteXlsxAsync(rows, output, ct);
        else await WriteCsvAsync(rows, raw, output, ct);
    }

    /// <summary>The header, then every page of the list (through the list's own service: its filters, its access rules) until it has no next page.</summary>
    public async IAsyncEnumerable<string?[]> RowsAsync(string entity, Dictionary<string, string> filters, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
    {
        static string At(DateTimeOffset d) => d.ToString("O", CultureInfo.InvariantCulture);
        static string Day(DateOnly? d) => d?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "";
        static string Number(decimal d) => d.ToString("0.############", CultureInfo.InvariantCulture);
        var limit = Paging.MaxLimit;
        switch (entity)
        {
            case "people":
                yield return PeopleHeader;
                await foreach (var p in Pages(cursor => people.ListAsync(PersonQuery.FromFilters(filters) with { Cursor = cursor, Limit = limit }, ct)))
                    yield return [p.Id.ToString(), p.FirstName, p.LastName, p.AcademicTitle, p.PrimaryEmail, p.PrimaryPhone, p.City, p.Country, string.Join(' ', p.Tags), At(p.UpdatedAt)];
                break;
            case "organizations":
                yield return OrganizationHeader;
                await foreach (var o in Pages(cursor => organizations.ListAsync(OrganizationQuery.FromFilters(filters) with { Cursor = cursor, Limit = limit }, ct)))
                    yield return [o.Id.ToString(), o.Name, o.Industry, o.PrimaryEmail, o.PrimaryPhone, o.City, o.Country, string.Join(' ', o.Tags), At(o.UpdatedAt)];
                break;
            case "leads":
                yield return ["id", "name", "company", "email", "source", "status", "score", "tags", "createdAt"];
                await foreach (var l in Pages(cursor => leads.ListAsync(Sales.LeadQuery.FromFilters(filters) with { Cursor = cursor, Limit = limit }, ct)))
                    yield return [l.Id.ToString(), l.DisplayName, l.CompanyName, l.Email, ViewFilters.Name(l.Source), ViewFilters.Name(l.Status), l.Score.ToString(CultureInfo.InvariantCulture),
                        string.Join(' ', l.Tags), At(l.CreatedAt)];
                break;
            case "deals":
                yield return ["id", "title", "organization", "amount", "currency", "expectedCloseDate", "probability", "status", "tags", "updatedAt"];
                await foreach (var d in Pages(cursor => deals.ListAsync(Sales.DealQuery.FromFilters(filters) with { Cursor = cursor, Limit = limit }, ct)))
                    yield return [d.Id.ToString(), d.Title, d.OrganizationName, Number(d.Amount), d.Currency, Day(d.ExpectedCloseDate), d.Probability.ToString(CultureInfo.InvariantCulture),
                        ViewFilters.Name(d.Status), string.Join(' ', d.Tags), At(d.UpdatedAt)];
                break;
            case "products":
                yield return ["id", "sku", "nameDe", "nameEn", "category", "unit", "vatRate", "active"];
                await foreach (var p in Pages(cursor => products.ListAsync(new Sales.ProductQuery { Q = filters.GetValueOrDefault("q"), Category = filters.GetValueOrDefault("category"), Cursor = cursor, Limit = limit }
                    .WithCustomFields(ViewFilters.CustomFields(filters)), ct)))
                    yield return [p.Id.ToString(), p.Sku, p.NameDe, p.NameEn, p.Category, p.Unit, Number(p.VatRate), p.IsActive ? "true" : "false"];
                break;
            default:
                yield return ["id", "number", "status", "orderDate", "organization", "currency", "net", "gross", "baseNet"];
                var query = new Sales.OrderQuery
                {
                    Q = filters.GetValueOrDefault("q"), Status = ViewFilters.Enum<Sales.OrderStatus>(filters, "status"), OrganizationId = ViewFilters.Id(filters, "organizationId"),
                    From = filters.TryGetValue("from", out var from) && DateOnly.TryParse(from, CultureInfo.InvariantCulture, out var a) ? a : null,
                    To = filters.TryGetValue("to", out var to) && DateOnly.TryParse(to, CultureInfo.InvariantCulture, out var b) ? b : null, Limit = limit,
                };
                await foreach (var o in Pages(cursor => orders.ListAsync(query with { Cursor = cursor }, ct)))
                    yield return [o.Id.ToString(), o.Number, ViewFilters.Name(o.Status), Day(o.OrderDate), o.OrganizationName, o.Currency, Number(o.Net), Number(o.Gross), Number(o.BaseNet)];
                break;
        }
    }

    /// <summary>A segment's members with the list's columns, 200 at a time.</summary>
    private async IAsyncEnumerable<string?[]> SegmentRowsAsync(string entity, Guid segment, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        static string At(DateTimeOffset d) => d.ToString("O", CultureInfo.InvariantCulture);
        yield return entity == "people" ? PeopleHeader : OrganizationHeader;
        await foreach (var chunk in segments.MemberIdsAsync(segment, ct).Chunk(Paging.MaxLimit).WithCancellation(ct))
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            if (entity == "people")
            {
                foreach (var p in await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ToListAsync(db.People.Where(p => chunk.Contains(p.Id)).OrderBy(p => p.Id), ct))
                    yield return [p.Id.ToString(), p.FirstName, p.LastName, p.AcademicTitle, p.PrimaryEmail, p.PrimaryPhone, p.City, p.Country, string.Join(' ', TagList.FromStored(p.Tags)), At(p.UpdatedAt)];
            }
            else
            {
                foreach (var o in await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ToListAsync(db.Organizations.Where(o => chunk.Contains(o.Id)).OrderBy(o => o.Id), ct))
                    yield return [o.Id.ToString(), o.Name, o.Industry, o.PrimaryEmail, o.PrimaryPhone, o.City, o.Country, string.Join(' ', TagList.FromStored(o.Tags)), At(o.UpdatedAt)];
            }
        }
    }

    private static readonly string[] PeopleHeader = ["id", "firstName", "lastName", "academicTitle", "email", "phone", "city", "country", "tags", "updatedAt"];
    private static readonly string[] OrganizationHeader = ["id", "name", "industry", "email", "phone", "city", "country", "tags", "updatedAt"];

    private static async IAsyncEnumerable<T> Pages<T>(Func<string?, Task<Page<T>>> page)
    {
        string? cursor = null;
        do
        {
            var current = await page(cursor);
            foreach (var item in current.Items) yield return item;
            cursor = current.NextCursor;
        }
        while (cursor is not null);
    }

    /// <summary>CSV: UTF-8 with byte-order mark, CRLF, flushed every 200 rows so memory stays flat.</summary>
    public static async Task WriteCsvAsync(IAsyncEnumerable<string?[]> rows, bool raw, Stream output, CancellationToken ct)
    {
        await using var writer = new StreamWriter(output, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), 64 * 1024, leaveOpen: true) { NewLine = "\r\n" };
        var n = 0;
        await foreach (var row in rows.WithCancellation(ct))
        {
            await writer.WriteLineAsync(string.Join(',', row.Select(v => Csv(v, raw))));
            if (++n % Paging.MaxLimit == 0) await writer.FlushAsync(ct);
        }
    }

    /// <summary>
    /// XLSX: written by MiniExcel row by row into a temporary file (the server does not allow synchronous writes to the
    /// response), then streamed. Every value is a text cell, never a formula, so nothing needs neutralising.
    /// </summary>
    public static async Task WriteXlsxAsync(IAsyncEnumerable<string?[]> rows, Stream output, CancellationToken ct)
    {
        var path = Path.Combine(Path.GetTempPath(), "motiv-export-" + Guid.CreateVersion7().ToString("N") + ".xlsx");
        try
        {
            await Task.Run(() =>
            {
                using var enumerator = rows.ToBlockingEnumerable(ct).GetEnumerator();
                if (!enumerator.MoveNext()) return;
                var header = enumerator.Current;
                IEnumerable<IDictionary<string, object?>> Data()
                {
                    while (enumerator.MoveNext())
                    {
                        var row = new Dictionary<string, object?>(header.Length);
                        for (var i = 0; i < header.Length; i++) row[header[i]!] = i < enumerator.Current.Length ? enumerator.Current[i] : null;
                        yield return row;
                    }
                }
                MiniExcelLibs.MiniExcel.SaveAs(path, Data(), printHeader: true, excelType: MiniExcelLibs.ExcelType.XLSX);
            }, ct);
            await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
            await file.CopyToAsync(output, ct);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>One CSV field (RFC 4180 quoting); a value a spreadsheet would take for a formula gets a leading apostrophe unless raw.</summary>
    public static string Csv(string? value, bool raw = false)
    {
        var v = value ?? "";
        if (!raw && v.Length > 0 && v[0] is '=' or '+' or '-' or '@' or '\t' or '\r') v = "'" + v;
        return v.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + v.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : v;
    }
}
