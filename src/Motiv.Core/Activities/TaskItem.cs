using Microsoft.EntityFrameworkCore;
using Motiv.Core.Common;
using Motiv.Core.Data;

namespace Motiv.Core.Activities;

public enum TaskPriority
{
    Low = 0,
    Normal = 1,
    High = 2,
}

public enum TaskState
{
    Open = 0,
    Done = 1,
    Cancelled = 2,
}

public enum TaskKind
{
    Manual = 0,

    /// <summary>Created by Motiv when a person's keep-in-touch cadence lapsed.</summary>
    KeepInTouch = 1,

    /// <summary>Created by Motiv a few days before a person's birthday or another important date.</summary>
    ImportantDate = 2,

    /// <summary>A next best action the user accepted.</summary>
    NextBestAction = 3,
}

/// <summary>
/// Something to do by a time. The task's owner is its assignee: handing a task to someone follows the same rules as
/// handing over any record. It may relate to a person, organisation, deal or lead.
/// </summary>
public sealed class TaskItem : Record
{
    public const string Type = "task";
    public override string RecordType => Type;
    public override string DisplayName => Title;

    public string Title { get; set; } = "";
    public string? Description { get; set; }
    public DateTimeOffset? DueAt { get; set; }
    public TaskPriority Priority { get; set; } = TaskPriority.Normal;
    public TaskState State { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }
    public DateTimeOffset? RemindAt { get; set; }
    public DateTimeOffset? RemindedAt { get; set; }
    public string? RelatedType { get; set; }
    public Guid? RelatedId { get; set; }
    public TaskKind Kind { get; set; }
}

/// <summary>A message for one user in the app (a reminder), read or not.</summary>
public sealed class Notification
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid UserId { get; set; }
    public Guid? TaskId { get; set; }
    public string Title { get; set; } = "";
    public string? Link { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? ReadAt { get; set; }
}

public sealed record TaskInput : IOwnedInput
{
    public string? Title { get; set; }
    public string? Description { get; set; }
    public DateTimeOffset? DueAt { get; set; }
    public TaskPriority? Priority { get; set; }
    public TaskState? State { get; set; }
    public DateTimeOffset? RemindAt { get; set; }
    public string? RelatedType { get; set; }
    public Guid? RelatedId { get; set; }
    public List<string>? Tags { get; set; }
    public Guid? OwnerId { get; set; }
    public Guid? TeamId { get; set; }
    public Visibility? Visibility { get; set; }
}

public sealed record TaskDto(Guid Id, string Title, string? Description, DateTimeOffset? DueAt, TaskPriority Priority, TaskState State, bool IsOverdue,
    DateTimeOffset? CompletedAt, DateTimeOffset? RemindAt, DateTimeOffset? RemindedAt, string? RelatedType, Guid? RelatedId, string? RelatedName, TaskKind Kind,
    IReadOnlyList<string> Tags, Guid OwnerId, Guid? TeamId, Visibility Visibility, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, long Version);

public sealed record TaskListItem(Guid Id, string Title, DateTimeOffset? DueAt, TaskPriority Priority, TaskState State, bool IsOverdue, string? RelatedType, Guid? RelatedId,
    TaskKind Kind, Guid OwnerId, long Version);

public sealed record TaskQuery
{
    /// <summary>"mine" (assigned to the caller), "overdue" (open and past due, the caller's), or empty for all the caller may see.</summary>
    public string? View { get; set; }
    public TaskState? State { get; set; }
    public string? RelatedType { get; set; }
    public Guid? RelatedId { get; set; }
    public Guid? OwnerId { get; set; }
    public string? Sort { get; set; }
    public string? Cursor { get; set; }
    public int? Limit { get; set; }
}

public sealed record NotificationDto(Guid Id, string Title, string? Link, DateTimeOffset CreatedAt, DateTimeOffset? ReadAt);

public sealed class TaskService(IDbContextFactory<MotivDbContext> dbFactory)
{
    public static readonly IReadOnlyList<string> RelatedTypes = [Customers.Person.Type, Customers.Organization.Type, Sales.Deal.Type, Sales.Lead.Type];

    public static readonly SortFields<TaskItem> Sorts = new SortFields<TaskItem>("dueAt")
        .Add("dueAt", t => t.DueAt ?? DateTimeOffset.MaxValue)
        .Add("createdAt", t => t.CreatedAt)
        .Add("updatedAt", t => t.UpdatedAt);

    public async Task<Page<TaskListItem>> ListAsync(TaskQuery query, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = db.Clock.GetUtcNow();
        var me = db.Scope.UserId;
        IQueryable<TaskItem> q = db.Tasks.AsNoTracking();
        q = query.View switch
        {
            null or "" or "all" => q,
            "mine" => q.Where(t => t.OwnerId == me),
            "overdue" => q.Where(t => t.OwnerId == me && t.State == TaskState.Open && t.DueAt < now),
            _ => throw ValidationException.ForQuery("view", Text.Get("Validation.Choice")),
        };
        if (query.State is { } state) q = q.Where(t => t.State == state);
        if (query.RelatedId is { } related) q = q.Where(t => t.RelatedId == related);
        if (query.RelatedType is { } type) q = q.Where(t => t.RelatedType == type);
        if (query.OwnerId is { } owner) q = q.Where(t => t.OwnerId == owner);
        return await Paging.PageAsync(q, Sorts, query.Sort, query.Cursor, query.Limit,
            t => new TaskListItem(t.Id, t.Title, t.DueAt, t.Priority, t.State, t.State == TaskState.Open && t.DueAt < now, t.RelatedType, t.RelatedId, t.Kind, t.OwnerId, t.Version), ct);
    }

    public async Task<TaskDto> GetAsync(Guid id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await ToDtoAsync(db, await Records.FindAsync(db.Tasks.AsNoTracking(), id, ct), ct);
    }

    public async Task<TaskDto> CreateAsync(TaskInput input, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var task = new TaskItem();
        await ApplyAsync(db, task, input, isNew: true, ct);
        db.Tasks.Add(task);
        await db.SaveChangesAsync(ct);
        return await ToDtoAsync(db, task, ct);
    }

    public async Task<TaskDto> UpdateAsync(Guid id, long? expectedVersion, TaskInput input, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var task = await Records.FindForUpdateAsync(db, db.Tasks, id, expectedVersion, ct);
        await ApplyAsync(db, task, input, isNew: false, ct);
        await db.SaveChangesAsync(ct);
        return await ToDtoAsync(db, task, ct);
    }

    public static TaskInput ToInput(TaskDto t) => new()
    {
        Title = t.Title, Description = t.Description, DueAt = t.DueAt, Priority = t.Priority, State = t.State, RemindAt = t.RemindAt,
        RelatedType = t.RelatedType, RelatedId = t.RelatedId, Tags = [.. t.Tags], OwnerId = t.OwnerId, TeamId = t.TeamId, Visibility = t.Visibility,
    };

    private static async Task ApplyAsync(MotivDbContext db, TaskItem task, TaskInput input, bool isNew, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var now = db.Clock.GetUtcNow();
        task.Title = errors.Required("title", input.Title, 200);
        task.Description = errors.Optional("description", input.Description, 4000);
        task.DueAt = input.DueAt;
        task.Priority = input.Priority ?? TaskPriority.Normal;
        if (!Enum.IsDefined(task.Priority)) errors.Add("priority", Text.Get("Validation.Choice"));
        var state = input.State ?? TaskState.Open;
        if (!Enum.IsDefined(state)) errors.Add("state", Text.Get("Validation.Choice"));
        else
        {
            if (state != TaskState.Open && task.State == TaskState.Open) task.CompletedAt = now;
            if (state == TaskState.Open) task.CompletedAt = null;
            task.State = state;
        }
        if (input.RemindAt != task.RemindAt) task.RemindedAt = null; // a new reminder time is a new reminder
        task.RemindAt = input.RemindAt;
        if (input.RelatedId is { } related)
        {
            var type = input.RelatedType ?? "";
            if (!RelatedTypes.Contains(type)) errors.Add("relatedType", Text.Get("Validation.Choice"));
            else if (related != task.RelatedId && !await RecordTypes.Query(db, type).AnyAsync(r => r.Id == related, ct)) errors.Add("relatedId", Text.Get("Validation.UnknownRecord"));
            task.RelatedType = type;
            task.RelatedId = related;
        }
        else if (isNew || !await Hidden.IsHiddenAsync(RecordTypes.Query(db, task.RelatedType ?? Customers.Person.Type), task.RelatedId, ct))
        {
            task.RelatedType = null;
            task.RelatedId = null;
        }
        task.Tags = Customers.Contacts.Tags(errors, input.Tags);
        await Ownership.ApplyAsync(db, errors, task, input, isNew, ct);
        errors.ThrowIfAny();
    }

    private static async Task<TaskDto> ToDtoAsync(MotivDbContext db, TaskItem t, CancellationToken ct)
    {
        var related = t.RelatedId is { } id && t.RelatedType is { } type
            ? await RecordTypes.Query(db, type).AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, ct)
            : null;
        var now = db.Clock.GetUtcNow();
        return new TaskDto(t.Id, t.Title, t.Description, t.DueAt, t.Priority, t.State, t.State == TaskState.Open && t.DueAt < now, t.CompletedAt, t.RemindAt, t.RemindedAt,
            related is null ? null : t.RelatedType, related?.Id, related?.DisplayName, t.Kind, TagList.FromStored(t.Tags), t.OwnerId, t.TeamId, t.Visibility,
            t.CreatedAt, t.UpdatedAt, t.Version);
    }

    public async Task<IReadOnlyList<NotificationDto>> NotificationsAsync(bool unreadOnly, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!db.Scope.IsAuthenticated) throw new AccessDeniedException(Text.Get("Access.SignIn"));
        var me = db.Scope.UserId;
        return await db.Notifications.AsNoTracking().Where(n => n.UserId == me && (!unreadOnly || n.ReadAt == null))
            .OrderByDescending(n => n.CreatedAt).Take(50).Select(n => new NotificationDto(n.Id, n.Title, n.Link, n.CreatedAt, n.ReadAt)).ToListAsync(ct);
    }

    public async Task MarkReadAsync(Guid id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var me = db.Scope.UserId;
        var n = await db.Notifications.FirstOrDefaultAsync(x => x.Id == id && x.UserId == me, ct) ?? throw new NotFoundException("notification", id);
        n.ReadAt ??= db.Clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
    }
}
