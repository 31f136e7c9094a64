using Microsoft.EntityFrameworkCore;
using Motiv.Core.Common;
using Motiv.Core.Data;

namespace Motiv.Core.Audit;

/// <summary>Reads the audit log. Entries are written by the save pipeline only.</summary>
public sealed class AuditService(IDbContextFactory<MotivDbContext> dbFactory)
{
    /// <summary>The history of a record the current user may see (also while it is in the recycle bin), newest first.</summary>
    public async Task<IReadOnlyList<HistoryEntry>> GetHistoryAsync(string type, Guid id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await RecordTypes.Query(db, type, includeDeleted: true).AnyAsync(r => r.Id == id, ct))
            throw new NotFoundException(type, id);
        return await QueryHistoryAsync(db, id, sinceVersion: 0, ct);
    }

    internal static async Task<IReadOnlyList<HistoryEntry>> QueryHistoryAsync(MotivDbContext db, Guid id, long sinceVersion, CancellationToken ct)
    {
        var entries = await db.AuditEntries.AsNoTracking()
            .Where(a => a.RecordId == id && a.Version > sinceVersion)
            .OrderByDescending(a => a.Version)
            .ToListAsync(ct);
        var userIds = entries.Select(e => e.UserId).Distinct().ToList();
        var names = await db.Users.AsNoTracking().Where(u => userIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
        var organizations = await EmployerNamesAsync(db, entries, ct);
        return entries.Select(e => new HistoryEntry(e.At, e.UserId, names.GetValueOrDefault(e.UserId) ?? "Motiv", e.Action, e.Version,
            e.Changes.Select(c => c.Field == EmploymentsField ? RedactEmployments(c, organizations) : c).Where(c => c.Old != c.New).ToList())).ToList();
    }

    private const string EmploymentsField = "employments";

    /// <summary>The names of the employers in the entries that the reader may see; others are left out of the history.</summary>
    private static async Task<Dictionary<Guid, string>> EmployerNamesAsync(MotivDbContext db, List<AuditEntry> entries, CancellationToken ct)
    {
        var ids = entries.SelectMany(e => e.Changes).Where(c => c.Field == EmploymentsField)
            .SelectMany(c => new[] { c.Old, c.New }).SelectMany(Employments).Select(x => x.OrganizationId).Distinct().ToList();
        return ids.Count == 0 ? [] : await db.Organizations.AsNoTracking().Where(o => ids.Contains(o.Id)).ToDictionaryAsync(o => o.Id, o => o.Name, ct);
    }

    private static FieldChange RedactEmployments(FieldChange change, Dictionary<Guid, string> visible)
    {
        string? Redact(string? value)
        {
            var kept = Employments(value).Where(x => visible.ContainsKey(x.OrganizationId)).Select(x => visible[x.OrganizationId] + x.Details).ToList();
            return kept.Count == 0 ? null : string.Join("; ", kept);
        }
        return change with { Old = Redact(change.Old), New = Redact(change.New) };
    }

    /// <summary>Employment values as stored by <see cref="Customers.Employment.ToString"/>: "organisationId|position|…", joined by "; ".</summary>
    private static IEnumerable<(Guid OrganizationId, string Details)> Employments(string? value) =>
        (value ?? "").Split("; ", StringSplitOptions.RemoveEmptyEntries)
            .Select(v => (OrganizationId: Guid.TryParse(v.Split('|')[0], out var id) ? id : Guid.Empty, Details: v[Math.Max(0, v.IndexOf('|'))..]))
            .Where(x => x.OrganizationId != Guid.Empty);
}
