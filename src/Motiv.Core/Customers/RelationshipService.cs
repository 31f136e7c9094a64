using Microsoft.EntityFrameworkCore;
using Motiv.Core.Common;
using Motiv.Core.Data;

namespace Motiv.Core.Customers;

public sealed record RelationshipInput : IOwnedInput
{
    public RelationshipType? Kind { get; set; }
    public Guid? FromId { get; set; }
    public Guid? ToId { get; set; }
    public string? Note { get; set; }
    public Guid? OwnerId { get; set; }
    public Guid? TeamId { get; set; }
    public Visibility? Visibility { get; set; }
}

public sealed record RelationshipDto(Guid Id, RelationshipType Kind, Guid FromId, string FromName, Guid ToId, string ToName, string? Note,
    Guid OwnerId, Guid? TeamId, Visibility Visibility, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, long Version);

public sealed record RelationshipQuery
{
    /// <summary>Relationships in which this person or organisation is on either side.</summary>
    public Guid? RecordId { get; set; }
    public RelationshipType? Kind { get; set; }
    public string? Sort { get; set; }
    public string? Cursor { get; set; }
    public int? Limit { get; set; }
}

public sealed class RelationshipService(IDbContextFactory<MotivDbContext> dbFactory)
{
    public static readonly SortFields<Relationship> Sorts = new SortFields<Relationship>("createdAt")
        .Add("createdAt", r => r.CreatedAt)
        .Add("updatedAt", r => r.UpdatedAt);

    /// <summary>Relationships whose both ends the user may see.</summary>
    public async Task<Page<RelationshipDto>> ListAsync(RelationshipQuery query, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        IQueryable<Relationship> q = db.Relationships.AsNoTracking();
        if (query.RecordId is { } id) q = q.Where(r => r.FromId == id || r.ToId == id);
        if (query.Kind is { } kind) q = q.Where(r => r.Kind == kind);
        q = q.Where(r => (db.People.Any(p => p.Id == r.FromId) || db.Organizations.Any(o => o.Id == r.FromId))
            && (db.People.Any(p => p.Id == r.ToId) || db.Organizations.Any(o => o.Id == r.ToId)));
        var page = await Paging.PageAsync(q, Sorts, query.Sort, query.Cursor, query.Limit, r => r, ct);
        return new Page<RelationshipDto>(await ToDtosAsync(db, page.Items, ct), page.NextCursor, page.Total);
    }

    public async Task<RelationshipDto> GetAsync(Guid id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var r = await Records.FindAsync(db.Relationships.AsNoTracking(), id, ct);
        return (await ToDtosAsync(db, [r], ct)).SingleOrDefault() ?? throw new NotFoundException(Relationship.Type, id);
    }

    public async Task<RelationshipDto> CreateAsync(RelationshipInput input, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var r = new Relationship { Id = Guid.CreateVersion7() };
        await ApplyAsync(db, r, input, isNew: true, ct);
        db.Relationships.Add(r);
        await db.SaveChangesAsync(ct);
        return (await ToDtosAsync(db, [r], ct)).Single();
    }

    public async Task<RelationshipDto> UpdateAsync(Guid id, long? expectedVersion, RelationshipInput input, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var r = await Records.FindForUpdateAsync(db, db.Relationships, id, expectedVersion, ct);
        await ApplyAsync(db, r, input, isNew: false, ct);
        await db.SaveChangesAsync(ct);
        return (await ToDtosAsync(db, [r], ct)).Single();
    }

    public static RelationshipInput ToInput(RelationshipDto r) => new()
    {
        Kind = r.Kind, FromId = r.FromId, ToId = r.ToId, Note = r.Note, OwnerId = r.OwnerId, TeamId = r.TeamId, Visibility = r.Visibility,
    };

    private static async Task ApplyAsync(MotivDbContext db, Relationship r, RelationshipInput input, bool isNew, CancellationToken ct)
    {
        var errors = new FieldErrors();
        if (input.Kind is not { } kind || !Enum.IsDefined(kind)) errors.Add("kind", Text.Get("Validation.Choice"));
        else r.Kind = kind;
        var people = Relationship.IsBetweenPeople(r.Kind);
        foreach (var (field, id) in new[] { ("fromId", input.FromId), ("toId", input.ToId) })
        {
            var exists = id is { } v && (people ? await db.People.AnyAsync(p => p.Id == v, ct) : await db.Organizations.AnyAsync(o => o.Id == v, ct));
            if (!exists) errors.Add(field, Text.Get(people ? "Validation.UnknownPerson" : "Validation.UnknownOrganization"));
        }
        if (input.FromId is { } from && from == input.ToId) errors.Add("toId", Text.Get("Validation.SelfRelationship"));
        r.FromId = input.FromId ?? Guid.Empty;
        r.ToId = input.ToId ?? Guid.Empty;
        r.Note = errors.Optional("note", input.Note, 2000);
        await Ownership.ApplyAsync(db, errors, r, input, isNew, ct);
        errors.ThrowIfAny();
    }

    private sealed record Named(Guid Id, string Name);

    private static async Task<List<RelationshipDto>> ToDtosAsync(MotivDbContext db, IReadOnlyList<Relationship> rows, CancellationToken ct)
    {
        var ids = rows.SelectMany(r => new[] { r.FromId, r.ToId }).Distinct().ToList();
        var names = await db.People.Where(p => ids.Contains(p.Id)).Select(p => new Named(p.Id, p.FirstName + " " + p.LastName)).ToListAsync(ct);
        names.AddRange(await db.Organizations.Where(o => ids.Contains(o.Id)).Select(o => new Named(o.Id, o.Name)).ToListAsync(ct));
        var byId = names.ToDictionary(n => n.Id, n => n.Name);
        return rows.Where(r => byId.ContainsKey(r.FromId) && byId.ContainsKey(r.ToId))
            .Select(r => new RelationshipDto(r.Id, r.Kind, r.FromId, byId[r.FromId], r.ToId, byId[r.ToId], r.Note,
                r.OwnerId, r.TeamId, r.Visibility, r.CreatedAt, r.UpdatedAt, r.Version)).ToList();
    }
}
