namespace Motiv.Core.Access;

/// <summary>The fixed roles. A user has one or more; the most permissive one counts.</summary>
public static class Roles
{
    public const string Administrator = "Administrator";
    public const string Manager = "Manager";
    public const string Sales = "Sales";
    public const string Service = "Service";
    public const string Marketing = "Marketing";
    public const string ReadOnly = "ReadOnly";

    public static IReadOnlyList<string> All { get; } = [Administrator, Manager, Sales, Service, Marketing, ReadOnly];
}
