using System.Linq.Expressions;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Query;

namespace Motiv.Core.Common;

public sealed record Page<T>(IReadOnlyList<T> Items, string? NextCursor, int Total);

/// <summary>
/// The sort fields a list allows, by their API name. Anything else is refused, so a sort name never
/// reaches SQL; each key is ordered together with the id, which makes keyset paging exact.
/// </summary>
public sealed class SortFields<T>(string defaultSort) where T : Record
{
    private readonly Dictionary<string, LambdaExpression> _fields = new(StringComparer.Ordinal);

    public string Default { get; } = defaultSort;

    public IReadOnlyCollection<string> Names => _fields.Keys;

    public SortFields<T> Add<TKey>(string name, Expression<Func<T, TKey>> key)
    {
        _fields[name] = key;
        return this;
    }

    internal LambdaExpression? Find(string name) => _fields.GetValueOrDefault(name);
}

/// <summary>Keyset (cursor) paging: the next page starts after the last row's sort key and id, so paging never skips or repeats a row.</summary>
public static class Paging
{
    public const int MaxLimit = 200;

    public static async Task<Page<TOut>> PageAsync<T, TOut>(IQueryable<T> query, SortFields<T> fields, string? sort, string? cursor, int? limit,
        Expression<Func<T, TOut>> projection, CancellationToken ct) where T : Record
    {
        var take = limit ?? 50;
        if (take is < 1 or > MaxLimit) throw ValidationException.ForQuery("limit", Text.Get("Validation.Range", 1, MaxLimit));
        sort = string.IsNullOrWhiteSpace(sort) ? fields.Default : sort.Trim();
        var descending = sort.StartsWith('-');
        var name = sort.TrimStart('-');
        var key = fields.Find(name) ?? throw ValidationException.ForQuery("sort", Text.Get("Validation.UnknownSort", name, string.Join(", ", fields.Names)));

        var total = await query.CountAsync(ct);
        var core = typeof(Paging).GetMethod(nameof(PageCoreAsync), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
            .MakeGenericMethod(typeof(T), key.ReturnType, typeof(TOut));
        var (items, next) = await (Task<(List<TOut>, string?)>)core.Invoke(null, [query, key, descending, sort, cursor, take, projection, ct])!;
        return new Page<TOut>(items, next, total);
    }

    private static async Task<(List<TOut>, string?)> PageCoreAsync<T, TKey, TOut>(IQueryable<T> query, Expression<Func<T, TKey>> key, bool descending,
        string sort, string? cursor, int take, Expression<Func<T, TOut>> projection, CancellationToken ct) where T : Record
    {
        var x = key.Parameters[0];
        var row = Expression.Lambda<Func<T, Row<TOut, TKey>>>(
            Expression.New(typeof(Row<TOut, TKey>).GetConstructors()[0],
                ReplacingExpressionVisitor.Replace(projection.Parameters[0], x, projection.Body),
                key.Body,
                Expression.Property(x, nameof(Record.Id))),
            x);
        var rows = await Apply(query, key, descending, sort, cursor).Select(row).Take(take + 1).ToListAsync(ct);
        var next = rows.Count > take ? EncodeCursor(sort, rows[take - 1].Key, rows[take - 1].Id) : null;
        return (rows.Take(take).Select(r => r.Item).ToList(), next);
    }

    private sealed record Row<TOut, TKey>(TOut Item, TKey Key, Guid Id);

    private static IQueryable<T> Apply<T, TKey>(IQueryable<T> query, Expression<Func<T, TKey>> key, bool descending, string sort, string? cursor) where T : Record
    {
        if (cursor is not null)
        {
            var (value, id) = DecodeCursor<TKey>(cursor, sort);
            var x = key.Parameters[0];
            var keyBody = key.Body;
            var holder = Expression.Property(Expression.Constant(new Box<TKey>(value)), nameof(Box<TKey>.Value));
            var idHolder = Expression.Property(Expression.Constant(new Box<Guid>(id)), nameof(Box<Guid>.Value));
            var idExpr = Expression.Property(x, nameof(Record.Id));
            var keyCmp = Compare(keyBody, holder);
            var idCmp = Compare(idExpr, idHolder);
            var zero = Expression.Constant(0);
            Expression after = descending
                ? Expression.OrElse(Expression.LessThan(keyCmp, zero), Expression.AndAlso(Expression.Equal(keyCmp, zero), Expression.LessThan(idCmp, zero)))
                : Expression.OrElse(Expression.GreaterThan(keyCmp, zero), Expression.AndAlso(Expression.Equal(keyCmp, zero), Expression.GreaterThan(idCmp, zero)));
            query = query.Where(Expression.Lambda<Func<T, bool>>(after, x));
        }
        return descending
            ? query.OrderByDescending(key).ThenByDescending(r => r.Id)
            : query.OrderBy(key).ThenBy(r => r.Id);
    }

    /// <summary>a.CompareTo(b) (string.Compare for strings): EF turns "compare op 0" into "a op b" in SQL.</summary>
    private static MethodCallExpression Compare(Expression a, Expression b) =>
        a.Type == typeof(string)
            ? Expression.Call(typeof(string).GetMethod(nameof(string.Compare), [typeof(string), typeof(string)])!, a, b)
            : Expression.Call(a, a.Type.GetMethod(nameof(IComparable.CompareTo), [a.Type])!, b);

    private sealed class Box<TValue>(TValue value)
    {
        public TValue Value { get; } = value;
    }

    internal static string EncodeCursor(string sort, object? key, Guid id) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new CursorData(sort, JsonSerializer.SerializeToElement(key), id))))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static (TKey Value, Guid Id) DecodeCursor<TKey>(string cursor, string sort)
    {
        try
        {
            var b64 = cursor.Replace('-', '+').Replace('_', '/');
            b64 = b64.PadRight(b64.Length + (4 - b64.Length % 4) % 4, '=');
            var data = JsonSerializer.Deserialize<CursorData>(Convert.FromBase64String(b64))!;
            if (data.Sort != sort) throw ValidationException.ForQuery("cursor", Text.Get("Validation.CursorSort"));
            return (data.Key.Deserialize<TKey>()!, data.Id);
        }
        catch (Exception e) when (e is FormatException or JsonException or ArgumentException or NullReferenceException or InvalidOperationException)
        {
            throw ValidationException.ForQuery("cursor", Text.Get("Validation.Cursor"));
        }
    }

    private sealed record CursorData(string Sort, JsonElement Key, Guid Id);
}
