using System.Diagnostics;
using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Data.Sqlite;
using Motiv.Core.Identity;
using Motiv.Core.Import;
using Motiv.Web.Auth;
using Motiv.Web.Hosting;

// Motiv's benchmarks, each against a bare baseline in the same run (ratios hold on a noisy machine).
//   dotnet run -c Release --project bench/Motiv.Bench -- import [--rows 1000000]
//   dotnet run -c Release --project bench/Motiv.Bench -- scale [--quick] [--db sqlite|postgres] [--keep] [--connection CS]
// Writes a Markdown table row per result to standard output for docs/benchmarks.md.
if (args.FirstOrDefault() == "scale") return await Motiv.Bench.ScaleBench.RunAsync(args);
var rows = args.SkipWhile(a => a != "--rows").Skip(1).Select(int.Parse).FirstOrDefault(20_000);
if (args.FirstOrDefault() != "import")
{
    Console.Error.WriteLine("Usage: import [--rows N] | scale [--quick] [--db sqlite|postgres] [--keep] [--connection CS]");
    return 2;
}
var work = Directory.CreateTempSubdirectory("motiv-bench-").FullName;
var csv = Path.Combine(work, "people.csv");
Generate(csv, rows);
Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}; rows: {rows:N0}; file: {new FileInfo(csv).Length / 1024 / 1024} MiB");

// The engine: Motiv's import of people through its own services, as the command line and the UI run it.
var builder = WebApplication.CreateBuilder(["--ConnectionStrings:Motiv=Data Source=" + Path.Combine(work, "motiv.db"), "--Motiv:Import:Path=" + Path.Combine(work, "store"),
    "--Motiv:Jobs:Enabled=false", "--Logging:LogLevel:Default=Warning"]);
builder.AddMotiv();
var app = builder.Build();
await app.PrepareDatabaseAsync(demo: false);
await using (var scope = app.Services.CreateAsyncScope())
{
    var users = scope.ServiceProvider.GetRequiredService<UserManager<MotivUser>>();
    var user = new MotivUser { Id = Guid.CreateVersion7(), Email = "bench@motiv.bench", UserName = "bench@motiv.bench", DisplayName = "Bench", EmailConfirmed = true, CreatedAt = DateTimeOffset.UnixEpoch };
    await users.CreateAsync(user, "Bench-Password-1");
    await users.AddToRoleAsync(user, "Sales");
    await scope.ServiceProvider.GetRequiredService<CurrentUser>().LoadAsync(new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, user.Id.ToString())], "bench")));
    var imports = scope.ServiceProvider.GetRequiredService<ImportService>();
    await using var file = File.OpenRead(csv);
    var job = await imports.UploadAsync("people", "people.csv", file);
    await imports.StartAsync(job.Id, dryRun: false);
    var (seconds, peak) = await MeasureAsync(() => scope.ServiceProvider.GetRequiredService<ImportRunner>().RunAsync(job.Id, CancellationToken.None));
    var done = await imports.GetAsync(job.Id);
    if (done.Created != rows) throw new InvalidOperationException($"The engine created {done.Created} of {rows} people ({done.Status}, {done.Error}).");
    var engine = rows / seconds;

    // The baseline: the same rows as prepared inserts into the same table, 500 per transaction, nothing else.
    var (baseSeconds, _) = await MeasureAsync(() => BaselineAsync(Path.Combine(work, "motiv.db"), csv, user.Id));
    var baseline = rows / baseSeconds;
    Console.WriteLine("| benchmark | Motiv | baseline | ratio | target |");
    Console.WriteLine("| --- | --- | --- | --- | --- |");
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| CSV import of {rows:N0} people (SQLite) | {engine:N0} rows/s ({seconds:N1} s) | {baseline:N0} rows/s (prepared inserts) | {engine / baseline:N3} | ≥ 0.5 (issue 7) |"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| peak working set during the import | {peak / 1024 / 1024:N0} MiB | | | ≤ 500 MB |"));
}
Directory.Delete(work, recursive: true);
return 0;

static void Generate(string path, int rows)
{
    var random = new Random(7);
    string[] first = ["Anna", "Jürgen", "Eva", "Max", "Sophie", "Lukas", "Marie", "Paul", "Emma", "Felix"];
    string[] cities = ["Berlin", "München", "Hamburg", "Köln", "Leipzig", "Wien", "Zürich"];
    using var writer = new StreamWriter(path);
    writer.WriteLine("Kontaktnummer;Vorname;Nachname;E-Mail;PLZ;Ort;Land");
    for (var i = 0; i < rows; i++)
        writer.WriteLine($"B-{i};{first[random.Next(first.Length)]};Mustermann {i};person{i}@bench.example;{random.Next(10000, 99999)};{cities[random.Next(cities.Length)]};DE");
}

/// <summary>Runs the work while sampling the process's working set every 50 ms; the wall-clock seconds and the peak.</summary>
static async Task<(double Seconds, long Peak)> MeasureAsync(Func<Task> work)
{
    using var process = Process.GetCurrentProcess();
    long peak = 0;
    using var stop = new CancellationTokenSource();
    var sampler = Task.Run(async () =>
    {
        while (!stop.IsCancellationRequested)
        {
            process.Refresh();
            peak = Math.Max(peak, process.WorkingSet64);
            await Task.Delay(50);
        }
    });
    var clock = Stopwatch.StartNew();
    await work();
    var seconds = clock.Elapsed.TotalSeconds;
    stop.Cancel();
    await sampler;
    return (seconds, peak);
}

static async Task BaselineAsync(string database, string csv, Guid owner)
{
    await using var connection = new SqliteConnection($"Data Source={database}");
    await connection.OpenAsync();
    await using (var clear = connection.CreateCommand())
    {
        clear.CommandText = "DELETE FROM employments; DELETE FROM people;";
        await clear.ExecuteNonQueryAsync();
    }
    // Every NOT NULL column gets a value: the same row shape the engine writes.
    var columns = new List<(string Name, string Type)>();
    await using (var info = connection.CreateCommand())
    {
        info.CommandText = "SELECT name, type, \"notnull\" FROM pragma_table_info('people')";
        await using var reader = await info.ExecuteReaderAsync();
        while (await reader.ReadAsync()) columns.Add((reader.GetString(0), reader.GetString(1)));
    }
    await using var insert = connection.CreateCommand();
    insert.CommandText = $"INSERT INTO people ({string.Join(", ", columns.Select(c => $"\"{c.Name}\""))}) VALUES ({string.Join(", ", columns.Select((_, i) => "$p" + i))})";
    var parameters = columns.Select((c, i) => insert.Parameters.Add(new SqliteParameter("$p" + i, null))).ToArray();
    insert.Prepare();
    var lines = File.ReadLines(csv).Skip(1);
    SqliteTransaction? tx = null;
    var n = 0;
    foreach (var line in lines)
    {
        if (n % 500 == 0)
        {
            if (tx is not null) await tx.CommitAsync();
            tx = connection.BeginTransaction();
            insert.Transaction = tx;
        }
        var cells = line.Split(';');
        for (var i = 0; i < columns.Count; i++)
        {
            parameters[i].Value = columns[i].Name switch
            {
                "Id" => Guid.CreateVersion7().ToString().ToUpperInvariant(),
                "OwnerId" or "CreatedById" or "UpdatedById" => owner.ToString().ToUpperInvariant(),
                "ExternalId" => cells[0],
                "FirstName" => cells[1],
                "LastName" => cells[2],
                "SearchName" => (cells[1] + " " + cells[2]).ToLowerInvariant(),
                "PrimaryEmail" => cells[3],
                "Emails" => $"[{{\"address\":\"{cells[3]}\",\"type\":\"work\"}}]",
                "Addresses" => $"[{{\"street\":\"\",\"postalCode\":\"{cells[4]}\",\"city\":\"{cells[5]}\",\"country\":\"DE\",\"type\":\"office\"}}]",
                "City" => cells[5],
                "Country" => cells[6],
                "Phones" or "Interests" or "ImportantDates" => "[]",
                "Version" => 1,
                _ when columns[i].Type.Equals("INTEGER", StringComparison.OrdinalIgnoreCase) => 0,
                _ => (object)"",
            };
        }
        await insert.ExecuteNonQueryAsync();
        n++;
    }
    if (tx is not null) await tx.CommitAsync();
}
