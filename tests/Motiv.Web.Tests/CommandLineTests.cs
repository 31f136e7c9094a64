using System.Diagnostics;
using Microsoft.EntityFrameworkCore;

namespace Motiv.Web.Tests;

/// <summary>The program's commands, run as a separate process on the same database as a running Motiv.</summary>
public sealed class CommandLineTests
{
    [Fact]
    public async Task Token_create_prints_a_working_personal_token_and_refuses_unknown_users()
    {
        await using var factory = await MotivWebFactory.StartAsync(TestDatabase.Sqlite);
        await factory.CreateUserAsync("cli@test.example", Core.Access.Roles.Sales);

        var (code, output, _) = await RunAsync(factory, "token", "create", "--email", "cli@test.example", "--name", "Nightly export", "--read-only");
        Assert.Equal(0, code);
        var token = output.Trim().Split('\n').Last().Trim();
        Assert.StartsWith("motiv_", token);
        var client = factory.ClientWithToken(token);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/organizations")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsync("/api/v1/organizations", Api.Json(new { name = "Nein" }))).StatusCode);
        var tokens = await (await client.GetAsync("/api/v1/tokens")).ReadJsonAsync();
        Assert.Equal("Nightly export", tokens.GetProperty("items")[0].GetProperty("name").GetString());

        var (failed, _, error) = await RunAsync(factory, "token", "create", "--email", "nobody@test.example");
        Assert.Equal(1, failed);
        Assert.Contains("No active user", error);
    }

    [Fact]
    public async Task An_import_killed_with_SIGKILL_loses_no_committed_row_and_the_same_command_resumes_it_without_doubles()
    {
        await using var factory = await MotivWebFactory.StartAsync(TestDatabase.Sqlite);
        await factory.CreateUserAsync("importer@test.example", Core.Access.Roles.Sales);
        var folder = Directory.CreateTempSubdirectory("motiv-import-").FullName;
        var file = Path.Combine(folder, "kontakte.csv");
        const int rows = 3000;
        await File.WriteAllLinesAsync(file, ["Kontaktnummer;Vorname;Nachname;E-Mail", .. Enumerable.Range(1, rows).Select(i => $"P-{i};Vera;Viele {i};vera.{i}@kill.example")]);
        string[] command = ["import", "--as", "importer@test.example", "--entity", "people", "--file", file, "--tag", "killed"];
        var environment = new Dictionary<string, string>
        {
            ["Motiv__Import__Path"] = Path.Combine(folder, "store"), ["Motiv__Import__BatchSize"] = "100", ["Motiv__Import__StaleAfterSeconds"] = "1",
        };

        using (var first = factory.StartProcess(environment, command))
        {
            // Killed without warning once a few batches are committed.
            for (var i = 0; i < 600 && await DoneAsync(factory) < 500; i++) await Task.Delay(50);
            first.Kill(entireProcessTree: true);
            await first.WaitForExitAsync();
        }
        await using (var db = factory.SystemDb())
        {
            var job = await db.Imports.SingleAsync();
            Assert.Equal(Core.Import.ImportStatus.Running, job.Status);
            Assert.InRange(job.RowsDone, 500, rows - 1);
            Assert.Equal(0, job.RowsDone % 100);
            // Exactly the committed batches are there: no row of the batch that was cut off.
            Assert.Equal(job.RowsDone, await db.People.CountAsync(p => p.Tags.Contains(",killed,")));
        }

        // The heartbeat stopped with the process (here after a second, normally two minutes): the same command takes it up.
        await Task.Delay(1500);
        var (code, output, error) = await RunAsync(factory, environment, command);
        Assert.True(code == 0, output + error);
        Assert.Contains("Resuming import", output);
        await using (var db = factory.SystemDb())
        {
            var ids = await db.People.Where(p => p.Tags.Contains(",killed,")).Select(p => p.ExternalId).ToListAsync();
            Assert.Equal(rows, ids.Count);
            Assert.Equal(rows, ids.Distinct().Count());
            Assert.Equal(Core.Import.ImportStatus.Completed, (await db.Imports.SingleAsync()).Status);
        }
    }

    private static async Task<int> DoneAsync(MotivWebFactory factory)
    {
        await using var db = factory.SystemDb();
        return await db.Imports.Select(j => j.RowsDone).FirstOrDefaultAsync();
    }

    private static Task<(int Code, string Output, string Error)> RunAsync(MotivWebFactory factory, params string[] args) => RunAsync(factory, new Dictionary<string, string>(), args);

    private static async Task<(int Code, string Output, string Error)> RunAsync(MotivWebFactory factory, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        using var process = factory.StartProcess(environment, args);
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }
}
