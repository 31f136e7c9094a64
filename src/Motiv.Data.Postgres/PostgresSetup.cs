using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Motiv.Core.Access;
using Motiv.Core.Data;

namespace Motiv.Data.Postgres;

public static class PostgresSetup
{
    public static DbContextOptionsBuilder UseMotivPostgres(this DbContextOptionsBuilder options, string connectionString) =>
        options.UseNpgsql(connectionString, b => b.MigrationsAssembly(typeof(PostgresSetup).Assembly.GetName().Name)
            .UseParameterizedCollectionMode(ParameterTranslationMode.Parameter));
}

/// <summary>Used by `dotnet ef migrations add` only; it does not connect.</summary>
public sealed class DesignTimeFactory : IDesignTimeDbContextFactory<MotivDbContext>
{
    public MotivDbContext CreateDbContext(string[] args) => new(Options(), new FixedCurrentUser(AccessScope.System), TimeProvider.System);

    private static DbContextOptions<MotivDbContext> Options()
    {
        var builder = new DbContextOptionsBuilder<MotivDbContext>();
        builder.UseMotivPostgres("Host=localhost;Database=motiv_design");
        return builder.Options;
    }
}
