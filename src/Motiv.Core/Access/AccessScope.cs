namespace Motiv.Core.Access;

/// <summary>
/// What the current user may see and change. Built once per request (or Blazor circuit) from the
/// database, so a role or team change or a deactivation takes effect with the next request.
/// </summary>
public sealed class AccessScope
{
    public AccessScope(Guid userId, bool isAuthenticated, bool isAdministrator, bool isReadOnly, IReadOnlyCollection<Guid> teamIds, IReadOnlyCollection<Guid> managedTeamIds,
        IReadOnlyCollection<string>? roles = null)
    {
        Roles = [.. roles ?? []];
        UserId = userId;
        IsAuthenticated = isAuthenticated;
        IsAdministrator = isAdministrator;
        IsReadOnly = isReadOnly;
        TeamIds = [.. teamIds];
        ManagedTeamIds = [.. managedTeamIds];
    }

    public Guid UserId { get; }
    public bool IsAuthenticated { get; }
    public bool IsAdministrator { get; }
    public bool IsReadOnly { get; }

    /// <summary>The user's roles (for settings that name roles, such as who sees motive data).</summary>
    public List<string> Roles { get; }

    /// <summary>An administrator acting with write rights (not, for instance, through a read-only token).</summary>
    public bool CanAdminister => IsAuthenticated && IsAdministrator && !IsReadOnly;

    /// <summary>Teams the user is a member of: their team-visible records are readable and writable.</summary>
    public List<Guid> TeamIds { get; }

    /// <summary>Teams the user manages: all of their records, private ones included, are readable and writable.</summary>
    public List<Guid> ManagedTeamIds { get; }

    /// <summary>No user: sees nothing, may change nothing.</summary>
    public static AccessScope Anonymous { get; } = new(Guid.Empty, false, false, true, [], []);

    /// <summary>Motiv itself (migrations, demo data, background jobs): sees and changes everything.</summary>
    public static AccessScope System { get; } = new(Guid.Empty, true, true, false, [], [], Access.Roles.All);

    public static AccessScope ForUser(Guid userId, IReadOnlyCollection<string> roles, IReadOnlyCollection<Guid> teamIds)
    {
        var admin = roles.Contains(Access.Roles.Administrator);
        var manager = roles.Contains(Access.Roles.Manager);
        var readOnly = !admin && (roles.Count == 0 || roles.All(r => r == Access.Roles.ReadOnly));
        return new AccessScope(userId, true, admin, readOnly, teamIds, manager ? teamIds : [], roles);
    }
}
