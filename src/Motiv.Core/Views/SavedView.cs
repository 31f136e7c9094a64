using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Motiv.Core.Access;
using Motiv.Core.Common;
using Motiv.Core.Customers;
using Motiv.Core.Data;

namespace Motiv.Core.Views;

public sealed record ViewFilter(string Field, string Value);

/// <summary>A list's filters, sort and columns saved under a name, for its owner or shared with everyone.</summary>
public sealed class SavedView
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public string RecordType { get; set; } = "";
    public string Name { get; set; } = "";
    public Guid OwnerId { get; set; }
    public bool Shared { get; set; }
    public List<ViewFilter> Filters { get; set; } = [];
    public string? Sort { get; set; }
    public List<string> Columns { get; set; } = [];
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

public sealed record ViewInput
{
    public string? RecordType { get; set; }
    public string? Name { get; set; }
    public bool? Shared { get; set; }
    public Dictionary<string, string>? Filters { get; set; }
    public string? Sort { get; set; }
    public List<string>? Columns { get; set; }
}

public sealed record ViewDto(Guid Id, string RecordType, string Name, Guid OwnerId, bool Shared, IReadOnlyDictionary<string, string> Filters,
    string? Sort, IReadOnlyList<string> Columns, DateTimeOffset UpdatedAt);

/// <summary>Helpers that turn list queries into saved-view filters and back.</summary>
public static class ViewFilters
{
    public static Dictionary<string, string> Build(params object?[] parts)
    {
        var d = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var part in parts)
        {
            switch (part)
            {
                case ValueTuple<string, string?> (var key, { Length: > 0 } value) when !string.IsNullOrWhiteSpace(value): d[key] = value.Trim(); break;
                case IReadOnlyDictionary<string, string> custom: foreach (var (k, v) in custom) d["cf." + k] = v; break;
            }
        }
        return d;
    }

    public static string Name<T>(T value) where T : struct, System.Enum => JsonNamingPolicy.CamelCase.ConvertName(value.ToString());

    public static T? Enum<T>(IReadOnlyDictionary<string, string> f, string key) where T : struct, System.Enum =>
        f.TryGetValue(key, out var v) && System.Enum.TryParse<T>(v, ignoreCase: true, out var parsed) ? parsed : null;

    public static Guid? Id(IReadOnlyDictionary<string, string> f, string key) => f.TryGetValue(key, out var v) && Guid.TryParse(v, out var id) ? id : null;

    public static IReadOnlyDictionary<string, string>? CustomFields(IReadOnlyDictionary<string, string> f)
    {
        var custom = f.Where(x => x.Key.StartsWith("cf.", StringComparison.Ordinal)).ToDictionary(x => x.Key[3..], x => x.Value, StringComparer.Ordinal);
        return custom.Count == 0 ? null : custom;
    }
}

/// <summary>Saved views: everyone sees their own and the shared ones; only the owner (or an administrator) changes one.</summary>
public sealed class ViewService(IDbContextFactory<MotivDbContext> dbFactory, ICurrentUser currentUser, TimeProvider clock)
{
    /// <summary>Per record type: the filters, sort fields and columns a view may name.</summary>
    public static readonly IReadOnlyDictionary<string, (IReadOnlyList<string> Filters, IReadOnlyCollection<string> Sorts, IReadOnlyList<string> Columns)> Allowed =
        new Dictionary<string, (IReadOnlyList<string>, IReadOnlyCollection<string>, IReadOnlyList<string>)>
        {
            [Organization.Type] = (OrganizationQuery.FilterNames, OrganizationService.Sorts.Names,
                ["name", "roles", "industry", "city", "country", "email", "phone", "tags", "updatedAt"]),
            [Person.Type] = (PersonQuery.FilterNames, PersonService.Sorts.Names,
                ["lastName", "firstName", "academicTitle", "email", "phone", "city", "tags", "updatedAt"]),
            [Sales.Deal.Type] = (Sales.DealQuery.FilterNames, Sales.DealService.Sorts.Names, []),
            [Sales.Lead.Type] = (Sales.LeadQuery.FilterNames, Sales.LeadService.Sorts.Names, []),
        };

    private AccessScope Scope => currentUser.Scope;

    public async Task<IReadOnlyList<ViewDto>> ListAsync(string? recordType, CancellationToken ct = default)
    {
        if (!Scope.IsAuthenticated) throw new AccessDeniedException(Text.Get("Access.SignIn"));
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var me = Scope.UserId;
        var q = db.SavedViews.AsNoTracking().Where(v => v.OwnerId == me || v.Shared);
        if (recordType is not null) q = q.Where(v => v.RecordType == recordType);
        return (await q.ToListAsync(ct)).OrderBy(v => v.Name, StringComparer.CurrentCultureIgnoreCase).Select(ToDto).ToList();
    }

    public async Task<ViewDto> SaveAsync(Guid? id, ViewInput input, CancellationToken ct = default)
    {
        if (!Scope.IsAuthenticated) throw new AccessDeniedException(Text.Get("Access.SignIn"));
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow();
        SavedView view;
        if (id is { } existing)
        {
            var me = Scope.UserId;
            view = await db.SavedViews.FirstOrDefaultAsync(v => v.Id == existing && (v.OwnerId == me || v.Shared), ct) ?? throw new NotFoundException("view", existing);
            if (view.OwnerId != me && !Scope.CanAdminister) throw new AccessDeniedException(Text.Get("Access.CannotChange"));
        }
        else
        {
            view = db.SavedViews.Add(new SavedView { OwnerId = Scope.UserId, CreatedAt = now, RecordType = input.RecordType ?? "" }).Entity;
        }
        var errors = new FieldErrors();
        if (!Allowed.TryGetValue(view.RecordType, out var allowed))
        {
            errors.Add("recordType", Text.Get("Validation.Choice"));
            errors.ThrowIfAny();
        }
        if (id is null || input.Name is not null) view.Name = errors.Required("name", input.Name, 100);
        if (input.Shared is { } shared) view.Shared = shared;
        if (input.Filters is not null)
        {
            foreach (var key in input.Filters.Keys.Where(k => !allowed.Filters.Contains(k) && !k.StartsWith("cf.", StringComparison.Ordinal)))
                errors.Add("filters." + key, Text.Get("Validation.UnknownField"));
            view.Filters = input.Filters.Where(f => !string.IsNullOrWhiteSpace(f.Value)).Select(f => new ViewFilter(f.Key, f.Value.Trim())).ToList();
        }
        if (input.Sort is not null)
        {
            if (input.Sort.Length > 0 && !allowed.Sorts.Contains(input.Sort.TrimStart('-'))) errors.Add("sort", Text.Get("Validation.UnknownSort", input.Sort, string.Join(", ", allowed.Sorts)));
            view.Sort = input.Sort.Length == 0 ? null : input.Sort;
        }
        if (input.Columns is not null)
        {
            foreach (var c in input.Columns.Where(c => !allowed.Columns.Contains(c))) errors.Add("columns", Text.Get("Validation.UnknownColumn", c));
            view.Columns = input.Columns.Distinct().ToList();
        }
        errors.ThrowIfAny();
        view.UpdatedAt = now;
        await db.SaveChangesAsync(ct);
        return ToDto(view);
    }

    public async Task DeleteAsync(Guid id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var me = Scope.UserId;
        var view = await db.SavedViews.FirstOrDefaultAsync(v => v.Id == id && (v.OwnerId == me || v.Shared), ct) ?? throw new NotFoundException("view", id);
        if (view.OwnerId != me && !Scope.CanAdminister) throw new AccessDeniedException(Text.Get("Access.CannotChange"));
        db.SavedViews.Remove(view);
        await db.SaveChangesAsync(ct);
    }

    private static ViewDto ToDto(SavedView v) =>
        new(v.Id, v.RecordType, v.Name, v.OwnerId, v.Shared, v.Filters.ToDictionary(f => f.Field, f => f.Value), v.Sort, v.Columns, v.UpdatedAt);
}
