using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Motiv.Core.Access;
using Motiv.Core.Common;
using Motiv.Core.Data;

namespace Motiv.Core.Identity;

public sealed record UserDto(Guid Id, string Email, string DisplayName, bool IsActive, IReadOnlyList<string> Roles, IReadOnlyList<Guid> TeamIds, string? Culture, string TimeZone);

public sealed record UserInput
{
    public string? Email { get; set; }
    public string? DisplayName { get; set; }
    public string? Password { get; set; }
    public List<string>? Roles { get; set; }
    public List<Guid>? TeamIds { get; set; }
    public bool? IsActive { get; set; }
    public string? Culture { get; set; }
    public string? TimeZone { get; set; }
}

public sealed record TeamDto(Guid Id, string Name, IReadOnlyList<Guid> MemberIds);

public sealed record TeamInput(string? Name, List<Guid>? MemberIds);

/// <summary>Users and teams. Everyone signed in may list them (to pick owners); only administrators change them.</summary>
public sealed class UserAdminService(IDbContextFactory<MotivDbContext> dbFactory, IServiceScopeFactory scopes, TokenService tokens, ICurrentUser currentUser, TimeProvider clock)
{
    public Task<IReadOnlyList<UserDto>> ListUsersAsync(CancellationToken ct = default) => QueryUsersAsync(null, ct);

    /// <summary>One user, read on its own rather than by listing everyone.</summary>
    public async Task<UserDto> GetUserAsync(Guid id, CancellationToken ct = default) =>
        (await QueryUsersAsync(id, ct)).SingleOrDefault() ?? throw new NotFoundException("user", id);

    private async Task<IReadOnlyList<UserDto>> QueryUsersAsync(Guid? id, CancellationToken ct)
    {
        RequireSignedIn();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var users = db.Users.AsNoTracking().Where(u => id == null || u.Id == id);
        var found = await users.OrderBy(u => u.DisplayName).ToListAsync(ct);
        var roles = await db.UserRoles.Where(ur => id == null || ur.UserId == id)
            .Join(db.Roles, ur => ur.RoleId, r => r.Id, (ur, r) => new { ur.UserId, r.Name }).ToListAsync(ct);
        var teams = await db.TeamMembers.AsNoTracking().Where(t => id == null || t.UserId == id).ToListAsync(ct);
        return found.Select(u => new UserDto(u.Id, u.Email!, u.DisplayName, u.IsActive,
            roles.Where(r => r.UserId == u.Id).Select(r => r.Name!).Order().ToList(),
            teams.Where(t => t.UserId == u.Id).Select(t => t.TeamId).ToList(), u.Culture, u.TimeZone)).ToList();
    }

    public async Task<UserDto> CreateUserAsync(UserInput input, CancellationToken ct = default)
    {
        RequireAdministrator();
        var user = new MotivUser { Id = Guid.CreateVersion7(), CreatedAt = clock.GetUtcNow(), EmailConfirmed = true };
        await using var scope = scopes.CreateAsyncScope();
        await SaveUserAsync(scope.ServiceProvider.GetRequiredService<UserManager<MotivUser>>(), user, input, isNew: true, ct);
        return await GetUserAsync(user.Id, ct);
    }

    public async Task<UserDto> UpdateUserAsync(Guid id, UserInput input, CancellationToken ct = default)
    {
        RequireAdministrator();
        // A fresh scope per change: a Blazor circuit lives long, and a rejected change must not linger in a shared context.
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<MotivUser>>();
        var user = await users.FindByIdAsync(id.ToString()) ?? throw new NotFoundException("user", id);
        if (id == currentUser.Scope.UserId && (input.IsActive == false || (input.Roles is { } r && !r.Contains(Roles.Administrator))))
            throw ValidationException.For(input.IsActive == false ? "isActive" : "roles", Text.Get("Validation.NotYourself"));
        await SaveUserAsync(users, user, input, isNew: false, ct);
        return await GetUserAsync(id, ct);
    }

    /// <summary>Creates the first administrator; refused once any user exists.</summary>
    public async Task<UserDto> SetupFirstAdministratorAsync(UserInput input, CancellationToken ct = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<MotivUser>>();
        if (await users.Users.AnyAsync(ct)) throw new AccessDeniedException(Text.Get("Setup.AlreadyDone"));
        var user = new MotivUser { Id = Guid.CreateVersion7(), CreatedAt = clock.GetUtcNow(), EmailConfirmed = true };
        await SaveUserAsync(users, user, input with { Roles = [Roles.Administrator], IsActive = true }, isNew: true, ct);
        return new UserDto(user.Id, user.Email!, user.DisplayName, true, [Roles.Administrator], [], user.Culture, user.TimeZone);
    }

    /// <summary>Checks everything first (the password with Identity's own validators), then writes; a refused change writes nothing.</summary>
    private async Task SaveUserAsync(UserManager<MotivUser> users, MotivUser user, UserInput input, bool isNew, CancellationToken ct)
    {
        var errors = new FieldErrors();
        if (isNew || input.Email is not null)
        {
            var email = errors.Email("email", input.Email);
            if (email is null) errors.Add("email", Text.Get("Validation.Required"));
            else if (await users.Users.AnyAsync(u => u.NormalizedEmail == email.ToUpperInvariant() && u.Id != user.Id, ct)) errors.Add("email", Text.Get("Validation.EmailTaken"));
            user.Email = user.UserName = email;
        }
        if (isNew || input.DisplayName is not null) user.DisplayName = errors.Required("displayName", input.DisplayName, 200);
        if (isNew && string.IsNullOrEmpty(input.Password)) errors.Add("password", Text.Get("Validation.Required"));
        if (!string.IsNullOrEmpty(input.Password))
        {
            foreach (var validator in users.PasswordValidators)
            {
                var check = await validator.ValidateAsync(users, user, input.Password);
                foreach (var e in check.Errors) errors.Add("password", e.Description);
            }
        }
        foreach (var role in input.Roles ?? [])
            if (!Roles.All.Contains(role)) errors.Add("roles", Text.Get("Validation.UnknownRole", role));
        if (input.Culture is { } c && c is not ("de" or "en" or "")) errors.Add("culture", Text.Get("Validation.Language"));
        if (input.TimeZone is { } tz && !TimeZoneInfo.TryFindSystemTimeZoneById(tz, out _)) errors.Add("timeZone", Text.Get("Validation.TimeZone"));
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var teamIds = input.TeamIds?.Distinct().ToList();
        if (teamIds is not null && await db.Teams.CountAsync(t => teamIds.Contains(t.Id), ct) != teamIds.Count) errors.Add("teamIds", Text.Get("Validation.UnknownTeam"));
        errors.ThrowIfAny();

        if (input.Culture is not null) user.Culture = input.Culture.Length == 0 ? null : input.Culture;
        if (input.TimeZone is not null) user.TimeZone = input.TimeZone;
        var deactivating = input.IsActive == false && user.IsActive;
        if (input.IsActive is { } active) user.IsActive = active;

        if (!isNew && !string.IsNullOrEmpty(input.Password)) user.PasswordHash = users.PasswordHasher.HashPassword(user, input.Password);
        // A new security stamp ends the user's cookie sessions at their next request.
        if (deactivating) user.SecurityStamp = Guid.CreateVersion7().ToString("N");
        var result = isNew ? await users.CreateAsync(user, input.Password!) : await users.UpdateAsync(user);
        ThrowOnFailure(result, "email");
        // Tokens are revoked, not merely blocked: reactivating the user must not revive a leaked token.
        if (deactivating) await tokens.RevokeAllAsync(user.Id, ct);
        if (input.Roles is not null)
        {
            var current = await users.GetRolesAsync(user);
            ThrowOnFailure(await users.RemoveFromRolesAsync(user, current.Except(input.Roles)), "roles");
            ThrowOnFailure(await users.AddToRolesAsync(user, input.Roles.Except(current).Distinct()), "roles");
        }
        if (teamIds is not null)
        {
            await db.TeamMembers.Where(m => m.UserId == user.Id).ExecuteDeleteAsync(ct);
            db.TeamMembers.AddRange(teamIds.Select(t => new TeamMember { TeamId = t, UserId = user.Id }));
            await db.SaveChangesAsync(ct);
            await AccessScopeLoader.ChangedAsync(db, [user.Id], ct);
        }
    }

    private static void ThrowOnFailure(IdentityResult result, string field)
    {
        if (!result.Succeeded) throw new ValidationException(new Dictionary<string, string[]> { [field] = result.Errors.Select(e => e.Description).ToArray() });
    }

    public async Task<IReadOnlyList<TeamDto>> ListTeamsAsync(CancellationToken ct = default)
    {
        RequireSignedIn();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Teams.AsNoTracking().OrderBy(t => t.Name)
            .Select(t => new TeamDto(t.Id, t.Name, t.Members.Select(m => m.UserId).ToList())).ToListAsync(ct);
    }

    public async Task<TeamDto> SaveTeamAsync(Guid? id, TeamInput input, CancellationToken ct = default)
    {
        RequireAdministrator();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var team = id is { } existing
            ? await db.Teams.Include(t => t.Members).FirstOrDefaultAsync(t => t.Id == existing, ct) ?? throw new NotFoundException("team", existing)
            : db.Teams.Add(new Team { Id = Guid.CreateVersion7(), CreatedAt = clock.GetUtcNow() }).Entity;
        var errors = new FieldErrors();
        if (id is null || input.Name is not null)
        {
            team.Name = errors.Required("name", input.Name, 100);
            if (await db.Teams.AnyAsync(t => t.Name == team.Name && t.Id != team.Id, ct)) errors.Add("name", Text.Get("Validation.NameTaken"));
        }
        var affected = team.Members.Select(m => m.UserId).ToList();
        if (input.MemberIds is { } members)
        {
            var distinct = members.Distinct().ToList();
            affected.AddRange(distinct);
            if (await db.Users.CountAsync(u => distinct.Contains(u.Id), ct) != distinct.Count) errors.Add("memberIds", Text.Get("Validation.UnknownUser"));
            team.Members.RemoveAll(m => !distinct.Contains(m.UserId));
            team.Members.AddRange(distinct.Where(u => team.Members.All(m => m.UserId != u)).Select(u => new TeamMember { TeamId = team.Id, UserId = u }));
        }
        errors.ThrowIfAny();
        await db.SaveChangesAsync(ct);
        if (input.MemberIds is not null) await AccessScopeLoader.ChangedAsync(db, affected, ct);
        return new TeamDto(team.Id, team.Name, team.Members.Select(m => m.UserId).ToList());
    }

    public async Task DeleteTeamAsync(Guid id, CancellationToken ct = default)
    {
        RequireAdministrator();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var team = await db.Teams.FirstOrDefaultAsync(t => t.Id == id, ct) ?? throw new NotFoundException("team", id);
        var members = await db.TeamMembers.Where(m => m.TeamId == id).Select(m => m.UserId).ToListAsync(ct);
        db.Teams.Remove(team);
        await db.SaveChangesAsync(ct);
        await AccessScopeLoader.ChangedAsync(db, members, ct);
    }

    private void RequireSignedIn()
    {
        if (!currentUser.Scope.IsAuthenticated) throw new AccessDeniedException(Text.Get("Access.SignIn"));
    }

    private void RequireAdministrator()
    {
        if (!currentUser.Scope.CanAdminister) throw new AccessDeniedException(Text.Get("Access.AdministratorsOnly"));
    }

    /// <summary>The signed-in user's own language ("de" or "en"), used at their next sign-in.</summary>
    public async Task SetMyCultureAsync(string culture, CancellationToken ct = default)
    {
        RequireSignedIn();
        if (culture is not ("de" or "en")) throw ValidationException.For("culture", Text.Get("Validation.Language"));
        var me = currentUser.Scope.UserId;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await db.Users.Where(u => u.Id == me).ExecuteUpdateAsync(s => s.SetProperty(u => u.Culture, culture), ct);
    }
}
