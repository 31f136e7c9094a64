using Motiv.Web.Hosting;

// `--demo` is a switch, not a key=value pair, so it is taken out before the configuration reads the arguments.
var demo = args.Contains("--demo");
var builder = WebApplication.CreateBuilder(args.Where(a => a != "--demo").ToArray());
builder.AddMotiv();

var app = builder.Build();
if (CommandLine.IsCommand(args)) return await CommandLine.RunAsync(app, args);
await app.PrepareDatabaseAsync(demo);

app.UseMotiv();
await app.RunAsync();
return 0;

/// <summary>Visible to the test projects' WebApplicationFactory.</summary>
public partial class Program;
