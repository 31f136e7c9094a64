using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Motiv.Core.Access;
using Motiv.Core.Common;
using Motiv.Core.Customers;
using Motiv.Core.Data;

namespace Motiv.Core.CustomFields;

public sealed record CustomFieldInput
{
    public string? RecordType { get; set; }
    public string? Key { get; set; }
    public string? LabelEn { get; set; }
    public string? LabelDe { get; set; }
    public CustomFieldType? Type { get; set; }
    public List<string>? Options { get; set; }
    public bool? Required { get; set; }
    public int? Position { get; set; }
    public bool? IsActive { get; set; }
}

public sealed record CustomFieldDto(Guid Id, string RecordType, string Key, string LabelEn, string LabelDe, CustomFieldType Type,
    IReadOnlyList<string> Options, bool Required, int Position, bool IsActive);

/// <summary>
/// Custom fields: administrators define them per record type; values are checked against their
/// definition, stored as parts of the record (so access, version and history apply) and can filter lists.
/// </summary>
public sealed partial class CustomFieldService(IDbContextFactory<MotivDbContext> dbFactory, ICurrentUser currentUser, TimeProvider clock)
{
    public static readonly IReadOnlyList<string> RecordTypesWithFields = [Organization.Type, Person.Type, Sales.Product.Type, Sales.Lead.Type, Sales.Deal.Type, Sales.Quote.Type, Sales.Order.Type];

    public async Task<IReadOnlyList<CustomFieldDto>> ListAsync(string? recordType = null, bool activeOnly = false, CancellationToken ct = default)
    {
        if (!currentUser.Scope.IsAuthenticated) throw new AccessDeniedException(Text.Get("Access.SignIn"));
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var q = db.CustomFieldDefinitions.AsNoTracking();
        if (recordType is not null) q = q.Where(f => f.RecordType == recordType);
        if (activeOnly) q = q.Where(f => f.IsActive);
        return (await q.ToListAsync(ct)).OrderBy(f => f.RecordType).ThenBy(f => f.Position).ThenBy(f => f.Key).Select(ToDto).ToList();
    }

    public async Task<CustomFieldDto> SaveAsync(Guid? id, CustomFieldInput input, CancellationToken ct = default)
    {
        if (!currentUser.Scope.CanAdminister) throw new AccessDeniedException(Text.Get("Access.AdministratorsOnly"));
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var field = id is { } existing
            ? await db.CustomFieldDefinitions.FirstOrDefaultAsync(f => f.Id == existing, ct) ?? throw new NotFoundException("customField", existing)
            : db.CustomFieldDefinitions.Add(new CustomFieldDefinition { CreatedAt = clock.GetUtcNow() }).Entity;
        var errors = new FieldErrors();
        if (id is null)
        {
            // Record type, key and type are fixed once values may exist.
            field.RecordType = input.RecordType ?? "";
            if (!RecordTypesWithFields.Contains(field.RecordType)) errors.Add("recordType", Text.Get("Validation.Choice"));
            field.Key = input.Key?.Trim() ?? "";
            if (!KeyPattern().IsMatch(field.Key)) errors.Add("key", Text.Get("Validation.FieldKey"));
            else if (await db.CustomFieldDefinitions.AnyAsync(f => f.RecordType == field.RecordType && f.Key == field.Key, ct)) errors.Add("key", Text.Get("Validation.NameTaken"));
            if (input.Type is not { } type || !Enum.IsDefined(type)) errors.Add("type", Text.Get("Validation.Choice"));
            else field.Type = type;
        }
        else
        {
            if (input.Key is not null && input.Key != field.Key) errors.Add("key", Text.Get("Validation.Fixed"));
            if (input.Type is not null && input.Type != field.Type) errors.Add("type", Text.Get("Validation.Fixed"));
            if (input.RecordType is not null && input.RecordType != field.RecordType) errors.Add("recordType", Text.Get("Validation.Fixed"));
        }
        if (id is null || input.LabelEn is not null) field.LabelEn = errors.Required("labelEn", input.LabelEn, 100);
        if (id is null || input.LabelDe is not null) field.LabelDe = errors.Required("labelDe", input.LabelDe, 100);
        if (input.Options is not null) field.Options = input.Options.Select(o => o.Trim()).Where(o => o.Length > 0).Distinct().ToList();
        if (field.Type is CustomFieldType.Choice or CustomFieldType.MultiChoice && field.Options.Count == 0) errors.Add("options", Text.Get("Validation.Options"));
        if (field.Options.Any(o => o.Length > 100)) errors.Add("options", Text.Get("Validation.MaxLength", 100));
        if (input.Required is { } required) field.Required = required;
        if (input.Position is { } position) field.Position = position;
        if (input.IsActive is { } active) field.IsActive = active;
        errors.ThrowIfAny();
        await db.SaveChangesAsync(ct);
        return ToDto(field);
    }

    [GeneratedRegex("^[a-z][a-zA-Z0-9]{0,49}$")]
    private static partial Regex KeyPattern();

    internal static CustomFieldDto ToDto(CustomFieldDefinition f) =>
        new(f.Id, f.RecordType, f.Key, f.LabelEn, f.LabelDe, f.Type, f.Options, f.Required, f.Position, f.IsActive);

    /// <summary>
    /// Replaces the record's values of the fields named in <paramref name="input"/> (null leaves all as they are;
    /// a JSON null clears one). On a new record every required field must be given.
    /// </summary>
    internal static async Task ApplyAsync(MotivDbContext db, FieldErrors errors, Record record, Dictionary<string, JsonElement>? input, bool isNew, CancellationToken ct)
    {
        var definitions = await db.ActiveFieldsAsync(record.RecordType, ct);
        input ??= [];
        foreach (var missing in definitions.Where(d => d.Required && (isNew || input.ContainsKey(d.Key))
                     && (!input.TryGetValue(d.Key, out var v) || v.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined
                         || (v.ValueKind == JsonValueKind.String && v.GetString()!.Trim().Length == 0) || (v.ValueKind == JsonValueKind.Array && v.GetArrayLength() == 0))))
            errors.Add("customFields." + missing.Key, Text.Get("Validation.Required"));
        if (input.Count == 0) return;

        var existing = isNew ? [] : await db.CustomFieldValues.Where(v => v.RecordId == record.Id).ToListAsync(ct);
        foreach (var (key, value) in input)
        {
            var field = "customFields." + key;
            var definition = definitions.FirstOrDefault(d => d.Key == key);
            if (definition is null) { errors.Add(field, Text.Get("Validation.UnknownField")); continue; }
            var rows = Parse(errors, field, definition, value);
            foreach (var row in rows)
            {
                row.RecordId = record.Id;
                row.FieldId = definition.Id;
                row.FieldKey = definition.Key;
            }
            var current = existing.Where(v => v.FieldId == definition.Id).ToList();
            // Keep rows whose value did not change, so the history lists only real changes.
            foreach (var old in current.Where(o => !rows.Any(n => Same(o, n)))) db.CustomFieldValues.Remove(old);
            db.CustomFieldValues.AddRange(rows.Where(n => !current.Any(o => Same(o, n))));
        }
    }

    private static bool Same(CustomFieldValue a, CustomFieldValue b) =>
        a.Text == b.Text && a.Number == b.Number && a.Date == b.Date && a.Bool == b.Bool && a.Currency == b.Currency;

    private static List<CustomFieldValue> Parse(FieldErrors errors, string field, CustomFieldDefinition d, JsonElement value)
    {
        if (value.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined) return [];
        try
        {
            switch (d.Type)
            {
                case CustomFieldType.Text:
                    var text = errors.Optional(field, value.GetString(), 1000);
                    return text is null ? [] : [new CustomFieldValue { Text = text }];
                case CustomFieldType.Url:
                    var url = errors.Url(field, value.GetString());
                    return url is null ? [] : [new CustomFieldValue { Text = url }];
                case CustomFieldType.Number:
                    return [new CustomFieldValue { Number = value.ValueKind == JsonValueKind.String ? decimal.Parse(value.GetString()!, NumberStyles.Number, CultureInfo.InvariantCulture) : value.GetDecimal() }];
                case CustomFieldType.Date:
                    return [new CustomFieldValue { Date = DateOnly.ParseExact(value.GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture) }];
                case CustomFieldType.YesNo:
                    return [new CustomFieldValue { Bool = value.GetBoolean() }];
                case CustomFieldType.Choice:
                    var choice = value.GetString();
                    if (choice is null || !d.Options.Contains(choice)) { errors.Add(field, Text.Get("Validation.Choice")); return []; }
                    return [new CustomFieldValue { Text = choice }];
                case CustomFieldType.MultiChoice:
                    var chosen = value.EnumerateArray().Select(e => e.GetString()).Distinct().ToList();
                    if (chosen.Any(c => c is null || !d.Options.Contains(c))) { errors.Add(field, Text.Get("Validation.Choice")); return []; }
                    return chosen.Select(c => new CustomFieldValue { Text = c }).ToList();
                case CustomFieldType.Money:
                    var amount = value.GetProperty("amount").GetDecimal();
                    var currency = value.TryGetProperty("currency", out var c) ? c.GetString()?.Trim().ToUpperInvariant() : "EUR";
                    if (currency is null || !CurrencyPattern().IsMatch(currency)) { errors.Add(field, Text.Get("Validation.Currency")); return []; }
                    return [new CustomFieldValue { Number = decimal.Round(amount, 4), Currency = currency }];
            }
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or OverflowException or KeyNotFoundException or ArgumentNullException)
        {
            errors.Add(field, Text.Get("Validation.FieldType", Text.Get("FieldType." + d.Type)));
        }
        return [];
    }

    [GeneratedRegex("^[A-Z]{3}$")]
    private static partial Regex CurrencyPattern();

    /// <summary>The values of the records, as the API shows them: { key: value } per record.</summary>
    internal static async Task<Dictionary<Guid, Dictionary<string, object?>>> ValuesAsync(MotivDbContext db, IReadOnlyCollection<Guid> recordIds, CancellationToken ct)
    {
        var rows = await db.CustomFieldValues.AsNoTracking().Where(v => recordIds.Contains(v.RecordId))
            .Join(db.CustomFieldDefinitions, v => v.FieldId, d => d.Id, (v, d) => new { v, d.Type, d.IsActive }).ToListAsync(ct);
        return rows.Where(r => r.IsActive).GroupBy(r => r.v.RecordId).ToDictionary(g => g.Key, g => g.GroupBy(r => r.v.FieldKey).ToDictionary(f => f.Key, f =>
        {
            var first = f.First().v;
            return f.First().Type switch
            {
                CustomFieldType.Text or CustomFieldType.Url or CustomFieldType.Choice => first.Text,
                CustomFieldType.MultiChoice => f.Select(x => x.v.Text).Order(StringComparer.Ordinal).ToArray(),
                CustomFieldType.Number => first.Number,
                CustomFieldType.Date => first.Date,
                CustomFieldType.YesNo => first.Bool,
                CustomFieldType.Money => new Money(first.Number ?? 0, first.Currency ?? "EUR"),
                _ => (object?)null,
            };
        }));
    }

    /// <summary>Turns the API form of values back into input (for a merge patch).</summary>
    public static Dictionary<string, JsonElement> ToInput(IReadOnlyDictionary<string, object?> values) =>
        values.ToDictionary(v => v.Key, v => JsonSerializer.SerializeToElement(v.Value, JsonColumn.Options));

    /// <summary>
    /// Narrows a list to records whose custom field matches: equality for choices, yes/no and numbers,
    /// "from..to" ranges for numbers and dates, "contains" for text. Unknown fields are a 400.
    /// </summary>
    internal static async Task<IQueryable<T>> FilterAsync<T>(MotivDbContext db, IQueryable<T> query, string recordType, IReadOnlyDictionary<string, string>? filters, CancellationToken ct) where T : Record
    {
        if (filters is null || filters.Count == 0) return query;
        var definitions = await db.CustomFieldDefinitions.Where(f => f.RecordType == recordType).ToListAsync(ct);
        foreach (var (key, raw) in filters)
        {
            var d = definitions.FirstOrDefault(f => f.Key == key) ?? throw ValidationException.ForQuery("cf." + key, Text.Get("Validation.UnknownField"));
            var id = d.Id;
            var values = db.CustomFieldValues.Where(v => v.FieldId == id);
            var (from, to) = Range(raw);
            try
            {
                switch (d.Type)
                {
                    case CustomFieldType.Text or CustomFieldType.Url:
                        var needle = raw.ToLower();
                        values = values.Where(v => v.Text != null && v.Text.ToLower().Contains(needle));
                        break;
                    case CustomFieldType.Choice or CustomFieldType.MultiChoice:
                        values = values.Where(v => v.Text == raw);
                        break;
                    case CustomFieldType.YesNo:
                        var yes = bool.Parse(raw);
                        values = values.Where(v => v.Bool == yes);
                        break;
                    case CustomFieldType.Number or CustomFieldType.Money:
                        decimal? min = from is null ? null : decimal.Parse(from, CultureInfo.InvariantCulture), max = to is null ? null : decimal.Parse(to, CultureInfo.InvariantCulture);
                        values = values.Where(v => (min == null || v.Number >= min) && (max == null || v.Number <= max));
                        break;
                    case CustomFieldType.Date:
                        DateOnly? first = from is null ? null : DateOnly.ParseExact(from, "yyyy-MM-dd", CultureInfo.InvariantCulture), last = to is null ? null : DateOnly.ParseExact(to, "yyyy-MM-dd", CultureInfo.InvariantCulture);
                        values = values.Where(v => (first == null || v.Date >= first) && (last == null || v.Date <= last));
                        break;
                }
            }
            catch (Exception e) when (e is FormatException or OverflowException)
            {
                throw ValidationException.ForQuery("cf." + key, Text.Get("Validation.FieldType", Text.Get("FieldType." + d.Type)));
            }
            query = query.Where(r => values.Any(v => v.RecordId == r.Id));
        }
        return query;
    }

    /// <summary>"10..20" → (10, 20); "10.." → (10, null); "15" → (15, 15).</summary>
    private static (string? From, string? To) Range(string raw)
    {
        var i = raw.IndexOf("..", StringComparison.Ordinal);
        if (i < 0) return (raw.Trim(), raw.Trim());
        var from = raw[..i].Trim();
        var to = raw[(i + 2)..].Trim();
        return (from.Length == 0 ? null : from, to.Length == 0 ? null : to);
    }
}
