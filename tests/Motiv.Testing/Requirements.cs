using Npgsql;
using Xunit;

namespace Motiv.Testing;

/// <summary>
/// Tests that need PostgreSQL or Chromium skip with a reason when it is absent; with
/// MOTIV_REQUIRE_ALL=1 (as in .ci/run) a missing part fails the test instead.
/// </summary>
public static class Requirements
{
    public static bool RequireAll => Environment.GetEnvironmentVariable("MOTIV_REQUIRE_ALL") == "1";

    /// <summary>The server tests create their databases on: MOTIV_TEST_POSTGRES, else the one .ci/run starts.</summary>
    public static string PostgresServer =>
        Environment.GetEnvironmentVariable("MOTIV_TEST_POSTGRES") is { Length: > 0 } cs ? cs : "Host=127.0.0.1;Port=55432;Username=postgres;Database=postgres";

    private static readonly Lazy<string?> PostgresProblem = new(() =>
    {
        try
        {
            using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(PostgresServer) { Timeout = 3 }.ConnectionString);
            connection.Open();
            return null;
        }
        catch (Exception e)
        {
            return $"PostgreSQL is not reachable at {PostgresServer} ({e.Message}). Start one (see .ci/run) or set MOTIV_TEST_POSTGRES.";
        }
    });

    public static void Postgres() => Require(PostgresProblem.Value);

    public const string ChromiumPath = "/usr/bin/chromium";

    public static void Chromium() =>
        Require(File.Exists(ChromiumPath) ? null : $"Chromium is not installed at {ChromiumPath} (apt-get install -y chromium).");

    /// <summary>Debian's Dovecot for the IMAP tests (installed by .ci/run).</summary>
    public static void Dovecot() => Require(TestImapServer.Problem);

    private static void Require(string? problem)
    {
        if (problem is null) return;
        if (RequireAll) Assert.Fail("MOTIV_REQUIRE_ALL=1 but: " + problem);
        Assert.Skip(problem);
    }
}
