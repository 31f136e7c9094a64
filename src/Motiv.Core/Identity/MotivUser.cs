using Microsoft.AspNetCore.Identity;

namespace Motiv.Core.Identity;

public sealed class MotivUser : IdentityUser<Guid>
{
    public string DisplayName { get; set; } = "";
    public bool IsActive { get; set; } = true;

    /// <summary>"de" or "en"; null follows the browser.</summary>
    public string? Culture { get; set; }

    /// <summary>IANA time zone id, e.g. "Europe/Berlin".</summary>
    public string TimeZone { get; set; } = "Europe/Berlin";

    public DateTimeOffset CreatedAt { get; set; }
}

public sealed class MotivRole : IdentityRole<Guid>
{
    public MotivRole() { }
    public MotivRole(string name) : base(name) { }
}

public sealed class Team
{
    public Guid Id { get; set; }
    public string Name { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public List<TeamMember> Members { get; set; } = [];
}

public sealed class TeamMember
{
    public Guid TeamId { get; set; }
    public Guid UserId { get; set; }
}

public enum TokenKind
{
    /// <summary>Issued by POST /api/v1/auth/token, expires after hours.</summary>
    Session = 0,

    /// <summary>Created by the user in the UI or with the CLI, lives until revoked or its expiry.</summary>
    Personal = 1,
}

/// <summary>A bearer token. Only its SHA-256 hash is stored; the token itself is shown once.</summary>
public sealed class ApiToken
{
    public Guid Id { get; set; }
    public Guid UserId { get; set; }
    public TokenKind Kind { get; set; }
    public string Name { get; set; } = "";
    public string Hash { get; set; } = "";
    public bool ReadOnly { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? ExpiresAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
}
