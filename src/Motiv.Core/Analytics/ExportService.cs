using System.Globalization;
using System.Text;
using Motiv.Core.Common;
using Motiv.Core.Customers;

namespace Motiv.Core.Analytics;

/// <summary>What to export: a list (<c>people</c>, <c>organizations</c>) with the filters of the list or a saved view, as CSV.</summary>
public sealed record ExportInput(string? Entity, Dictionary<string, string>? Filters, string? Format, bool Raw = false);

/// <summary>
/// Exports a list as CSV, streamed page by page through the list's own service (so it obeys access control and the
/// filters exactly as the list does). Cells that a spreadsheet would run as a formula (starting with =, +, -, @, tab or
/// carriage return) are neutralised with a leading apostrophe, as OWASP recommends; the raw export for data migration
/// leaves them as they are and is for administrators only.
/// </summary>
public sealed class ExportService(PersonService people, OrganizationService organizations, Access.ICurrentUser scope)
{
    public static readonly IReadOnlyList<string> Entities = ["people", "organizations"];

    public (string Entity, Dictionary<string, string> Filters, bool Raw) Validate(ExportInput input)
    {
        var errors = new FieldErrors();
        var entity = input.Entity?.Trim().ToLowerInvariant() ?? "";
        if (!Entities.Contains(entity)) errors.Add("entity", Text.Get("Validation.Choice"));
        if (input.Format is not (null or "csv")) errors.Add("format", Text.Get("Validation.Choice"));
        var allowed = entity == "people" ? PersonQuery.FilterNames : OrganizationQuery.FilterNames;
        foreach (var name in (input.Filters ?? []).Keys.Where(k => !allowed.Contains(k) && !k.StartsWith("cf.", StringComparison.Ordinal)))
            errors.Add("filters." + name, Text.Get("Validation.UnknownFilter", name));
        errors.ThrowIfAny();
        if (input.Raw && !scope.Scope.CanAdminister) throw new AccessDeniedException(Text.Get("Access.AdministratorsOnly"));
        return (entity, input.Filters ?? [], input.Raw);
    }

    public async Task WriteCsvAsync(string entity, Dictionary<string, string> filters, bool raw, Stream output, CancellationToken ct = default)
    {
        await using var writer = new StreamWriter(output, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), 64 * 1024, leaveOpen: true) { NewLine = "\r\n" };
        static string At(DateTimeOffset d) => d.ToString("O", CultureInfo.InvariantCulture);
        if (entity == "people")
        {
            await WriteAsync(writer, raw, ["id", "firstName", "lastName", "academicTitle", "email", "phone", "city", "country", "tags", "updatedAt"],
                cursor => people.ListAsync(PersonQuery.FromFilters(filters) with { Cursor = cursor, Limit = Paging.MaxLimit }, ct),
                p => [p.Id.ToString(), p.FirstName, p.LastName, p.AcademicTitle, p.PrimaryEmail, p.PrimaryPhone, p.City, p.Country, string.Join(' ', p.Tags), At(p.UpdatedAt)], ct);
        }
        else
        {
            await WriteAsync(writer, raw, ["id", "name", "industry", "email", "phone", "city", "country", "tags", "updatedAt"],
                cursor => organizations.ListAsync(OrganizationQuery.FromFilters(filters) with { Cursor = cursor, Limit = Paging.MaxLimit }, ct),
                o => [o.Id.ToString(), o.Name, o.Industry, o.PrimaryEmail, o.PrimaryPhone, o.City, o.Country, string.Join(' ', o.Tags), At(o.UpdatedAt)], ct);
        }
    }

    /// <summary>The header, then every page of the list until it has no next page; flushed per page, so memory stays flat.</summary>
    private static async Task WriteAsync<T>(StreamWriter writer, bool raw, string[] header, Func<string?, Task<Page<T>>> page, Func<T, string?[]> row, CancellationToken ct)
    {
        await writer.WriteLineAsync(string.Join(',', header));
        string? cursor = null;
        do
        {
            var current = await page(cursor);
            foreach (var item in current.Items) await writer.WriteLineAsync(string.Join(',', row(item).Select(v => Csv(v, raw))));
            await writer.FlushAsync(ct);
            cursor = current.NextCursor;
        }
        while (cursor is not null);
    }

    /// <summary>One CSV field (RFC 4180 quoting); a value a spreadsheet would take for a formula gets a leading apostrophe unless raw.</summary>
    public static string Csv(string? value, bool raw = false)
    {
        var v = value ?? "";
        if (!raw && v.Length > 0 && v[0] is '=' or '+' or '-' or '@' or '\t' or '\r') v = "'" + v;
        return v.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + v.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : v;
    }
}
