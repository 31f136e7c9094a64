using Npgsql;

namespace Motiv.Testing;

/// <summary>A fresh, empty database of one provider for one test fixture; dropped (or deleted) afterwards.</summary>
public sealed class TestDatabase : IAsyncDisposable
{
    public const string Sqlite = "sqlite";
    public const string Postgres = "postgres";

    public static IReadOnlyList<string> All { get; } = [Sqlite, Postgres];

    private TestDatabase(string provider, string connectionString, Func<Task> drop)
    {
        Provider = provider;
        ConnectionString = connectionString;
        _drop = drop;
    }

    private readonly Func<Task> _drop;

    public string Provider { get; }

    /// <summary>The value for Motiv:Database:Provider.</summary>
    public string ProviderSetting => Provider == Postgres ? "Postgres" : "Sqlite";

    public string ConnectionString { get; }

    public static async Task<TestDatabase> CreateAsync(string provider)
    {
        if (provider == Sqlite)
        {
            var folder = Path.Combine(Path.GetTempPath(), "motiv-tests");
            Directory.CreateDirectory(folder);
            var file = Path.Combine(folder, $"{Guid.CreateVersion7():N}.db");
            return new TestDatabase(provider, $"Data Source={file};Pooling=False", () =>
            {
                foreach (var f in new[] { file, file + "-wal", file + "-shm" }) File.Delete(f);
                return Task.CompletedTask;
            });
        }

        Requirements.Postgres();
        var name = $"motiv_test_{Guid.CreateVersion7():N}";
        await using (var admin = new NpgsqlConnection(Requirements.PostgresServer))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", admin);
            await create.ExecuteNonQueryAsync();
        }
        var cs = new NpgsqlConnectionStringBuilder(Requirements.PostgresServer) { Database = name }.ConnectionString;
        return new TestDatabase(provider, cs, async () =>
        {
            NpgsqlConnection.ClearAllPools();
            await using var admin = new NpgsqlConnection(Requirements.PostgresServer);
            await admin.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", admin);
            await drop.ExecuteNonQueryAsync();
        });
    }

    public ValueTask DisposeAsync() => new(_drop());
}
