using System.Globalization;
using Microsoft.AspNetCore.Identity;
using Motiv.Core.Common;
using Motiv.Core.Identity;

namespace Motiv.Web.Hosting;

/// <summary>
/// Commands of the same program, with the same configuration as the server:
/// <c>migrate</c>, <c>token create --email E --name N [--read-only] [--expires yyyy-MM-dd]</c> and
/// <c>import --as E --entity people --file F [--map "Header=field;…"] [--policy skip|update|create] [--number-format de|en] [--tag T] [--create-missing] [--dry-run]</c>.
/// </summary>
public static class CommandLine
{
    public static bool IsCommand(string[] args) => args.Length > 0 && args[0] is "migrate" or "token" or "import";

    public static async Task<int> RunAsync(WebApplication app, string[] args)
    {
        await app.PrepareDatabaseAsync(demo: false);
        switch (args)
        {
            case ["migrate", ..]:
                Console.WriteLine("The database is up to date.");
                return 0;
            case ["token", "create", .. var options]:
                return await CreateTokenAsync(app, options);
            case ["import", .. var options]:
                return await ImportAsync(app, options);
            default:
                Console.Error.WriteLine("Usage: migrate | token create --email <user> --name <name> [--read-only] [--expires yyyy-MM-dd]"
                    + " | import --as <user> --entity organizations|people|leads|products|orders|interactions --file <csv|xlsx> [--map \"Header=field;...\"]"
                    + " [--policy skip|update|create] [--number-format de|en] [--tag <tag>] [--create-missing] [--dry-run]");
                return 2;
        }
    }

    /// <summary>
    /// The import engine of the web UI, from the command line, with the rights of the user named by --as. The same file
    /// imported again by the same user into the same list goes on after the last committed row of its unfinished import.
    /// </summary>
    private static async Task<int> ImportAsync(WebApplication app, string[] options)
    {
        string? Option(string name) => options.SkipWhile(o => o != name).Skip(1).FirstOrDefault();
        var file = Option("--file");
        if (file is null || !File.Exists(file))
        {
            Console.Error.WriteLine($"No file '{file}'.");
            return 2;
        }
        await using var scope = app.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var user = Option("--as") is { } email ? await services.GetRequiredService<UserManager<MotivUser>>().FindByEmailAsync(email) : null;
        if (user is null || !user.IsActive)
        {
            Console.Error.WriteLine($"No active user with the e-mail address '{Option("--as")}' (--as).");
            return 1;
        }
        await services.GetRequiredService<Auth.CurrentUser>().LoadAsync(new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity(
            [new System.Security.Claims.Claim(System.Security.Claims.ClaimTypes.NameIdentifier, user.Id.ToString())], "command line")));
        var imports = services.GetRequiredService<Motiv.Core.Import.ImportService>();
        var entity = Option("--entity") ?? "";
        try
        {
            var hash = await Motiv.Core.Import.ImportService.HashAsync(file, CancellationToken.None);
            var id = options.Contains("--dry-run") ? null : await imports.FindUnfinishedAsync(entity, hash);
            if (id is { } resumed)
            {
                var job = await imports.GetAsync(resumed);
                Console.WriteLine($"Resuming import {resumed} after row {job.RowsDone + 1}.");
            }
            else
            {
                await using var content = File.OpenRead(file);
                var job = await imports.UploadAsync(entity, Path.GetFileName(file), content);
                var mapping = Motiv.Core.Import.ImportService.Remap(job.Header, job.Mapping, Option("--map"));
                job = await imports.ConfigureAsync(job.Id, new Motiv.Core.Import.ImportSettings(mapping,
                    Option("--policy") is { } p ? Enum.Parse<Motiv.Core.Import.DuplicatePolicy>(p, ignoreCase: true) : null, Option("--number-format"), Option("--tag"),
                    options.Contains("--create-missing")));
                Console.WriteLine("Mapping: " + string.Join(", ", job.Header.Zip(job.Mapping).Select(m => $"{m.First} → {m.Second ?? "–"}")));
                id = job.Id;
            }
            await imports.StartAsync(id.Value, options.Contains("--dry-run"));
            var run = services.GetRequiredService<Motiv.Core.Import.ImportRunner>().RunAsync(id.Value, CancellationToken.None);
            while (await Task.WhenAny(run, Task.Delay(2000)) != run) Progress(await imports.GetAsync(id.Value));
            await run;
            var done = await imports.GetAsync(id.Value);
            Progress(done);
            Console.WriteLine($"{done.Status}: {done.Created} created, {done.Updated} updated, {done.Skipped} skipped, {done.Failed} failed. Import id {done.Id}.");
            if (done.Error is { } error) Console.Error.WriteLine(error);
            return done.Status is Motiv.Core.Import.ImportStatus.Completed or Motiv.Core.Import.ImportStatus.Checked ? 0 : 1;
        }
        catch (ValidationException v)
        {
            Console.Error.WriteLine(string.Join(Environment.NewLine, v.Errors.Select(x => $"{x.Key}: {string.Join(" ", x.Value)}")));
            return 1;
        }
        catch (ArgumentException a)
        {
            Console.Error.WriteLine(a.Message);
            return 2;
        }
    }

    private static void Progress(Motiv.Core.Import.ImportDto job) =>
        Console.WriteLine($"{job.RowsDone:N0} / {job.RowsTotal?.ToString("N0", CultureInfo.InvariantCulture) ?? "?"} rows");

    private static async Task<int> CreateTokenAsync(WebApplication app, string[] options)
    {
        string? Option(string name) => options.SkipWhile(o => o != name).Skip(1).FirstOrDefault();
        var email = Option("--email");
        var name = Option("--name") ?? "command line";
        DateTimeOffset? expires = Option("--expires") is { } e
            ? DateTimeOffset.ParseExact(e, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal)
            : null;
        await using var scope = app.Services.CreateAsyncScope();
        var user = email is null ? null : await scope.ServiceProvider.GetRequiredService<UserManager<MotivUser>>().FindByEmailAsync(email);
        if (user is null || !user.IsActive)
        {
            Console.Error.WriteLine($"No active user with the e-mail address '{email}'.");
            return 1;
        }
        try
        {
            var token = await scope.ServiceProvider.GetRequiredService<TokenService>()
                .CreatePersonalTokenAsync(user.Id, name, options.Contains("--read-only"), expires);
            Console.WriteLine(token.AccessToken);
            return 0;
        }
        catch (ValidationException v)
        {
            Console.Error.WriteLine(string.Join(Environment.NewLine, v.Errors.Select(x => $"{x.Key}: {string.Join(" ", x.Value)}")));
            return 1;
        }
    }
}
