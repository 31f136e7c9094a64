namespace Motiv.Core.Access;

/// <summary>The user on whose behalf the current operation runs.</summary>
public interface ICurrentUser
{
    AccessScope Scope { get; }
}

/// <summary>A fixed scope: for Motiv's own work (demo data, jobs) and for tests.</summary>
public sealed class FixedCurrentUser(AccessScope scope) : ICurrentUser
{
    public AccessScope Scope { get; } = scope;
}
