using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Motiv.Core.Access;
using Motiv.Core.Data;
using Motiv.Core.Identity;
using Motiv.Web.Hosting;

namespace Motiv.Testing;

/// <summary>
/// Motiv in-process on a fresh database of one provider, with a clock the test can move. Browser tests
/// run on the real clock instead: MudBlazor's debounce timers use the same TimeProvider.
/// </summary>
public sealed class MotivWebFactory(TestDatabase database, bool realTime = false) : WebApplicationFactory<Program>
{
    public TestDatabase Database { get; } = database;

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 26, 9, 0, 0, TimeSpan.Zero));

    /// <summary>The clock Motiv runs on.</summary>
    public TimeProvider Time => realTime ? TimeProvider.System : Clock;

    /// <summary>Motiv in memory on a fresh database; on the fake clock unless <paramref name="realTime"/> (when other processes share the database).</summary>
    public static async Task<MotivWebFactory> StartAsync(string provider, bool realTime = false)
    {
        var factory = new MotivWebFactory(await TestDatabase.CreateAsync(provider), realTime);
        _ = factory.Server; // builds the host: migrations and roles run now
        return factory;
    }

    /// <summary>Motiv on a real Kestrel port on 127.0.0.1, for browser tests; returns its base URL.</summary>
    public static async Task<(MotivWebFactory Factory, string BaseUrl)> StartKestrelAsync(string provider)
    {
        var factory = new MotivWebFactory(await TestDatabase.CreateAsync(provider), realTime: true);
        factory.UseKestrel(o => o.Listen(System.Net.IPAddress.Loopback, 0));
        factory.StartServer();
        var addresses = factory.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
            .Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()!.Addresses;
        return (factory, addresses.First().TrimEnd('/'));
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        // Outside Development the static web assets (blazor.web.js, MudBlazor's files) are only found when asked for.
        builder.UseStaticWebAssets();
        builder.UseSetting("Motiv:Database:Provider", Database.ProviderSetting);
        builder.UseSetting("ConnectionStrings:Motiv", Database.ConnectionString);
        // Background jobs run on their own timers; tests run their work directly, on the test's clock.
        builder.UseSetting("Motiv:Jobs:Enabled", "false");
        builder.UseSetting("Motiv:Import:Path", Path.Combine(Path.GetTempPath(), "motiv-tests", "imports", Guid.CreateVersion7().ToString("N")));
        builder.UseSetting("Motiv:Attachments:Path", Path.Combine(Path.GetTempPath(), "motiv-tests", "attachments", Guid.CreateVersion7().ToString("N")));
        builder.ConfigureServices(services => services.AddSingleton(Time));
    }

    /// <summary>A context that sees and may change everything, for arranging and checking state.</summary>
    public MotivDbContext SystemDb()
    {
        var scope = Services.CreateScope();
        var options = scope.ServiceProvider.GetRequiredService<DbContextOptions<MotivDbContext>>();
        return new MotivDbContext(options, new FixedCurrentUser(AccessScope.System), Time);
    }

    public async Task<T> WithScopeAsync<T>(Func<IServiceProvider, Task<T>> action)
    {
        await using var scope = Services.CreateAsyncScope();
        return await action(scope.ServiceProvider);
    }

    public async Task<Guid> CreateTeamAsync(string name)
    {
        await using var db = SystemDb();
        var team = db.Teams.Add(new Team { Id = Guid.CreateVersion7(), Name = name, CreatedAt = Time.GetUtcNow() }).Entity;
        await db.SaveChangesAsync();
        return team.Id;
    }

    public const string Password = "Test-Passw0rd";

    public Task<Guid> CreateUserAsync(string email, string role, params Guid[] teams) => WithScopeAsync(async sp =>
    {
        var users = sp.GetRequiredService<UserManager<MotivUser>>();
        var user = new MotivUser { Id = Guid.CreateVersion7(), Email = email, UserName = email, DisplayName = email.Split('@')[0], EmailConfirmed = true, CreatedAt = Time.GetUtcNow() };
        var result = await users.CreateAsync(user, Password);
        if (!result.Succeeded) throw new InvalidOperationException(string.Join("; ", result.Errors.Select(e => e.Description)));
        await users.AddToRoleAsync(user, role);
        await using var db = SystemDb();
        db.TeamMembers.AddRange(teams.Select(t => new TeamMember { TeamId = t, UserId = user.Id }));
        await db.SaveChangesAsync();
        return user.Id;
    });

    /// <summary>An HTTP client that calls the API as the user, with a fresh session token.</summary>
    public async Task<HttpClient> ClientForAsync(Guid userId, string? acceptLanguage = "en")
    {
        var token = await WithScopeAsync(sp => sp.GetRequiredService<TokenService>().IssueSessionTokenAsync(userId));
        return ClientWithToken(token.AccessToken, acceptLanguage);
    }

    public HttpClient ClientWithToken(string token, string? acceptLanguage = "en")
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (acceptLanguage is not null) client.DefaultRequestHeaders.AcceptLanguage.ParseAdd(acceptLanguage);
        return client;
    }

    /// <summary>Motiv's program as a process of its own on this factory's database (a command, or with ASPNETCORE_URLS a second web node).</summary>
    public System.Diagnostics.Process StartProcess(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var start = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(typeof(Program).Assembly.Location);
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment["Motiv__Database__Provider"] = Database.ProviderSetting;
        start.Environment["ConnectionStrings__Motiv"] = Database.ConnectionString;
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in environment) start.Environment[key] = value;
        return System.Diagnostics.Process.Start(start)!;
    }

    /// <summary>A summary of everything stored; equal before and after a refused request means nothing changed.</summary>
    public async Task<string> FingerprintAsync()
    {
        await using var db = SystemDb();
        var parts = new List<object>
        {
            await db.Organizations.IgnoreQueryFilters().CountAsync(), await db.Organizations.IgnoreQueryFilters().SumAsync(o => o.Version),
            await db.People.IgnoreQueryFilters().CountAsync(), await db.People.IgnoreQueryFilters().SumAsync(o => o.Version),
            await db.Relationships.IgnoreQueryFilters().CountAsync(), await db.Relationships.IgnoreQueryFilters().SumAsync(o => o.Version),
            await db.Products.IgnoreQueryFilters().CountAsync(), await db.Products.IgnoreQueryFilters().SumAsync(o => o.Version),
            await db.CustomFieldDefinitions.CountAsync(), await db.CustomFieldValues.CountAsync(), await db.SavedViews.CountAsync(),
            await db.ExchangeRates.CountAsync(),
            await db.Employments.CountAsync(), await db.AuditEntries.CountAsync(), await db.Users.CountAsync(),
            await db.Teams.CountAsync(), await db.TeamMembers.CountAsync(), await db.ApiTokens.CountAsync(t => t.RevokedAt == null),
            await db.UserRoles.CountAsync(),
            await db.Leads.IgnoreQueryFilters().CountAsync(), await db.Leads.IgnoreQueryFilters().SumAsync(o => o.Version),
            await db.Deals.IgnoreQueryFilters().CountAsync(), await db.Deals.IgnoreQueryFilters().SumAsync(o => o.Version),
            await db.Quotes.IgnoreQueryFilters().CountAsync(), await db.Quotes.IgnoreQueryFilters().SumAsync(o => o.Version),
            await db.Orders.IgnoreQueryFilters().CountAsync(), await db.Orders.IgnoreQueryFilters().SumAsync(o => o.Version),
            await db.DealStageChanges.CountAsync(), await db.QuoteRevisions.CountAsync(), await db.Set<Motiv.Core.Sales.NumberSequence>().SumAsync(n => n.Last),
            await db.Pipelines.CountAsync(), await db.Stages.CountAsync(), await db.PriceLists.CountAsync(), await db.PriceListEntries.CountAsync(),
            await db.LeadScoringRules.CountAsync(), await db.Quotas.CountAsync(), await db.Settings.CountAsync(),
            await db.Interactions.IgnoreQueryFilters().CountAsync(), await db.Interactions.IgnoreQueryFilters().SumAsync(o => o.Version), await db.Attachments.CountAsync(),
            await db.Tasks.IgnoreQueryFilters().CountAsync(), await db.Tasks.IgnoreQueryFilters().SumAsync(o => o.Version), await db.Notifications.CountAsync(),
            await db.MailTemplates.CountAsync(), await db.Mailboxes.CountAsync(), await db.MailFolderStates.CountAsync(),
            await db.MailMessages.CountAsync(), await db.MailMessages.CountAsync(m => m.State == Motiv.Core.Communication.MailMessageState.Review),
            await db.Set<Motiv.Core.Communication.InteractionParticipant>().CountAsync(p => p.Response != Motiv.Core.Communication.MeetingResponse.None),
            await db.ConsentEntries.CountAsync(), await db.WebForms.CountAsync(), await db.WebForms.SumAsync(f => f.Submissions),
            await db.Webhooks.CountAsync(), await db.WebhookDeliveries.CountAsync(),
            await db.MotiveEvidence.CountAsync(), await db.MotiveEvidence.CountAsync(e => e.Status != Motiv.Core.Empathy.EvidenceStatus.Open), await db.MotiveRatings.CountAsync(),
            await db.MotiveSnapshots.CountAsync(), await db.HealthScores.CountAsync(), await db.HealthHistory.CountAsync(), await db.ActionFeedback.CountAsync(),
            await db.Segments.CountAsync(), await db.AnalyticsRuns.CountAsync(), await db.DuplicateDismissals.CountAsync(),
            await db.Imports.CountAsync(), await db.Imports.SumAsync(j => j.RowsDone), await db.Imports.CountAsync(j => j.Status == Motiv.Core.Import.ImportStatus.Uploaded), await db.ImportRows.CountAsync(),
        };
        return string.Join("/", parts);
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Database.DisposeAsync();
    }
}
