using System.Globalization;
using Microsoft.AspNetCore.Identity;
using Motiv.Core.Common;
using Motiv.Core.Identity;

namespace Motiv.Web.Hosting;

/// <summary>
/// Commands of the same program, with the same configuration as the server:
/// <c>migrate</c> and <c>token create --email E --name N [--read-only] [--expires yyyy-MM-dd]</c>.
/// </summary>
public static class CommandLine
{
    public static bool IsCommand(string[] args) => args.Length > 0 && args[0] is "migrate" or "token";

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
            default:
                Console.Error.WriteLine("Usage: migrate | token create --email <user> --name <name> [--read-only] [--expires yyyy-MM-dd]");
                return 2;
        }
    }

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
