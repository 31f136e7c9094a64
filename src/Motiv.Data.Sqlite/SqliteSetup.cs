using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Motiv.Core.Access;
using Motiv.Core.Data;

namespace Motiv.Data.Sqlite;

public static class SqliteSetup
{
    /// <summary>SQLite with this project's migrations and per-connection settings (WAL is set once by <see cref="MotivDatabase"/>).</summary>
    public static DbContextOptionsBuilder UseMotivSqlite(this DbContextOptionsBuilder options, string connectionString) =>
        options.UseSqlite(connectionString, b => b.MigrationsAssembly(typeof(SqliteSetup).Assembly.GetName().Name))
            .AddInterceptors(new SqlitePragmas());

    /// <summary>synchronous=NORMAL is durable under WAL for everything but a power cut right after commit; busy_timeout lets writers queue instead of failing.</summary>
    private sealed class SqlitePragmas : DbConnectionInterceptor
    {
        private const string Pragmas = "PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000; PRAGMA foreign_keys=ON;";

        public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
        {
            using var cmd = connection.CreateCommand();
            cmd.CommandText = Pragmas;
            cmd.ExecuteNonQuery();
        }

        public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            await using var cmd = connection.CreateCommand();
            cmd.CommandText = Pragmas;
            await cmd.ExecuteNonQueryAsync(cancellationToken);
        }
    }
}

/// <summary>Used by `dotnet ef migrations add` only.</summary>
public sealed class DesignTimeFactory : IDesignTimeDbContextFactory<MotivDbContext>
{
    public MotivDbContext CreateDbContext(string[] args) => new(Options(), new FixedCurrentUser(AccessScope.System), TimeProvider.System);

    private static DbContextOptions<MotivDbContext> Options()
    {
        var builder = new DbContextOptionsBuilder<MotivDbContext>();
        builder.UseMotivSqlite("Data Source=design.db");
        return builder.Options;
    }
}
