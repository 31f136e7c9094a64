using Microsoft.EntityFrameworkCore;
using Motiv.Core.Data;

namespace Motiv.Core.Common;

/// <summary>Owner, team and visibility as a caller may ask for them. Whether they may is decided by the save pipeline.</summary>
public interface IOwnedInput
{
    Guid? OwnerId { get; set; }
    Guid? TeamId { get; set; }
    Visibility? Visibility { get; set; }
}

internal static class Ownership
{
    /// <summary>
    /// Applies owner, team and visibility from the input. New records default to the current user,
    /// their first team and team visibility. Unknown users or teams are field errors; a user or team
    /// the caller may not assign to is refused by the save pipeline.
    /// </summary>
    public static async Task ApplyAsync(MotivDbContext db, FieldErrors errors, Record record, IOwnedInput input, bool isNew, CancellationToken ct)
    {
        if (isNew)
        {
            record.OwnerId = db.Scope.UserId;
            record.TeamId = db.Scope.TeamIds.Count > 0 ? db.Scope.TeamIds[0] : null;
        }
        if (input.OwnerId is { } owner && owner != record.OwnerId)
        {
            if (!await db.Users.AnyAsync(u => u.Id == owner && u.IsActive, ct)) errors.Add("ownerId", Text.Get("Validation.UnknownUser"));
            record.OwnerId = owner;
        }
        if (input.TeamId is { } team && team != record.TeamId)
        {
            if (!await db.Teams.AnyAsync(t => t.Id == team, ct)) errors.Add("teamId", Text.Get("Validation.UnknownTeam"));
            record.TeamId = team;
        }
        if (input.Visibility is { } v)
        {
            if (!Enum.IsDefined(v)) errors.Add("visibility", Text.Get("Validation.Choice"));
            record.Visibility = v;
        }
    }
}
