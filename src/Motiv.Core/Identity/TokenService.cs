using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Motiv.Core.Access;
using Motiv.Core.Common;
using Motiv.Core.Data;

namespace Motiv.Core.Identity;

public sealed record IssuedToken(Guid Id, string AccessToken, DateTimeOffset? ExpiresAt);

public sealed record TokenInfo(Guid Id, string Name, TokenKind Kind, bool ReadOnly, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt, DateTimeOffset? RevokedAt);

/// <summary>The identity behind a valid bearer token, with its (active) user's row read in the same query.</summary>
public sealed record TokenPrincipal(Guid UserId, Guid TokenId, bool ReadOnly, Access.UserRow User);

/// <summary>Bearer tokens: random, shown once, stored as SHA-256 hashes, revocable, read-only or read-write.</summary>
public sealed class TokenService(IDbContextFactory<MotivDbContext> dbFactory, TimeProvider clock)
{
    public static readonly TimeSpan SessionLifetime = TimeSpan.FromHours(8);
    private const string Prefix = "motiv_";

    public Task<IssuedToken> IssueSessionTokenAsync(Guid userId, CancellationToken ct = default) =>
        IssueAsync(userId, TokenKind.Session, "session", readOnly: false, clock.GetUtcNow().Add(SessionLifetime), ct);

    public Task<IssuedToken> CreatePersonalTokenAsync(Guid userId, string name, bool readOnly, DateTimeOffset? expiresAt, CancellationToken ct = default)
    {
        var errors = new FieldErrors();
        name = errors.Required("name", name, 100);
        if (expiresAt is { } e && e <= clock.GetUtcNow()) errors.Add("expiresAt", Text.Get("Validation.Future"));
        errors.ThrowIfAny();
        return IssueAsync(userId, TokenKind.Personal, name, readOnly, expiresAt?.ToUniversalTime(), ct);
    }

    /// <summary>Revokes all of a user's tokens (on deactivation), so reactivating the user does not revive them.</summary>
    public async Task RevokeAllAsync(Guid userId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow();
        await db.ApiTokens.Where(t => t.UserId == userId && t.RevokedAt == null).ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, now), ct);
    }

    private async Task<IssuedToken> IssueAsync(Guid userId, TokenKind kind, string name, bool readOnly, DateTimeOffset? expiresAt, CancellationToken ct)
    {
        var secret = Prefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var token = new ApiToken
        {
            Id = Guid.CreateVersion7(), UserId = userId, Kind = kind, Name = name, Hash = Hash(secret),
            ReadOnly = readOnly, CreatedAt = clock.GetUtcNow(), ExpiresAt = expiresAt,
        };
        db.ApiTokens.Add(token);
        await db.SaveChangesAsync(ct);
        return new IssuedToken(token.Id, secret, expiresAt);
    }

    /// <summary>The token's user, when the token is known, neither revoked nor expired, and the user is active.</summary>
    public async Task<TokenPrincipal?> ValidateAsync(string secret, CancellationToken ct = default)
    {
        if (!secret.StartsWith(Prefix, StringComparison.Ordinal) || secret.Length > 100) return null;
        var hash = Hash(secret);
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await Principals.GetValue(db.Model, _ => CompilePrincipal())(db, hash, now, ct);
    }

    /// <summary>
    /// Compiled once per model (a compiled query is bound to the model it was first run with; tests run both databases in
    /// one process): this runs on every API request, and EF's preparation of the query cost as much as reading the row.
    /// </summary>
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<Microsoft.EntityFrameworkCore.Metadata.IModel,
        Func<MotivDbContext, string, DateTimeOffset, CancellationToken, Task<TokenPrincipal?>>> Principals = [];

    private static Func<MotivDbContext, string, DateTimeOffset, CancellationToken, Task<TokenPrincipal?>> CompilePrincipal() =>
        EF.CompileAsyncQuery((MotivDbContext db, string hash, DateTimeOffset now, CancellationToken ct) => db.ApiTokens.AsNoTracking()
            .Where(t => t.Hash == hash && t.RevokedAt == null && (t.ExpiresAt == null || t.ExpiresAt > now))
            .Join(db.Users.Where(u => u.IsActive), t => t.UserId, u => u.Id,
                (t, u) => new TokenPrincipal(t.UserId, t.Id, t.ReadOnly, new Access.UserRow(u.DisplayName, u.TimeZone, u.ConcurrencyStamp ?? "")))
            .FirstOrDefault());

    public async Task<IReadOnlyList<TokenInfo>> ListAsync(Guid userId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.ApiTokens.AsNoTracking().Where(t => t.UserId == userId && t.Kind == TokenKind.Personal)
            .OrderByDescending(t => t.CreatedAt)
            .Select(t => new TokenInfo(t.Id, t.Name, t.Kind, t.ReadOnly, t.CreatedAt, t.ExpiresAt, t.RevokedAt)).ToListAsync(ct);
    }

    public async Task RevokeAsync(Guid userId, Guid tokenId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var token = await db.ApiTokens.FirstOrDefaultAsync(t => t.Id == tokenId && t.UserId == userId, ct)
            ?? throw new NotFoundException("token", tokenId);
        token.RevokedAt ??= clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
    }

    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
}
