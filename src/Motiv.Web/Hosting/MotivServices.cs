using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Motiv.Core;
using Motiv.Core.Access;
using Motiv.Core.Audit;
using Motiv.Core.Common;
using Motiv.Core.Customers;
using Motiv.Core.Data;
using Motiv.Core.Demo;
using Motiv.Core.Identity;
using Motiv.Core.Search;
using Motiv.Data.Postgres;
using Motiv.Data.Sqlite;
using Motiv.Web.Api;
using Motiv.Web.Auth;
using MudBlazor.Services;

namespace Motiv.Web.Hosting;

public static class MotivServices
{
    public const string DefaultSqlite = "Data Source=data/motiv.db";

    public static string Provider(IConfiguration config) => config["Motiv:Database:Provider"] ?? "Sqlite";

    public static void AddMotiv(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var config = builder.Configuration;
        services.AddSingleton(TimeProvider.System);

        // Built once, when the first context is made (so that test hosts can set the database after Program has run); the factory
        // is scoped because each context carries the request's user.
        services.AddSingleton(sp =>
        {
            var configuration = sp.GetRequiredService<IConfiguration>();
            var provider = Provider(configuration);
            var connectionString = configuration.GetConnectionString("Motiv") ?? DefaultSqlite;
            var options = new DbContextOptionsBuilder<MotivDbContext>().UseApplicationServiceProvider(sp);
            if (provider.Equals("Postgres", StringComparison.OrdinalIgnoreCase)) options.UseMotivPostgres(connectionString);
            else if (provider.Equals("Sqlite", StringComparison.OrdinalIgnoreCase)) options.UseMotivSqlite(PrepareSqlite(connectionString));
            else throw new InvalidOperationException($"Motiv:Database:Provider must be Sqlite or Postgres, not '{provider}'.");
            // Lists count up to a limit with Take before Count (Paging), where the order cannot matter.
            options.ConfigureWarnings(w => w.Ignore(CoreEventId.RowLimitingOperationWithoutOrderByWarning));
            return options.Options;
        });
        services.AddDbContextFactory<MotivDbContext>(lifetime: ServiceLifetime.Scoped);
        // ASP.NET Core Identity's stores want a context of their own.
        services.AddScoped(sp => sp.GetRequiredService<IDbContextFactory<MotivDbContext>>().CreateDbContext());

        services.AddSingleton<SetupState>();
        services.AddScoped<CurrentUser>();
        services.AddScoped<ICurrentUser>(sp => sp.GetRequiredService<CurrentUser>());
        services.AddScoped<OrganizationService>();
        services.AddScoped<PersonService>();
        services.AddScoped<RelationshipService>();
        services.AddScoped<Motiv.Core.CustomFields.CustomFieldService>();
        services.AddScoped<Motiv.Core.Views.ViewService>();
        services.AddScoped<Motiv.Core.Sales.ProductService>();
        services.AddScoped<Motiv.Core.Sales.ExchangeRateService>();
        services.AddScoped<Motiv.Core.Sales.PipelineService>();
        services.AddScoped<Motiv.Core.Sales.DealService>();
        services.AddScoped<Motiv.Core.Sales.LeadService>();
        services.AddScoped<Motiv.Core.Sales.PriceListService>();
        services.AddScoped<Motiv.Core.Sales.QuoteService>();
        services.AddScoped<Motiv.Core.Sales.QuotePdf>();
        services.AddScoped<Motiv.Core.Sales.OrderService>();
        services.AddScoped<Motiv.Core.Sales.ForecastService>();
        services.AddScoped<Motiv.Core.Common.SettingsService>();
        services.AddScoped<Motiv.Core.Communication.InteractionService>();
        services.AddScoped<Motiv.Core.Communication.AttachmentStore>();
        services.AddScoped<Motiv.Core.Communication.MailService>();
        services.AddScoped<Motiv.Core.Communication.CalendarService>();
        services.AddScoped<Motiv.Core.Communication.MailboxService>();
        services.AddScoped<Motiv.Core.Communication.ConsentService>();
        services.AddScoped<Motiv.Core.Communication.WebFormService>();
        services.AddScoped<Motiv.Core.Integration.WebhookService>();
        services.AddScoped<Motiv.Core.Empathy.MotiveTaxonomyService>();
        services.AddScoped<Motiv.Core.Empathy.MotiveService>();
        services.AddScoped<Motiv.Core.Empathy.HealthService>();
        services.AddScoped<Motiv.Core.Empathy.NextBestActionService>();
        services.AddScoped<Motiv.Core.Empathy.PersonExportService>();
        services.AddScoped<Motiv.Core.Analytics.InsightsService>();
        services.AddScoped<Motiv.Core.Analytics.ExportService>();
        services.AddSingleton<Motiv.Core.Import.ImportTargets>();
        services.AddScoped<DuplicateService>();
        services.AddScoped<MergeService>();
        services.AddSingleton<Motiv.Core.Import.WorkQueue>();
        services.AddScoped<Motiv.Core.Analytics.SegmentService>();
        services.AddScoped<Motiv.Core.Analytics.AnalyticsRunService>();
        services.AddScoped<Motiv.Core.Analytics.ReportService>();
        services.AddScoped<Motiv.Core.Analytics.DashboardService>();
        services.AddScoped<Motiv.Core.Import.ImportService>();
        services.AddScoped<Motiv.Core.Import.ImportRunner>();
        services.AddHostedService<BackgroundWorker>();
        services.Configure<Motiv.Core.Import.ImportOptions>(config.GetSection("Motiv:Import"));
        services.AddSingleton<Motiv.Core.Empathy.IProductSuggestions, Motiv.Core.Empathy.CatalogueSuggestions>();
        services.AddFormRateLimit(config);
        services.Configure<Motiv.Core.Communication.LinkOptions>(config.GetSection("Motiv"));
        services.Configure<Motiv.Core.Communication.MailSyncOptions>(config.GetSection("Motiv:MailSync"));
        services.AddSingleton<Motiv.Core.Communication.ISecretProtector, SecretProtector>();
        services.Configure<Motiv.Core.Communication.AttachmentOptions>(config.GetSection("Motiv:Attachments"));
        services.Configure<Motiv.Core.Sales.SalesOptions>(config.GetSection("Motiv:Sales"));
        services.AddScoped<RecycleBinService>();
        services.AddScoped<AuditService>();
        services.AddScoped<SearchService>();
        services.AddScoped<TokenService>();
        services.AddScoped<UserAdminService>();
        services.AddScoped<DemoData>();
        services.Configure<RecycleBinOptions>(config.GetSection("Motiv:RecycleBin"));

        services.AddIdentityCore<MotivUser>(o =>
            {
                o.User.RequireUniqueEmail = true;
                o.Password.RequiredLength = 10;
                o.Password.RequireNonAlphanumeric = false;
                o.Lockout.MaxFailedAccessAttempts = 5;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(5);
                o.Lockout.AllowedForNewUsers = true;
            })
            .AddRoles<MotivRole>()
            .AddEntityFrameworkStores<MotivDbContext>()
            .AddSignInManager()
            .AddErrorDescriber<LocalizedIdentityErrors>();
        services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = TimeSpan.Zero);
        services.AddAuthentication(o =>
            {
                o.DefaultScheme = "Motiv";
                o.DefaultChallengeScheme = IdentityConstants.ApplicationScheme;
                o.DefaultSignInScheme = IdentityConstants.ApplicationScheme;
            })
            // A bearer header means the API's token scheme, anything else the UI's cookie; the API group itself accepts tokens only.
            .AddPolicyScheme("Motiv", "Motiv", o => o.ForwardDefaultSelector = http =>
                http.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                    ? BearerTokenHandler.SchemeName
                    : IdentityConstants.ApplicationScheme)
            .AddScheme<AuthenticationSchemeOptions, BearerTokenHandler>(BearerTokenHandler.SchemeName, null)
            .AddIdentityCookies();
        services.ConfigureApplicationCookie(o =>
        {
            o.LoginPath = "/login";
            o.LogoutPath = "/account/logout";
            o.Cookie.Name = "motiv.auth";
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.ExpireTimeSpan = TimeSpan.FromHours(12);
            o.SlidingExpiration = true;
        });
        services.AddAuthorizationBuilder()
            .AddPolicy(BearerTokenHandler.SchemeName, p => p.AddAuthenticationSchemes(BearerTokenHandler.SchemeName).RequireAuthenticatedUser());
        services.AddCascadingAuthenticationState();
        services.AddScoped<CircuitHandler, CircuitUserRefresher>();

        services.AddLocalization();
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddMudServices();
        services.AddAntiforgery();
        DatabaseKeyRepository.AddMotivDataProtection(services);

        services.AddProblemDetails();
        services.AddExceptionHandler<ProblemExceptionHandler>();
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
            o.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        });
        services.AddOpenApi();
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database");

        if (config.GetValue("Motiv:Jobs:Enabled", true)) services.AddMotivJobs(config);
        services.AddScoped<Motiv.Core.Activities.TaskService>();
    }

    /// <summary>Creates the folder of a SQLite file so the default works on a fresh clone.</summary>
    private static string PrepareSqlite(string connectionString)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        if (builder.DataSource is { Length: > 0 } file && file != ":memory:" && !builder.DataSource.StartsWith("file:", StringComparison.Ordinal))
        {
            var folder = Path.GetDirectoryName(Path.GetFullPath(file));
            if (folder is not null) Directory.CreateDirectory(folder);
        }
        return builder.ToString();
    }
}

/// <summary>A context with Motiv's own (system) scope, for start-up and background work.</summary>
public static class SystemDb
{
    public static MotivDbContext Create(IServiceProvider services)
    {
        var options = services.GetRequiredService<Microsoft.EntityFrameworkCore.DbContextOptions<MotivDbContext>>();
        return new MotivDbContext(options, new FixedCurrentUser(AccessScope.System), services.GetRequiredService<TimeProvider>());
    }
}

/// <summary>ASP.NET Core Identity's messages in the user's language.</summary>
public sealed class LocalizedIdentityErrors : IdentityErrorDescriber
{
    public override IdentityError PasswordTooShort(int length) => new() { Code = nameof(PasswordTooShort), Description = Text.Get("Identity.PasswordTooShort", length) };
    public override IdentityError PasswordRequiresDigit() => new() { Code = nameof(PasswordRequiresDigit), Description = Text.Get("Identity.PasswordRequiresDigit") };
    public override IdentityError PasswordRequiresLower() => new() { Code = nameof(PasswordRequiresLower), Description = Text.Get("Identity.PasswordRequiresLower") };
    public override IdentityError PasswordRequiresUpper() => new() { Code = nameof(PasswordRequiresUpper), Description = Text.Get("Identity.PasswordRequiresUpper") };
    public override IdentityError DuplicateEmail(string email) => new() { Code = nameof(DuplicateEmail), Description = Text.Get("Validation.EmailTaken") };
    public override IdentityError DuplicateUserName(string userName) => new() { Code = nameof(DuplicateUserName), Description = Text.Get("Validation.EmailTaken") };
    public override IdentityError InvalidEmail(string? email) => new() { Code = nameof(InvalidEmail), Description = Text.Get("Validation.Email") };
}

/// <summary>Healthy when the database answers a query.</summary>
public sealed class DatabaseHealthCheck(IDbContextFactory<MotivDbContext> dbFactory) : Microsoft.Extensions.Diagnostics.HealthChecks.IHealthCheck
{
    public async Task<Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult> CheckHealthAsync(
        Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            return await db.Database.CanConnectAsync(cancellationToken)
                ? Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult.Healthy()
                : Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult.Unhealthy("The database does not answer.");
        }
        catch (Exception e)
        {
            return Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult.Unhealthy("The database does not answer.", e);
        }
    }
}
