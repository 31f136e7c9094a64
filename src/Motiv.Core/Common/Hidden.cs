using Microsoft.EntityFrameworkCore;

namespace Motiv.Core.Common;

/// <summary>
/// A reference to a record the reader may not see is shown to them as null; when their save sends that null back,
/// the reference is kept. Only a reader who can see the referenced record can clear it.
/// </summary>
internal static class Hidden
{
    public static async Task<bool> IsHiddenAsync<T>(IQueryable<T> visible, Guid? id, CancellationToken ct) where T : Record =>
        id is { } value && !await visible.AnyAsync(r => r.Id == value, ct);
}
