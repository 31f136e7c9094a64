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
        string Cell(string? value) => Csv(value, raw);
        if (entity == "people")
        {
            await writer.WriteLineAsync(string.Join(',', new[] { "id", "firstName", "lastName", "academicTitle", "email", "phone", "city", "country", "tags", "updatedAt" }));
            string? cursor = null;
            do
            {
                var query = PersonQuery.FromFilters(filters);
                query.Cursor = cursor;
                query.Limit = Paging.MaxLimit;
                var page = await people.ListAsync(query, ct);
                foreach (var p in page.Items)
                {
                    await writer.WriteLineAsync(string.Join(',', Cell(p.Id.ToString()), Cell(p.FirstName), Cell(p.LastName), Cell(p.AcademicTitle), Cell(p.PrimaryEmail),
                        Cell(p.PrimaryPhone), Cell(p.City), Cell(p.Country), Cell(string.Join(' ', p.Tags)), Cell(p.UpdatedAt.ToString("O", CultureInfo.InvariantCulture))));
                }
                cursor = page.NextCursor;
                await writer.FlushAsync(ct);
            }
            while (cursor is not null);
            return;
        }
        await writer.WriteLineAsync(string.Join(',', new[] { "id", "name", "industry", "email", "phone", "city", "country", "tags", "updatedAt" }));
        string? next = null;
        do
        {
            var query = OrganizationQuery.FromFilters(filters);
            query.Cursor = next;
            query.Limit = Paging.MaxLimit;
            var page = await organizations.ListAsync(query, ct);
            foreach (var o in page.Items)
            {
                await writer.WriteLineAsync(string.Join(',', Cell(o.Id.ToString()), Cell(o.Name), Cell(o.Industry), Cell(o.PrimaryEmail), Cell(o.PrimaryPhone), Cell(o.City),
                    Cell(o.Country), Cell(string.Join(' ', o.Tags)), Cell(o.UpdatedAt.ToString("O", CultureInfo.InvariantCulture))));
            }
            next = page.NextCursor;
            await writer.FlushAsync(ct);
        }
        while (next is not null);
    }

    /// <summary>One CSV field (RFC 4180 quoting); a value a spreadsheet would take for a formula gets a leading apostrophe unless raw.</summary>
    public static string Csv(string? value, bool raw = false)
    {
        var v = value ?? "";
        if (!raw && v.Length > 0 && v[0] is '=' or '+' or '-' or '@' or '\t' or '\r') v = "'" + v;
        return v.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + v.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : v;
    }
}
