using Motiv.Core.Common;
using MudBlazor;

namespace Motiv.Web.Components.Shared;

/// <summary>
/// Keyset paging for a data grid: remembers the cursor of each page visited, so "previous" and
/// "next" never skip or repeat a row even while others add records.
/// </summary>
public sealed class KeysetState(int pageSize = 25)
{
    private readonly List<string?> _cursors = [null];

    public int PageSize { get; } = pageSize;
    public int PageIndex { get; private set; }
    public string? NextCursor { get; private set; }
    public int Total { get; private set; }
    public bool TotalExact { get; private set; } = true;

    /// <summary>The total as shown: "2,000+" when the list stopped counting (<see cref="Paging.CountLimit"/>).</summary>
    public string TotalText => Format(Total, TotalExact);

    public static string Format(int total, bool exact) => total.ToString("N0") + (exact ? "" : "+");
    public int Shown { get; private set; }
    public string? Sort { get; private set; }

    public string? Cursor => _cursors[PageIndex];
    public bool HasPrevious => PageIndex > 0;
    public bool HasNext => NextCursor is not null;
    public int From => Total == 0 ? 0 : PageIndex * PageSize + 1;
    public int To => PageIndex * PageSize + Shown;

    /// <summary>Takes the grid's sort ("Name" descending → "-name"); a new sort starts again at the first page.</summary>
    public void UseSort<T>(GridState<T> state, IReadOnlyCollection<string> allowed)
    {
        var definition = state.SortDefinitions.FirstOrDefault();
        var name = definition is null ? null : char.ToLowerInvariant(definition.SortBy[0]) + definition.SortBy[1..];
        var sort = name is not null && allowed.Contains(name) ? (definition!.Descending ? "-" : "") + name : null;
        if (sort != Sort) Reset();
        Sort = sort;
    }

    public void Loaded<T>(Page<T> page)
    {
        Shown = page.Items.Count;
        NextCursor = page.NextCursor;
        Total = page.Total;
        TotalExact = page.TotalExact;
    }

    public void Next()
    {
        if (NextCursor is null) return;
        if (_cursors.Count == PageIndex + 1) _cursors.Add(NextCursor);
        else _cursors[PageIndex + 1] = NextCursor;
        PageIndex++;
    }

    public void Previous()
    {
        if (PageIndex > 0) PageIndex--;
    }

    public void Reset()
    {
        _cursors.RemoveRange(1, _cursors.Count - 1);
        PageIndex = 0;
    }
}
