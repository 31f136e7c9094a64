using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Motiv.Core.Access;
using Motiv.Core.Audit;
using Motiv.Core.Common;
using Motiv.Core.Customers;

namespace Motiv.Core.Data;

/// <summary>What happens to every business record on save: write access, stamps, version and audit.</summary>
internal static class SavePipeline
{
    private static readonly HashSet<string> Unaudited =
    [
        nameof(Record.Id), nameof(Record.CreatedAt), nameof(Record.CreatedById), nameof(Record.UpdatedAt),
        nameof(Record.UpdatedById), nameof(Record.Version), nameof(Record.DeletedById),
        // derived from the lists, which are audited themselves
        nameof(Organization.City), nameof(Organization.Country), nameof(Organization.PrimaryEmail), nameof(Organization.PrimaryPhone), nameof(Organization.SearchName), nameof(Sales.Lead.ScoreReasons),
        nameof(Person.NextReminderOn),
    ];

    public static async Task BeforeSaveAsync(MotivDbContext db, DateTimeOffset now, CancellationToken ct)
    {
        var scope = db.Scope;
        await CopyInteractionTimesAsync(db, ct);
        TouchRecordsOfChangedParts(db);
        // Looked up once: asking the change tracker per record would make a large save quadratic.
        var parts = db.ChangeTracker.Entries().Where(e => e.Entity is IRecordPart).ToLookup(e => ((IRecordPart)e.Entity).PartOf);
        var audits = new List<AuditEntry>();

        foreach (var entry in db.ChangeTracker.Entries<Record>().ToList())
        {
            var r = entry.Entity;
            if (r is IHasSearchName named && entry.State is EntityState.Added or EntityState.Modified) named.SearchName = Search.SearchText.Fold(r.DisplayName);
            switch (entry.State)
            {
                case EntityState.Added:
                    if (r.Id == Guid.Empty) r.Id = Guid.CreateVersion7();
                    if (r.OwnerId == Guid.Empty) r.OwnerId = scope.UserId;
                    await CheckAssignAsync(db, r.OwnerId, r.TeamId, ct);
                    r.CreatedAt = r.UpdatedAt = now;
                    r.CreatedById = r.UpdatedById = scope.UserId;
                    r.Version = 1;
                    r.DeletedAt = null;
                    r.DeletedById = null;
                    var created = Changes(entry, added: true);
                    created.AddRange(ChildChanges(parts[r.Id]));
                    audits.Add(db.AuditEntries.Add(NewAudit(r, AuditAction.Created, scope, now, created)).Entity);
                    break;

                case EntityState.Modified:
                    var ownerBefore = (Guid)entry.Property(nameof(Record.OwnerId)).OriginalValue!;
                    var teamBefore = (Guid?)entry.Property(nameof(Record.TeamId)).OriginalValue;
                    var visibilityBefore = (Visibility)entry.Property(nameof(Record.Visibility)).OriginalValue!;
                    if (!AccessRules.CanWrite(scope, ownerBefore, teamBefore, visibilityBefore))
                        throw new AccessDeniedException(Text.Get("Access.CannotChange"));
                    if (ownerBefore != r.OwnerId && !AccessRules.CanChangeOwner(scope, ownerBefore, teamBefore))
                        throw new AccessDeniedException(Text.Get("Access.CannotAssign"));
                    if (ownerBefore != r.OwnerId || teamBefore != r.TeamId)
                        await CheckAssignAsync(db, r.OwnerId, r.TeamId, ct);
                    var deletedBefore = (DateTimeOffset?)entry.Property(nameof(Record.DeletedAt)).OriginalValue;
                    var action = (deletedBefore, r.DeletedAt) switch
                    {
                        (null, not null) => AuditAction.Deleted,
                        (not null, null) => AuditAction.Restored,
                        _ => AuditAction.Updated,
                    };
                    if (action == AuditAction.Deleted) r.DeletedById = scope.UserId;
                    if (action == AuditAction.Restored) r.DeletedById = null;
                    r.UpdatedAt = now;
                    r.UpdatedById = scope.UserId;
                    // The original value stays what the caller read: the UPDATE's WHERE checks it, so a stale write fails.
                    r.Version = (long)entry.Property(nameof(Record.Version)).OriginalValue! + 1;
                    var changes = Changes(entry, added: false);
                    changes.AddRange(ChildChanges(parts[r.Id]));
                    audits.Add(db.AuditEntries.Add(NewAudit(r, action, scope, now, changes)).Entity);
                    break;

                case EntityState.Deleted:
                    // A real delete is erasure (GDPR) or the recycle bin's purge: administrators and Motiv itself only.
                    if (!scope.CanAdminister) throw new AccessDeniedException(Text.Get("Access.OnlyAdminsErase"));
                    break;
            }
        }
        // Webhook events go to the outbox in the same transaction as the change.
        await Integration.WebhookService.EnqueueAsync(db, audits, now, ct);
    }

    private static async Task CheckAssignAsync(MotivDbContext db, Guid ownerId, Guid? teamId, CancellationToken ct)
    {
        var scope = db.Scope;
        if (scope.CanAdminister) return;
        var ownersTeams = ownerId == scope.UserId
            ? (IReadOnlyCollection<Guid>)scope.TeamIds
            : await db.TeamMembers.Where(m => m.UserId == ownerId).Select(m => m.TeamId).ToListAsync(ct);
        if (!AccessRules.CanAssign(scope, ownerId, teamId, ownersTeams))
            throw new AccessDeniedException(scope.IsReadOnly ? Text.Get("Access.ReadOnly") : Text.Get("Access.CannotAssign"));
    }

    /// <summary>A change to a part (employment, custom field value) is a change, and a new version, of its record.</summary>
    /// <summary>Participants carry their interaction's time (for the person's timeline index); a moved interaction moves them.</summary>
    private static async Task CopyInteractionTimesAsync(MotivDbContext db, CancellationToken ct)
    {
        foreach (var entry in db.ChangeTracker.Entries<Communication.Interaction>().Where(e => e.State is EntityState.Added or EntityState.Modified).ToList())
        {
            var participants = entry.Collection(i => i.Participants);
            if (entry.State == EntityState.Modified && !participants.IsLoaded && entry.Property(i => i.OccurredAt).IsModified) await participants.LoadAsync(ct);
            foreach (var p in entry.Entity.Participants.Where(p => p.OccurredAt != entry.Entity.OccurredAt)) p.OccurredAt = entry.Entity.OccurredAt;
        }
    }

    private static void TouchRecordsOfChangedParts(MotivDbContext db)
    {
        var changed = ChangedParts(db).Select(p => ((IRecordPart)p.Entity).PartOf).ToHashSet();
        var tracked = db.ChangeTracker.Entries<Record>().Select(r => r.Entity.Id).ToHashSet();
        if (!changed.IsSubsetOf(tracked))
            throw new InvalidOperationException("A record's parts are changed only together with the record (load it first), so that access, version and history apply.");
        foreach (var record in db.ChangeTracker.Entries<Record>().Where(r => r.State == EntityState.Unchanged && changed.Contains(r.Entity.Id)))
            record.State = EntityState.Modified;
    }

    private static IEnumerable<EntityEntry> ChangedParts(MotivDbContext db) =>
        db.ChangeTracker.Entries().Where(e => e.Entity is IRecordPart && e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted);

    /// <summary>One change per part field (e.g. "employments", "customFields.size"), listing all of the record's values before and after.</summary>
    private static IEnumerable<FieldChange> ChildChanges(IEnumerable<EntityEntry> recordParts)
    {
        var parts = recordParts.ToList();
        foreach (var field in parts.Where(e => e.State != EntityState.Unchanged).Select(e => ((IRecordPart)e.Entity).AuditField).Distinct().ToList())
        {
            var rows = parts.Where(e => ((IRecordPart)e.Entity).AuditField == field).ToList();
            var before = rows.Where(e => e.State is EntityState.Unchanged or EntityState.Modified or EntityState.Deleted)
                .Select(e => e.State == EntityState.Unchanged ? ((IRecordPart)e.Entity).Describe() : ((IRecordPart)e.OriginalValues.ToObject()).Describe());
            var after = rows.Where(e => e.State is EntityState.Unchanged or EntityState.Modified or EntityState.Added).Select(e => ((IRecordPart)e.Entity).Describe());
            var old = Join(before);
            var now = Join(after);
            if (old != now) yield return new FieldChange(field, old, now);
        }
    }

    private static string? Join(IEnumerable<string> values)
    {
        var list = values.Order(StringComparer.Ordinal).ToList();
        return list.Count == 0 ? null : string.Join("; ", list);
    }

    private static AuditEntry NewAudit(Record r, AuditAction action, AccessScope scope, DateTimeOffset now, List<FieldChange> changes) => new()
    {
        Id = Guid.CreateVersion7(),
        RecordType = r.RecordType,
        RecordId = r.Id,
        Action = action,
        Version = r.Version,
        UserId = scope.UserId,
        At = now,
        Changes = changes,
    };

    private static List<FieldChange> Changes(EntityEntry entry, bool added)
    {
        var list = new List<FieldChange>();
        foreach (var p in entry.Properties)
        {
            var name = p.Metadata.Name;
            if (Unaudited.Contains(name)) continue;
            var now = Format(p.CurrentValue);
            var before = added ? null : Format(p.OriginalValue);
            if (before != now) list.Add(new FieldChange(char.ToLowerInvariant(name[0]) + name[1..], before, now));
        }
        return list;
    }

    internal static string? Format(object? value) => value switch
    {
        null => null,
        string s => s.Length == 0 ? null : s,
        DateTimeOffset d => d.ToString("O", CultureInfo.InvariantCulture),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        Enum e => e.ToString(),
        System.Collections.IEnumerable list => JsonColumn.Serialize(list) is "[]" ? null : JsonColumn.Serialize(list),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    public static async Task<ConcurrencyException> ToConcurrencyExceptionAsync(MotivDbContext db, DbUpdateConcurrencyException ex, CancellationToken ct)
    {
        // A conflicting part (employment, custom field value) stands for its record.
        var r = ex.Entries.Select(e => e.Entity).OfType<Record>().FirstOrDefault()
            ?? ex.Entries.Select(e => e.Entity).OfType<IRecordPart>().Select(p => db.ChangeTracker.Entries<Record>().FirstOrDefault(t => t.Entity.Id == p.PartOf)?.Entity).FirstOrDefault(x => x is not null);
        if (r is null) return new ConcurrencyException("record", Guid.Empty, 0, 0, []);
        var entry = db.Entry(r);
        var expected = (long)entry.Property(nameof(Record.Version)).OriginalValue!;
        var current = await db.Set<AuditEntry>().Where(a => a.RecordId == r.Id).MaxAsync(a => (long?)a.Version, ct) ?? 0;
        var history = await AuditService.QueryHistoryAsync(db, r.Id, sinceVersion: expected, ct);
        return new ConcurrencyException(r.RecordType, r.Id, expected, current, history);
    }
}
