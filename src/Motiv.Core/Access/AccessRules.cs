using Motiv.Core.Common;

namespace Motiv.Core.Access;

/// <summary>
/// The visibility rules as plain functions. Reads are enforced by the query filter in
/// <see cref="Data.MotivDbContext"/> (which mirrors <see cref="CanRead"/>), writes by its SaveChanges.
/// </summary>
public static class AccessRules
{
    public static bool CanRead(AccessScope s, Guid ownerId, Guid? teamId, Visibility visibility) =>
        s.IsAuthenticated && (s.IsAdministrator
            || ownerId == s.UserId
            || visibility == Visibility.Everyone
            || (teamId is { } t && visibility == Visibility.Team && s.TeamIds.Contains(t))
            || (teamId is { } m && s.ManagedTeamIds.Contains(m)));

    public static bool CanWrite(AccessScope s, Guid ownerId, Guid? teamId, Visibility visibility) =>
        s.IsAuthenticated && !s.IsReadOnly && (s.IsAdministrator
            || ownerId == s.UserId
            || (teamId is { } m && s.ManagedTeamIds.Contains(m))
            || (teamId is { } t && visibility != Visibility.Private && s.TeamIds.Contains(t)));

    /// <summary>
    /// Whether the user may hand a record on to another owner: its owner, a manager of its team, or an
    /// administrator (a colleague who may edit a team record may not take it over).
    /// </summary>
    public static bool CanChangeOwner(AccessScope s, Guid ownerBefore, Guid? teamBefore) =>
        s.IsAuthenticated && !s.IsReadOnly && (s.IsAdministrator || ownerBefore == s.UserId || (teamBefore is { } t && s.ManagedTeamIds.Contains(t)));

    /// <summary>Whether the user may give a record to <paramref name="ownerId"/> in <paramref name="teamId"/>.</summary>
    public static bool CanAssign(AccessScope s, Guid ownerId, Guid? teamId, IReadOnlyCollection<Guid> ownersTeams)
    {
        if (!s.IsAuthenticated || s.IsReadOnly) return false;
        if (s.IsAdministrator) return true;
        var teamOk = teamId is null || s.TeamIds.Contains(teamId.Value);
        if (ownerId == s.UserId) return teamOk;
        // A manager may hand records to members of the teams they manage.
        return teamOk && ownersTeams.Any(s.ManagedTeamIds.Contains);
    }
}
