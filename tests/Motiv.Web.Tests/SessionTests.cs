using Microsoft.AspNetCore.Mvc.Testing;

namespace Motiv.Web.Tests;

/// <summary>The UI's cookie sign-in, first-run setup, deactivation and the recycle bin's purge, on each database.</summary>
public sealed class SessionTests
{
    [Theory, MemberData(nameof(ApiWorld.Databases), MemberType = typeof(ApiWorld))]
    public async Task First_run_shows_setup_once_then_signs_in_and_deactivation_ends_the_session(string db)
    {
        if (db == TestDatabase.Postgres) Requirements.Postgres();
        await using var factory = await MotivWebFactory.StartAsync(db);
        var browser = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

        var home = await browser.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, home.StatusCode);
        Assert.Equal("/setup", home.Headers.Location!.OriginalString);
        var setup = await browser.GetStringAsync("/setup");
        Assert.Contains("Create the first administrator", setup);

        var weak = await PostFormAsync(browser, "/setup", "/account/setup", new() { ["displayName"] = "Ada", ["email"] = "ada@test.example", ["password"] = "short" });
        Assert.StartsWith("/setup?error=", weak.Headers.Location!.OriginalString);
        var created = await PostFormAsync(browser, "/setup", "/account/setup", new() { ["displayName"] = "Ada", ["email"] = "ada@test.example", ["password"] = "Abcdefgh12" });
        Assert.Equal("/", created.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/")).StatusCode);

        // Setup is over: a second administrator cannot be made this way, not even by a fresh visitor.
        var stranger = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var again = await PostFormAsync(stranger, "/login", "/account/setup", new() { ["displayName"] = "Eve", ["email"] = "eve@test.example", ["password"] = "Abcdefgh12" });
        Assert.Equal("/login", again.Headers.Location!.OriginalString);
        await using (var sys = factory.SystemDb()) Assert.Equal(1, sys.Users.Count());

        // A second user signs in with the form; deactivating them ends their cookie session with the next request.
        var salesId = await factory.CreateUserAsync("bob@test.example", Core.Access.Roles.Sales);
        var bob = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var wrong = await PostFormAsync(bob, "/login", "/account/login", new() { ["email"] = "bob@test.example", ["password"] = "nope", ["returnUrl"] = "/people" });
        Assert.StartsWith("/login?error=invalid", wrong.Headers.Location!.OriginalString);
        Assert.Contains("E-mail or password is wrong.", await bob.GetStringAsync(wrong.Headers.Location!.OriginalString));
        var login = await PostFormAsync(bob, "/login", "/account/login", new() { ["email"] = "bob@test.example", ["password"] = MotivWebFactory.Password, ["returnUrl"] = "/people" });
        Assert.Equal("/people", login.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await bob.GetAsync("/people")).StatusCode);

        var admin = await factory.ClientForAsync((await factory.WithScopeAsync(sp => Task.FromResult(sp.GetRequiredService<Core.Data.MotivDbContext>().Users.Single(u => u.Email == "ada@test.example").Id))));
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/v1/users/{salesId}")).StatusCode);
        var after = await bob.GetAsync("/people");
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.StartsWith("/login", after.Headers.Location!.PathAndQuery);

        // A forged form post (no antiforgery token) is refused.
        var forged = await stranger.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string> { ["email"] = "ada@test.example", ["password"] = "Abcdefgh12" }));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
    }

    [Theory, MemberData(nameof(ApiWorld.Databases), MemberType = typeof(ApiWorld))]
    public async Task The_recycle_bin_is_purged_after_the_retention_period(string db)
    {
        if (db == TestDatabase.Postgres) Requirements.Postgres();
        await using var factory = await MotivWebFactory.StartAsync(db);
        var userId = await factory.CreateUserAsync("owner@test.example", Core.Access.Roles.Sales);
        var client = await factory.ClientForAsync(userId);
        var (keep, _) = await client.CreateOrganizationAsync(new { name = "Bleibt GmbH" });
        var (gone, etag) = await client.CreateOrganizationAsync(new { name = "Weg GmbH" });
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/v1/organizations/{gone}", etag)).StatusCode);

        // The purge job's work (Quartz runs it every six hours; the tests run it on their clock).
        async Task<bool> PurgeAsync()
        {
            await using var scope = factory.Services.CreateAsyncScope();
            await using var sys = factory.SystemDb();
            await scope.ServiceProvider.GetRequiredService<Core.Common.RecycleBinService>().PurgeExpiredAsync(sys);
            await using var check = factory.SystemDb();
            return !check.Organizations.IgnoreQueryFilters().Any(o => o.Id == gone);
        }
        factory.Clock.Advance(TimeSpan.FromDays(29));
        Assert.False(await PurgeAsync(), "kept during the retention period");
        factory.Clock.Advance(TimeSpan.FromDays(2));
        var purged = await PurgeAsync();
        Assert.True(purged, "purged after 30 days");
        // The session token from a month ago has expired meanwhile; a new one sees the record that was not deleted.
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync($"/api/v1/organizations/{keep}")).StatusCode);
        var fresh = await factory.ClientForAsync(userId);
        Assert.Equal(HttpStatusCode.OK, (await fresh.GetAsync($"/api/v1/organizations/{keep}")).StatusCode);
    }

    [Fact]
    public async Task The_background_jobs_are_scheduled_when_enabled()
    {
        await using var factory = await MotivWebFactory.StartAsync(TestDatabase.Sqlite);
        await using var withJobs = factory.WithWebHostBuilder(b => b.UseSetting("Motiv:Jobs:Enabled", "true"));
        var scheduler = await withJobs.Services.GetRequiredService<Quartz.ISchedulerFactory>().GetScheduler(CancellationToken.None);
        var keys = await Quartz.SchedulerQueryExtensions.GetJobKeys(scheduler, Quartz.GroupMatcher<Quartz.JobKey>.AnyGroup(), CancellationToken.None);
        Assert.Equal(["AnalyticsJob", "HealthJob", "KeepInTouchJob", "MailSyncJob", "MotiveJob", "PurgeJob", "ReminderJob", "StatisticsJob", "WebhookJob"], keys.Select(k => k.Name).Order().ToArray());
    }

    private static async Task<HttpResponseMessage> PostFormAsync(HttpClient client, string page, string action, Dictionary<string, string> fields)
    {
        var html = await client.GetStringAsync(page);
        fields["__RequestVerificationToken"] = Api.AntiforgeryToken(html);
        return await client.PostAsync(action, new FormUrlEncodedContent(fields));
    }
}
