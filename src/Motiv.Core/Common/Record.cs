namespace Motiv.Core.Common;

/// <summary>Who may read a record besides its owner.</summary>
public enum Visibility
{
    Private = 0,
    Team = 1,
    Everyone = 2,
}

/// <summary>
/// The base of every business record: owner, team, visibility, created/updated stamps, a
/// concurrency version and soft-delete state. The stamps are written by <see cref="Data.MotivDbContext"/>
/// when it saves; nothing else sets them.
/// </summary>
public abstract class Record
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid OwnerId { get; set; }
    public Guid? TeamId { get; set; }
    public Visibility Visibility { get; set; } = Visibility.Team;
    public DateTimeOffset CreatedAt { get; set; }
    public Guid CreatedById { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public Guid UpdatedById { get; set; }
    public long Version { get; set; }
    public DateTimeOffset? DeletedAt { get; set; }
    public Guid? DeletedById { get; set; }

    /// <summary>Tags in stored form: ",vip,key-account," (lower case, comma-delimited) so a tag filter is one indexable string test.</summary>
    public string Tags { get; set; } = "";

    /// <summary>The record type's stable name, as used in the API, the audit log and the search index.</summary>
    public abstract string RecordType { get; }

    /// <summary>The text shown for the record in search results, history and the recycle bin.</summary>
    public abstract string DisplayName { get; }
}
