using System.Diagnostics;

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

    private static async Task<(int Code, string Output, string Error)> RunAsync(MotivWebFactory factory, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(typeof(Program).Assembly.Location);
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment["Motiv__Database__Provider"] = factory.Database.ProviderSetting;
        start.Environment["ConnectionStrings__Motiv"] = factory.Database.ConnectionString;
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }
}
