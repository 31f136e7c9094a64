using System.Security.Cryptography;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Motiv.Core.Access;
using Motiv.Core.Demo;
using Motiv.Core.Identity;

namespace Motiv.Web.Hosting;

/// <summary>What happens before Motiv serves its first request: migrations, roles, and with --demo the demo data.</summary>
public static class MotivStartup
{
    public static async Task PrepareDatabaseAsync(this WebApplication app, bool demo)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        await using var db = SystemDb.Create(services);
        // Several web nodes may start at once on one PostgreSQL: one prepares the database, the others wait for it and then find nothing to do.
        if (!db.IsSqlite)
        {
            await db.Database.OpenConnectionAsync();
            await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_lock(" + StartupLock + ")");
        }
        try
        {
            await PrepareAsync(app, services, db, demo);
        }
        finally
        {
            if (!db.IsSqlite) await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_unlock(" + StartupLock + ")");
        }
    }

    /// <summary>An arbitrary number of Motiv's own for PostgreSQL's advisory lock around start-up.</summary>
    private const string StartupLock = "332582381942"; // "Motiv" in ASCII, as a number

    private static async Task PrepareAsync(WebApplication app, IServiceProvider services, Core.Data.MotivDbContext db, bool demo)
    {
        // A migration that rewrites or indexes a large table takes minutes, far past the 30 s a request may take.
        db.Database.SetCommandTimeout(TimeSpan.FromHours(2));
        await db.Database.MigrateAsync();
        if (db.IsSqlite) await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
        await StatisticsJob.RefreshAsync(db);
        await Motiv.Core.Sales.SalesDefaults.EnsureAsync(db);

        var roles = services.GetRequiredService<RoleManager<MotivRole>>();
        foreach (var role in Roles.All)
            if (!await roles.RoleExistsAsync(role)) await roles.CreateAsync(new MotivRole(role) { Id = Guid.CreateVersion7() });

        if (!demo) return;
        var configured = app.Configuration["Motiv:Demo:Password"];
        var password = string.IsNullOrEmpty(configured) ? GeneratePassword() : configured;
        await using var seedDb = SystemDb.Create(services);
        var seeded = await services.GetRequiredService<DemoData>().SeedAsync(seedDb, password);
        if (!seeded) await ResetDemoPasswordsAsync(services.GetRequiredService<UserManager<MotivUser>>(), password);
        app.Lifetime.ApplicationStarted.Register(() => PrintDemo(app, password, seeded));
    }

    /// <summary>On a later --demo start the demo users get this run's password, so the printed logins always work.</summary>
    private static async Task ResetDemoPasswordsAsync(UserManager<MotivUser> users, string password)
    {
        foreach (var login in DemoData.Logins)
        {
            var user = await users.FindByEmailAsync(login.Email);
            if (user is null) continue;
            await users.RemovePasswordAsync(user);
            await users.AddPasswordAsync(user, password);
            await users.SetLockoutEndDateAsync(user, null);
        }
    }

    private static string GeneratePassword()
    {
        const string letters = "abcdefghjkmnpqrstuvwxyz";
        var random = new string(Enumerable.Range(0, 6).Select(_ => letters[RandomNumberGenerator.GetInt32(letters.Length)]).ToArray());
        return $"Demo-{random}-{RandomNumberGenerator.GetInt32(1000, 10000)}";
    }

    private static void PrintDemo(WebApplication app, string password, bool seeded)
    {
        var urls = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var lines = new List<string>
        {
            "",
            "Motiv is running" + (seeded ? " with fresh demo data." : " with the demo data of an earlier run."),
            "Open: " + string.Join(", ", urls),
            "Demo logins (password for all: " + password + "):",
        };
        lines.AddRange(DemoData.Logins.Select(l => $"  {l.Email,-24} {l.Role,-14} team {l.Team}"));
        lines.Add("Public web form (no sign-in): " + (urls.FirstOrDefault() ?? "") + "/forms/kontakt");
        lines.Add("");
        Console.WriteLine(string.Join(Environment.NewLine, lines));
    }
}
