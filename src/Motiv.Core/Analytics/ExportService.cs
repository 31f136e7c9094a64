using System.Globalization;
using System.Text;
using Motiv.Core.Common;
using Motiv.Core.Customers;

namespace Motiv.Core.Analytics;

/// <summary>What to export: a list (<c>people</c>, <c>organizations</c>) with the filters of the list or a saved view, as CSV or XLSX.</summary>
public sealed record ExportInput(string? Entity, Dictionary<string, string>? Filters, string? Format, bool Raw = false, Guid? SegmentId = null);

/// <summary>
/// Exports a list as CSV, streamed page by page through the list's own service (so it obeys access control and the
/// filters exactly as the list does). Cells that a spreadsheet would run as a formula (starting with =, +, -, @, tab or
/// carriage return) are neutralised with a leading apostrophe, as OWASP recommends; the raw export for data migration
/// leaves them as they are and is for administrators only.
/// </summary>
public sealed class ExportService(PersonService people, OrganizationService organizations, SegmentService segments,
    Microsoft.EntityFrameworkCore.IDbContextFactory<Data.MotivDbContext> dbFactory, Access.ICurrentUser scope)
{
    public static readonly IReadOnlyList<string> Entities = ["people", "organizations"];

    public async Task<(string Entity, Dictionary<string, string> Filters, bool Raw, string Format)> ValidateAsync(ExportInput input, CancellationToken ct = default)
    {
        var errors = new FieldErrors();
        // A segment's members: the list is the segment's.
        var entity = input.SegmentId is { } segment ? await segments.EntityOfAsync(segment, ct) : input.Entity?.Trim().ToLowerInvariant() ?? "";
        if (!Entities.Contains(entity)) errors.Add("entity", Text.Get("Validation.Choice"));
        if (input.Format is not (null or "csv" or "xlsx")) errors.Add("format", Text.Get("Validation.Choice"));
        var allowed = entity == "people" ? PersonQuery.FilterNames : OrganizationQuery.FilterNames;
        foreach (var name in (input.Filters ?? []).Keys.Where(k => !allowed.Contains(k) && !k.StartsWith("cf.", StringComparison.Ordinal)))
            errors.Add("filters." + name, Text.Get("Validation.UnknownFilter", name));
        errors.ThrowIfAny();
        if (input.Raw && !scope.Scope.CanAdminister) throw new AccessDeniedException(Text.Get("Access.AdministratorsOnly"));
        return (entity, input.Filters ?? [], input.Raw, input.Format ?? "csv");
    }

    /// <summary>The list as CSV or XLSX into <paramref name="output"/>, page by page.</summary>
    public async Task WriteAsync(string entity, Dictionary<string, string> filters, bool raw, string format, Guid? segmentId, Stream output, CancellationToken ct = default)
    {
        var rows = segmentId is { } segment ? SegmentRowsAsync(entity, segment, ct) : RowsAsync(entity, filters, ct);
        if (format == "xlsx") await WriteXlsxAsync(rows, output, ct);
        else await WriteCsvAsync(rows, raw, output, ct);
    }

    /// <summary>The header, then every page of the list until it has no next page.</summary>
    public async IAsyncEnumerable<string?[]> RowsAsync(string entity, Dictionary<string, string> filters, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
    {
        static string At(DateTimeOffset d) => d.ToString("O", CultureInfo.InvariantCulture);
        if (entity == "people")
        {
            yield return PeopleHeader;
            await foreach (var p in Pages(cursor => people.ListAsync(PersonQuery.FromFilters(filters) with { Cursor = cursor, Limit = Paging.MaxLimit }, ct)))
                yield return [p.Id.ToString(), p.FirstName, p.LastName, p.AcademicTitle, p.PrimaryEmail, p.PrimaryPhone, p.City, p.Country, string.Join(' ', p.Tags), At(p.UpdatedAt)];
        }
        else
        {
            yield return OrganizationHeader;
            await foreach (var o in Pages(cursor => organizations.ListAsync(OrganizationQuery.FromFilters(filters) with { Cursor = cursor, Limit = Paging.MaxLimit }, ct)))
                yield return [o.Id.ToString(), o.Name, o.Industry, o.PrimaryEmail, o.PrimaryPhone, o.City, o.Country, string.Join(' ', o.Tags), At(o.UpdatedAt)];
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
