namespace Motiv.Core.Common;

/// <summary>Input that breaks a rule; each entry names the field (camelCase, as in the API) and says what is wrong in the user's language.
/// <see cref="IsQuery"/> marks a bad request parameter (sort, cursor, limit) rather than a bad record.</summary>
public sealed class ValidationException(IReadOnlyDictionary<string, string[]> errors, bool isQuery = false)
    : Exception("Validation failed: " + string.Join("; ", errors.Select(e => e.Key + ": " + string.Join(", ", e.Value))))
{
    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors;

    public bool IsQuery { get; } = isQuery;

    public static ValidationException For(string field, string message) => new(new Dictionary<string, string[]> { [field] = [message] });

    public static ValidationException ForQuery(string field, string message) => new(new Dictionary<string, string[]> { [field] = [message] }, isQuery: true);
}

/// <summary>The record does not exist, or the current user may not see it (the two are never told apart).</summary>
public sealed class NotFoundException(string recordType, Guid id) : Exception($"{recordType} {id} was not found.")
{
    public string RecordType { get; } = recordType;
    public Guid Id { get; } = id;
}

/// <summary>The current user may see the record but may not do this to it.</summary>
public sealed class AccessDeniedException(string message) : Exception(message);

/// <summary>The record changed since the caller read it; <see cref="Changes"/> says what changed, by whom and when.</summary>
public sealed class ConcurrencyException(string recordType, Guid id, long expectedVersion, long currentVersion, IReadOnlyList<Audit.HistoryEntry> changes)
    : Exception($"{recordType} {id} is at version {currentVersion}, not {expectedVersion}.")
{
    public string RecordType { get; } = recordType;
    public Guid Id { get; } = id;
    public long ExpectedVersion { get; } = expectedVersion;
    public long CurrentVersion { get; } = currentVersion;
    public IReadOnlyList<Audit.HistoryEntry> Changes { get; } = changes;
}
