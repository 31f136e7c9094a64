using System.Diagnostics;
using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Motiv.Bench;
using Motiv.Core.Audit;
using Motiv.Core.Common;
using Motiv.Core.Customers;
using Motiv.Core.Data;
using Motiv.Core.Identity;
using Motiv.Core.Search;
using Motiv.Core.Import;
using Motiv.Web.Auth;
using Motiv.Web.Hosting;

// Motiv's benchmarks, each against a bare baseline in the same run (ratios hold on a noisy machine).
//   dotnet run -c Release --project bench/Motiv.Bench -- import [--rows 1000000] [--db sqlite|postgres]
//   dotnet run -c Release --project bench/Motiv.Bench -- scale [--quick] [--db sqlite|postgres] [--keep] [--connection CS]
// Writes a Markdown table row per result to standard output for docs/benchmarks.md.
if (args.FirstOrDefault() == "scale") return await Motiv.Bench.ScaleBench.RunAsync(args);
var rows = args.SkipWhile(a => a != "--rows").Skip(1).Select(int.Parse).FirstOrDefault(20_000);
var postgres = args.SkipWhile(a => a != "--db").Skip(1).FirstOrDefault() is "postgres" or "postgresql";
if (args.FirstOrDefault() != "import")
{
    Console.Error.WriteLine("Usage: import [--rows N] [--db sqlite|postgres] | scale [--quick] [--db sqlite|postgres] [--keep] [--connection CS]");
    return 2;
}
var work = Directory.CreateTempSubdirectory("motiv-bench-").FullName;
var csv = Path.Combine(work, "people.csv");
Generate(csv, rows);
var database = postgres ? "PostgreSQL" : "SQLite";
Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}; {database}; rows: {rows:N0}; file: {new FileInfo(csv).Length / 1024 / 1024} MiB");
var (connection, drop) = await ScaleBench.NewDatabaseAsync(postgres, work);

// The engine: Motiv's import of people through its own services, as the command line and the UI run it.
var builder = WebApplication.CreateBuilder([$"--Motiv:Database:Provider={(postgres ? "Postgres" : "Sqlite")}", $"--ConnectionStrings:Motiv={connection}",
    "--Motiv:Import:Path=" + Path.Combine(work, "store"), "--Motiv:Jobs:Enabled=false", "--Logging:LogLevel:Default=Warning"]);
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

    // The baselines write the same rows straight into the same tables, 500 per transaction, with nothing else: one
    // prepared INSERT per table reused for every row on SQLite, binary COPY on PostgreSQL (Motiv's BulkWriter).
    // First the people alone (the issue's baseline; on SQLite a hand-written prepared INSERT, as since the first run), then every row the engine writes per person: the person, its
    // audit entry, its undo row and its search document.
    // What the engine (or the previous baseline) wrote is removed first, outside the measurement, so each starts from the same empty tables.
    await ClearAsync(app.Services);
    var (peopleSeconds, _) = await MeasureAsync(() => postgres ? BaselineAsync(app.Services, csv, user.Id, job.Id, everything: false) : BareSqliteAsync(connection, csv, user.Id));
    await ClearAsync(app.Services);
    var (allSeconds, _) = await MeasureAsync(() => BaselineAsync(app.Services, csv, user.Id, job.Id, everything: true));
    var bare = postgres ? "binary COPY" : "prepared inserts";
    Console.WriteLine("| benchmark | Motiv | baseline | ratio | target |");
    Console.WriteLine("| --- | --- | --- | --- | --- |");
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| CSV import of {rows:N0} people ({database}) | {engine:N0} rows/s ({seconds:N1} s) | {rows / peopleSeconds:N0} rows/s (the people rows, {bare}) | {engine / (rows / peopleSeconds):N3} | ≥ 0.5 (issue 7) |"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| the same against every row it writes | | {rows / allSeconds:N0} rows/s (person, audit entry, undo row, search document; {bare}) | {engine / (rows / allSeconds):N3} | |"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| peak working set during the import | {peak / 1024 / 1024:N0} MiB | | | ≤ 500 MB |"));
}
await app.DisposeAsync();
await drop();
if (Directory.Exists(work)) Directory.Delete(work, recursive: true);
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

static async Task ClearAsync(IServiceProvider services)
{
    await using var db = SystemDb.Create(services.CreateScope().ServiceProvider);
    db.Database.SetCommandTimeout(TimeSpan.FromHours(1));
    await db.ImportRows.ExecuteDeleteAsync();
    await db.AuditEntries.ExecuteDeleteAsync();
    await db.Database.ExecuteSqlRawAsync(db.IsSqlite ? "DELETE FROM search_fts; DELETE FROM search_trgm; DELETE FROM search_docs" : "DELETE FROM search_documents");
    await db.Employments.ExecuteDeleteAsync();
    await db.People.IgnoreQueryFilters().ExecuteDeleteAsync();
    // FTS5 keeps a deleted row's terms as delete markers that later inserts merge away; 'rebuild' starts the (empty) index afresh.
    if (db.IsSqlite) await db.Database.ExecuteSqlRawAsync("INSERT INTO search_fts(search_fts) VALUES('rebuild'); INSERT INTO search_trgm(search_trgm) VALUES('rebuild'); PRAGMA wal_checkpoint(TRUNCATE)");
    else await db.Database.ExecuteSqlRawAsync("VACUUM ANALYZE");
}

static async Task BaselineAsync(IServiceProvider services, string csv, Guid owner, Guid importId, bool everything)
{
    await using var db = SystemDb.Create(services.CreateScope().ServiceProvider);
    var now = TimeProvider.System.GetUtcNow();
    var row = 1;
    foreach (var chunk in File.ReadLines(csv).Skip(1).Chunk(500))
    {
        var people = chunk.Select(line => line.Split(';')).Select(cells => new Person
        {
            Id = Guid.CreateVersion7(), ExternalId = cells[0], FirstName = cells[1], LastName = cells[2], SearchName = (cells[1] + " " + cells[2]).ToLowerInvariant(),
            Emails = [new EmailAddress(cells[3])], PrimaryEmail = cells[3], Addresses = [new PostalAddress("", cells[4], cells[5], cells[6])], City = cells[5], Country = cells[6],
            OwnerId = owner, CreatedById = owner, UpdatedById = owner, CreatedAt = now, UpdatedAt = now, Version = 1,
        }).ToList();
        await using var tx = await db.Database.BeginTransactionAsync();
        await BulkWriter.InsertAsync(db, people, default);
        if (everything)
        {
            await BulkWriter.InsertAsync(db, people.Select(p => new AuditEntry
            {
                Id = Guid.CreateVersion7(), RecordType = p.RecordType, RecordId = p.Id, Action = AuditAction.Created, Version = 1, UserId = owner, At = now,
                Changes = [new("firstName", null, p.FirstName), new("lastName", null, p.LastName), new("externalId", null, p.ExternalId),
                    new("emails", null, p.PrimaryEmail), new("addresses", null, $"{p.Addresses[0].PostalCode} {p.City}, {p.Country}"), new("ownerId", null, owner.ToString())],
            }).ToList(), default);
            await BulkWriter.InsertAsync(db, people.Select(p => new ImportRow
            {
                Id = Guid.CreateVersion7(), ImportId = importId, Row = ++row, Outcome = RowOutcome.Created, RecordType = p.RecordType, RecordId = p.Id, Version = 1,
            }).ToList(), default);
            await SearchIndexer.IndexAsync(db, people, default);
        }
        await tx.CommitAsync();
    }
}

/// <summary>The people rows alone as one hand-written prepared INSERT reused for every row (SQLite's baseline since the first import run).</summary>
static async Task BareSqliteAsync(string connectionString, string csv, Guid owner)
{
    await using var connection = new SqliteConnection(connectionString);
    await connection.OpenAsync();
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
