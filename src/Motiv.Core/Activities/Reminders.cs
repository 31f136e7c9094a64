using Microsoft.EntityFrameworkCore;
using Motiv.Core.Data;

namespace Motiv.Core.Activities;

/// <summary>
/// The background work of tasks, run by the scheduler as Motiv itself: due reminders become notifications for the task's
/// assignee, and people whose keep-in-touch cadence lapsed get a task for their owner. Both are idempotent.
/// </summary>
public static class Reminders
{
    /// <summary>Notifies assignees of open tasks whose reminder time has come; each reminder is sent once.</summary>
    public static async Task<IReadOnlyList<Notification>> SendDueAsync(MotivDbContext systemDb, CancellationToken ct = default)
    {
        var now = systemDb.Clock.GetUtcNow();
        // The "reminded" marks and the notifications are stored together or not at all.
        await using var transaction = await systemDb.Database.BeginTransactionAsync(ct);
        var created = new List<Notification>();
        var due = await systemDb.Tasks.IgnoreQueryFilters([MotivDbContext.AccessFilter])
            .Where(t => t.State == TaskState.Open && t.RemindAt != null && t.RemindAt <= now && t.RemindedAt == null)
            .OrderBy(t => t.RemindAt).Take(500).ToListAsync(ct);
        foreach (var task in due)
        {
            created.Add(systemDb.Notifications.Add(new Notification { UserId = task.OwnerId, TaskId = task.Id, Title = task.Title, Link = "/tasks?id=" + task.Id, CreatedAt = now }).Entity);
            // Derived bookkeeping, not a change a person made: no new version or history entry.
            await systemDb.Tasks.IgnoreQueryFilters().Where(t => t.Id == task.Id).ExecuteUpdateAsync(s => s.SetProperty(t => t.RemindedAt, now), ct);
        }
        await systemDb.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return created;
    }

    /// <summary>For each person with a cadence whose last interaction is older than it, one open keep-in-touch task for the person's owner.</summary>
    public static async Task<int> CreateKeepInTouchTasksAsync(MotivDbContext systemDb, CancellationToken ct = default)
    {
        var now = systemDb.Clock.GetUtcNow();
        var people = await systemDb.People.Where(p => p.KeepInTouchDays != null)
            .Select(p => new
            {
                p.Id, p.FirstName, p.LastName, p.OwnerId, p.TeamId, p.Visibility, Days = p.KeepInTouchDays!.Value, p.CreatedAt,
                Last = systemDb.Interactions.Where(i => i.Participants.Any(x => x.PersonId == p.Id)).Max(i => (DateTimeOffset?)i.OccurredAt),
                Open = systemDb.Tasks.Any(t => t.Kind == TaskKind.KeepInTouch && t.RelatedId == p.Id && t.State == TaskState.Open),
            })
            .ToListAsync(ct);
        var created = 0;
        foreach (var p in people.Where(p => !p.Open && (p.Last ?? p.CreatedAt).AddDays(p.Days) <= now))
        {
            systemDb.Tasks.Add(new TaskItem
            {
                Title = Text.Get("Task.KeepInTouch", $"{p.FirstName} {p.LastName}"), Kind = TaskKind.KeepInTouch, RelatedType = Customers.Person.Type, RelatedId = p.Id,
                DueAt = now, RemindAt = now, OwnerId = p.OwnerId, TeamId = p.TeamId, Visibility = p.Visibility,
            });
            created++;
        }
        await systemDb.SaveChangesAsync(ct);
        return created;
    }

    public const int ImportantDateLeadDays = 3;

    /// <summary>
    /// A task for the owner a few days before a reminded birthday or important date, once per date and year; then the
    /// person's next reminder day moves on. People are found by their next reminder day (indexed), not by reading all.
    /// </summary>
    public static async Task<int> CreateImportantDateTasksAsync(MotivDbContext systemDb, CancellationToken ct = default)
    {
        var now = systemDb.Clock.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var horizon = today.AddDays(ImportantDateLeadDays);
        var created = 0;
        // The tasks and the moved-on reminder days are stored together or not at all.
        await using var transaction = await systemDb.Database.BeginTransactionAsync(ct);
        var due = await systemDb.People.AsNoTracking().Where(p => p.NextReminderOn != null && p.NextReminderOn <= horizon).OrderBy(p => p.NextReminderOn).Take(1000).ToListAsync(ct);
        foreach (var person in due)
        {
            foreach (var (label, date) in Customers.ImportantDates.Reminded(person))
            {
                var next = Customers.ImportantDates.Next(date, today);
                if (next > horizon) continue;
                var dueAt = new DateTimeOffset(next.ToDateTime(new TimeOnly(8, 0)), TimeSpan.Zero);
                var title = Common.Texts.Cut(Text.Get("Task.ImportantDate", label, person.DisplayName, next.ToString("d", System.Globalization.CultureInfo.CurrentCulture)), 200);
                // A reminder given once (even if its task was deleted since) is not given again.
                if (await systemDb.Tasks.IgnoreQueryFilters().AnyAsync(t => t.Kind == TaskKind.ImportantDate && t.RelatedId == person.Id && t.DueAt == dueAt && t.Title == title, ct)) continue;
                systemDb.Tasks.Add(new TaskItem
                {
                    Title = title, Kind = TaskKind.ImportantDate, RelatedType = Customers.Person.Type, RelatedId = person.Id,
                    DueAt = dueAt, RemindAt = now, OwnerId = person.OwnerId, TeamId = person.TeamId, Visibility = person.Visibility,
                });
                created++;
            }
            var following = Customers.ImportantDates.NextReminder(person, horizon.AddDays(1));
            // Derived bookkeeping, not a change a person made: no new version or history entry.
            await systemDb.People.IgnoreQueryFilters().Where(p => p.Id == person.Id).ExecuteUpdateAsync(s => s.SetProperty(p => p.NextReminderOn, following), ct);
        }
        await systemDb.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return created;
    }
}
