using System.Linq.Expressions;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Query;

namespace Motiv.Core.Common;

/// <summary>A page of rows. <see cref="Total"/> is exact when <see cref="TotalExact"/>; otherwise there are more than that many (see <see cref="Paging.CountLimit"/>).</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string? NextCursor, int Total, bool TotalExact = true);

/// <summary>
/// The sort fields a list allows, by their API name. Anything else is refused, so a sort name never
/// reaches SQL; each key is ordered together with the id, which makes keyset paging exact.
/// </summary>
public sealed class SortFields<T>(string defaultSort) where T : class
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

/// <summary>Keyset (cursor) paging over records, or over any row with a Guid <c>Id</c> (the tie-breaker): the next page starts after the last row's sort key and id, so paging never skips or repeats a row.</summary>
public static class Paging
{
    public const int MaxLimit = 200;

    /// <summary>
    /// Lists count at most this many rows past the page's start: counting every match of a filter over a million records
    /// (each checked against the access rules) costs more than the page itself. Beyond it the total is a lower bound.
    /// </summary>
    public const int CountLimit = 2_000;

    /// <summary>Timelines (activity streams, read page by page with "more") count less far.</summary>
    public const int TimelineCountLimit = 200;

    public static async Task<Page<TOut>> PageAsync<T, TOut>(IQueryable<T> query, SortFields<T> fields, string? sort, string? cursor, int? limit,
        Expression<Func<T, TOut>> projection, CancellationToken ct, int countLimit = CountLimit) where T : class
    {
        var take = limit ?? 50;
        if (take is < 1 or > MaxLimit) throw ValidationException.ForQuery("limit", Text.Get("Validation.Range", 1, MaxLimit));
        sort = string.IsNullOrWhiteSpace(sort) ? fields.Default : sort.Trim();
        var descending = sort.StartsWith('-');
        var name = sort.TrimStart('-');
        var key = fields.Find(name) ?? throw ValidationException.ForQuery("sort", Text.Get("Validation.UnknownSort", name, string.Join(", ", fields.Names)));

        var core = typeof(Paging).GetMethod(nameof(PageCoreAsync), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
            .MakeGenericMethod(typeof(T), key.ReturnType, typeof(TOut));
        return await (Task<Page<TOut>>)core.Invoke(null, [query, key, descending, sort, cursor, take, projection, countLimit, ct])!;
    }

    private static async Task<Page<TOut>> PageCoreAsync<T, TKey, TOut>(IQueryable<T> query, Expression<Func<T, TKey>> key, bool descending,
        string sort, string? cursor, int take, Expression<Func<T, TOut>> projection, int countLimit, CancellationToken ct) where T : class
    {
        var position = 0;
        if (cursor is not null)
        {
            var (value, lastId, before) = DecodeCursor<TKey>(cursor, sort);
            query = query.Where(After(key, descending, value, lastId));
            position = before;
        }
        // The total is the rows before this page (carried in the cursor) and, up to the limit, the rows from here on.
        var counted = await query.Take(countLimit + 1).CountAsync(ct);
        var x = key.Parameters[0];
        var row = Expression.Lambda<Func<T, Row<TOut, TKey>>>(
            Expression.New(typeof(Row<TOut, TKey>).GetConstructors()[0],
                ReplacingExpressionVisitor.Replace(projection.Parameters[0], x, projection.Body),
                key.Body,
                Expression.Property(x, nameof(Record.Id))),
            x);
        var id = Expression.Lambda<Func<T, Guid>>(Expression.Property(x, nameof(Record.Id)), x);
        var ordered = descending ? query.OrderByDescending(key).ThenByDescending(id) : query.OrderBy(key).ThenBy(id);
        var rows = await ordered.Select(row).Take(take + 1).ToListAsync(ct);
        var next = rows.Count > take ? EncodeCursor(sort, rows[take - 1].Key, rows[take - 1].Id, position + take) : null;
        return new Page<TOut>(rows.Take(take).Select(r => r.Item).ToList(), next, position + Math.Min(counted, countLimit), counted <= countLimit);
    }

    private sealed record Row<TOut, TKey>(TOut Item, TKey Key, Guid Id);

    /// <summary>
    /// The rows after the cursor's (key, id). The redundant "key ≥ value" (≤ when descending) lets both databases seek
    /// an index on (filter…, key, id) instead of reading from its start.
    /// </summary>
    private static Expression<Func<T, bool>> After<T, TKey>(Expression<Func<T, TKey>> key, bool descending, TKey value, Guid id) where T : class
    {
        var x = key.Parameters[0];
        var holder = Expression.Property(Expression.Constant(new Box<TKey>(value)), nameof(Box<TKey>.Value));
        var idHolder = Expression.Property(Expression.Constant(new Box<Guid>(id)), nameof(Box<Guid>.Value));
        var keyCmp = Compare(key.Body, holder);
        var idCmp = Compare(Expression.Property(x, nameof(Record.Id)), idHolder);
        var zero = Expression.Constant(0);
        Expression after = descending
            ? Expression.AndAlso(Expression.LessThanOrEqual(keyCmp, zero),
                Expression.OrElse(Expression.LessThan(keyCmp, zero), Expression.AndAlso(Expression.Equal(keyCmp, zero), Expression.LessThan(idCmp, zero))))
            : Expression.AndAlso(Expression.GreaterThanOrEqual(keyCmp, zero),
                Expression.OrElse(Expression.GreaterThan(keyCmp, zero), Expression.AndAlso(Expression.Equal(keyCmp, zero), Expression.GreaterThan(idCmp, zero))));
        return Expression.Lambda<Func<T, bool>>(after, x);
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

    internal static string EncodeCursor(string sort, object? key, Guid id, int before) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new CursorData(sort, JsonSerializer.SerializeToElement(key), id, before))))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static (TKey Value, Guid Id, int Before) DecodeCursor<TKey>(string cursor, string sort)
    {
        try
        {
            var b64 = cursor.Replace('-', '+').Replace('_', '/');
            b64 = b64.PadRight(b64.Length + (4 - b64.Length % 4) % 4, '=');
            var data = JsonSerializer.Deserialize<CursorData>(Convert.FromBase64String(b64))!;
            if (data.Sort != sort) throw ValidationException.ForQuery("cursor", Text.Get("Validation.CursorSort"));
            if (data.Before < 0) throw new FormatException();
            return (data.Key.Deserialize<TKey>()!, data.Id, data.Before);
        }
        catch (Exception e) when (e is FormatException or JsonException or ArgumentException or NullReferenceException or InvalidOperationException)
        {
            throw ValidationException.ForQuery("cursor", Text.Get("Validation.Cursor"));
        }
    }

    private sealed record CursorData(string Sort, JsonElement Key, Guid Id, int Before);
}
