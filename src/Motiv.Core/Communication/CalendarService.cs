using System.Security.Cryptography;
using System.Text;
using Ical.Net;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;
using Microsoft.EntityFrameworkCore;
using Motiv.Core.Access;
using Motiv.Core.Common;
using Motiv.Core.Data;

namespace Motiv.Core.Communication;

public sealed record CalendarFeed(string Url);

/// <summary>
/// Meetings as iCalendar: a meeting's <c>.ics</c>, and each user's secret feed of their meetings and open tasks that
/// Outlook, Thunderbird or Google Calendar subscribe to. The feed URL holds a random secret; only its hash is stored.
/// </summary>
public sealed class CalendarService(IDbContextFactory<MotivDbContext> dbFactory, DbContextOptions<MotivDbContext> dbOptions, TimeProvider clock)
{
    private static string FeedKey(string hash) => "calendar:" + hash;

    /// <summary>A new secret feed address for the caller; an earlier one stops working.</summary>
    public async Task<CalendarFeed> CreateFeedAsync(string baseUrl, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!db.Scope.IsAuthenticated || db.Scope.UserId == Guid.Empty) throw new AccessDeniedException(Text.Get("Access.SignIn"));
        await RemoveFeedsAsync(db, ct);
        var me = db.Scope.UserId.ToString();
        var secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        db.Settings.Add(new SettingRow { Key = FeedKey(Hash(secret)), Value = me, UpdatedAt = db.Clock.GetUtcNow(), UpdatedById = db.Scope.UserId });
        await db.SaveChangesAsync(ct);
        return new CalendarFeed($"{baseUrl.TrimEnd('/')}/calendar/{secret}.ics");
    }

    public async Task RevokeFeedAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await RemoveFeedsAsync(db, ct);
        await db.SaveChangesAsync(ct);
    }

    private static async Task RemoveFeedsAsync(MotivDbContext db, CancellationToken ct)
    {
        var me = db.Scope.UserId.ToString();
        db.Settings.RemoveRange(await db.Settings.Where(s => s.Key.StartsWith("calendar:") && s.Value == me).ToListAsync(ct));
    }

    /// <summary>The feed of the user the secret belongs to, read with that user's rights; null for an unknown secret.</summary>
    public async Task<string?> FeedAsync(string secret, CancellationToken ct = default)
    {
        if (secret.Length != 48 || !secret.All(char.IsAsciiHexDigitLower)) return null;
        Guid userId;
        await using (var lookup = await dbFactory.CreateDbContextAsync(ct))
        {
            var key = FeedKey(Hash(secret));
            var value = await lookup.Settings.AsNoTracking().Where(s => s.Key == key).Select(s => s.Value).FirstOrDefaultAsync(ct);
            if (value is null || !Guid.TryParse(value, out userId)) return null;
        }
        var scoped = await ScopedAsync(userId, ct);
        if (scoped is null) return null;
        await using var db = scoped;
        var from = db.Clock.GetUtcNow().AddDays(-90);
        var meetings = await db.Interactions.AsNoTracking()
            .Where(i => i.Channel == InteractionChannel.Meeting && i.OccurredAt >= from && (i.OwnerId == userId || i.Participants.Any(p => p.UserId == userId)))
            .Include(i => i.Participants).OrderBy(i => i.OccurredAt).Take(2000).ToListAsync(ct);
        var tasks = await db.Tasks.AsNoTracking().Where(t => t.OwnerId == userId && t.State == Activities.TaskState.Open && t.DueAt != null)
            .OrderBy(t => t.DueAt).Take(2000).ToListAsync(ct);
        var calendar = NewCalendar();
        foreach (var m in meetings) calendar.Events.Add(await EventAsync(db, m, ct));
        foreach (var t in tasks)
        {
            calendar.Todos.Add(new Todo
            {
                Uid = t.Id + "@motiv", Summary = t.Title, Description = t.Description, Due = new CalDateTime(t.DueAt!.Value.UtcDateTime),
                DtStamp = new CalDateTime(t.UpdatedAt.UtcDateTime),
            });
        }
        return new CalendarSerializer().SerializeToString(calendar);
    }

    /// <summary>A meeting as an .ics file (for those who may see it).</summary>
    public async Task<(string Content, string FileName)> MeetingAsync(Guid id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var meeting = await Records.FindAsync(db.Interactions.AsNoTracking().Include(i => i.Participants), id, ct);
        var calendar = NewCalendar();
        calendar.Events.Add(await EventAsync(db, meeting, ct));
        return (new CalendarSerializer().SerializeToString(calendar)!, "meeting-" + id.ToString("N")[..8] + ".ics");
    }

    private static Calendar NewCalendar()
    {
        var calendar = new Calendar { ProductId = "-//Motiv//CRM//DE" };
        return calendar;
    }

    /// <summary>A meeting as an event; its people with an address are attendees with their answer so far. The version is the sequence number.</summary>
    internal static async Task<CalendarEvent> EventAsync(MotivDbContext db, Interaction m, CancellationToken ct)
    {
        var personIds = m.Participants.Where(p => p.PersonId != null).Select(p => p.PersonId!.Value).ToList();
        var emails = await db.People.AsNoTracking().Where(p => personIds.Contains(p.Id) && p.PrimaryEmail != null)
            .Select(p => new { p.Id, p.FirstName, p.LastName, p.PrimaryEmail }).ToListAsync(ct);
        var e = new CalendarEvent
        {
            Uid = m.Id + "@motiv",
            Summary = m.Subject,
            Description = m.BodyText,
            DtStart = new CalDateTime(m.OccurredAt.UtcDateTime),
            DtEnd = new CalDateTime(m.OccurredAt.AddMinutes(m.DurationMinutes ?? 60).UtcDateTime),
            DtStamp = new CalDateTime(m.UpdatedAt.UtcDateTime),
            Sequence = (int)Math.Min(m.Version, int.MaxValue),
        };
        foreach (var p in emails)
        {
            var answer = m.Participants.First(x => x.PersonId == p.Id).Response;
            e.Attendees.Add(new Attendee("mailto:" + p.PrimaryEmail)
            {
                CommonName = $"{p.FirstName} {p.LastName}", Rsvp = true, Role = "REQ-PARTICIPANT",
                ParticipationStatus = answer switch
                {
                    MeetingResponse.Accepted => "ACCEPTED",
                    MeetingResponse.Declined => "DECLINED",
                    MeetingResponse.Tentative => "TENTATIVE",
                    _ => "NEEDS-ACTION",
                },
            });
        }
        return e;
    }

    /// <summary>A context with the rights of the feed's user (the feed is read without a sign-in); null for a deactivated user.</summary>
    private async Task<MotivDbContext?> ScopedAsync(Guid userId, CancellationToken ct)
    {
        await using var probe = await dbFactory.CreateDbContextAsync(ct);
        var scope = await AccessScopeLoader.LoadAsync(probe, userId, ct);
        return scope is null ? null : new MotivDbContext(dbOptions, new FixedCurrentUser(scope), clock);
    }

    /// <summary>160 bits of the secret's SHA-256: enough to find it, and the settings key stays short.</summary>
    private static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)))[..40];
}
