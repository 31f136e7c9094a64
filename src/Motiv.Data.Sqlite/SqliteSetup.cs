using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
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
        options.UseSqlite(connectionString, b => b.MigrationsAssembly(typeof(SqliteSetup).Assembly.GetName().Name)
                .UseParameterizedCollectionMode(ParameterTranslationMode.Parameter))
            .AddInterceptors(new SqlitePragmas());

    /// <summary>
    /// synchronous=NORMAL is durable under WAL for everything but a power cut right after commit; busy_timeout lets writers queue
    /// instead of failing. The settings belong to the native connection, which the pool keeps open between uses: they are set the
    /// first time a native connection is opened, not on every open (that was three more statements for every query).
    /// </summary>
    private sealed class SqlitePragmas : DbConnectionInterceptor
    {
        private const string Pragmas = "PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000; PRAGMA foreign_keys=ON;";
        private static readonly ConditionalWeakTable<object, object> Prepared = [];

        private static bool IsNew(DbConnection connection) =>
            connection is not SqliteConnection { Handle: { } handle } || Prepared.TryAdd(handle, handle);

        public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
        {
            if (!IsNew(connection)) return;
            using var cmd = connection.CreateCommand();
            cmd.CommandText = Pragmas;
            cmd.ExecuteNonQuery();
        }

        public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            if (!IsNew(connection)) return;
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
