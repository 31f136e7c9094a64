using System.Collections.Concurrent;
using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Motiv.Core.Data;
using Motiv.Core.Identity;
using Motiv.Web.Hosting;
using Npgsql;

namespace Motiv.Bench;

/// <summary>
/// The scale benchmarks: Motiv on a real Kestrel port in this process over the scale data, each read measured against a bare endpoint
/// in the same process that reads the same row with raw ADO.NET, plus concurrency, analytics and the process's peak memory.
/// </summary>
public static class ScaleBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        var quick = args.Contains("--quick");
        var postgres = Arg(args, "--db") is "postgres" or "postgresql";
        var scale = quick ? Scale.Quick : Scale.Full;
        var seconds = Arg(args, "--seconds") is { } sec ? int.Parse(sec, CultureInfo.InvariantCulture) : quick ? 3 : 15;
        // --only get,list,search,timeline,load,page,analytics runs a subset (while working on one of them).
        var only = Arg(args, "--only")?.Split(',');
        bool Want(string name) => only is null || only.Contains(name);
        var loadSeconds = quick ? 10 : 60;
        var work = Directory.CreateTempSubdirectory("motiv-scale-").FullName;
        var existing = Arg(args, "--connection");
        var (connection, drop) = existing is not null ? (existing, (Func<Task>)(() => Task.CompletedTask)) : await NewDatabaseAsync(postgres, work);
        try
        {
            var builder = WebApplication.CreateBuilder(new WebApplicationOptions
            {
                Args = [$"--Motiv:Database:Provider={(postgres ? "Postgres" : "Sqlite")}", $"--ConnectionStrings:Motiv={connection}",
                    "--Motiv:Jobs:Enabled=false", "--Logging:LogLevel:Default=Warning", "--urls=http://127.0.0.1:0", $"--Motiv:Import:Path={Path.Combine(work, "imports")}"],
                // Motiv's static web assets (blazor.web.js, MudBlazor's files) are listed under its name; outside
                // Development they are only found when asked for.
                ApplicationName = "Motiv.Web",
            });
            builder.WebHost.UseStaticWebAssets();
            builder.AddMotiv();
            var app = builder.Build();
            await app.PrepareDatabaseAsync(demo: false);
            var owners = await OwnersAsync(app.Services);
            await using (var db = SystemDb.Create(app.Services.CreateScope().ServiceProvider))
            {
                if (await db.People.IgnoreQueryFilters().CountAsync() < scale.People)
                {
                    var clock = Stopwatch.StartNew();
                    await ScaleData.GenerateAsync(() => SystemDb.Create(app.Services.CreateScope().ServiceProvider), scale, owners, m => Console.Error.WriteLine("  " + m));
                    Console.Error.WriteLine($"generated in {clock.Elapsed.TotalMinutes:N1} min");
                    if (postgres) await db.Database.ExecuteSqlRawAsync("VACUUM ANALYZE");
                    // What Motiv's nightly statistics job does after data arrived (start-up did it on the empty tables).
                    await StatisticsJob.RefreshAsync(db);
                }
            }
            app.UseMotiv();
            app.MapGet("/bare/people/{id:guid}", (Guid id) => BareAsync(postgres, connection, id));
            app.MapGet("/bare/ping", () => "pong");
            // The same answer behind Motiv's token check (the token and the user's row read, the access scope built).
            app.MapGet("/bare/signed-in", () => "pong").RequireAuthorization(Motiv.Web.Auth.BearerTokenHandler.SchemeName);
            await app.StartAsync();
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            var token = await app.Services.CreateScope().ServiceProvider.GetRequiredService<TokenService>().IssueSessionTokenAsync(owners.Users[0]);
            using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256 }) { BaseAddress = new Uri(address) };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.AccessToken);

            var sample = await SampleAsync(app.Services, 500);
            var db2 = postgres ? "PostgreSQL" : "SQLite";
            Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}; database: {db2}; " +
                $"data: {scale.People:N0} people, {scale.Organizations:N0} organisations, {scale.Interactions:N0} interactions, {scale.Orders:N0} orders, {scale.Deals:N0} deals");
            Console.WriteLine("| benchmark | Motiv | baseline | ratio | target |");
            Console.WriteLine("| --- | --- | --- | --- | --- |");
            Memory.Start();

            using var anonymous = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256 }) { BaseAddress = new Uri(address) };
            if (Want("get"))
            {
                var ping = await ThroughputAsync(anonymous, () => "/bare/ping", seconds, 8);
                Row("a bare endpoint without database or token, through Motiv's middleware, 8 clients", $"{ping:N0} req/s", "", null, "");
                var signedIn = await ThroughputAsync(http, () => "/bare/signed-in", seconds, 8);
                Row("the same behind Motiv's token check (token and user read, access scope), 8 clients", $"{signedIn:N0} req/s", "", null, "");
                var rng = new Random(1);
                // Taken in turns (three rounds each), so that a slower minute of a shared machine weighs on both sides alike.
                var (motiv, bare) = await AlternatingAsync(
                    () => ThroughputAsync(http, () => $"/api/v1/people/{sample.People[rng.Next(sample.People.Length)]}", seconds, 8),
                    () => ThroughputAsync(anonymous, () => $"/bare/people/{sample.People[rng.Next(sample.People.Length)]}", seconds, 8));
                Row($"GET /api/v1/people/{{id}} (token, access control), 8 clients", $"{motiv:N0} req/s", $"{bare:N0} req/s (raw ADO.NET, same process, no token)", motiv / bare, "≥ 0.4");
            }
            if (Want("list"))
            {
                var list = await LatencyAsync(http, _ => $"/api/v1/people?city={Uri.EscapeDataString(sample.City)}&sort=lastName&limit=50", seconds);
                Row($"people list, filter city + sort lastName, first page of 50", Ms(list), "", null, "p95 ≤ 20 ms");
                var deep = await DeepCursorAsync(http, $"/api/v1/people?city={Uri.EscapeDataString(sample.City)}&sort=lastName&limit=50", quick ? 20 : 200);
                var deepList = await LatencyAsync(http, _ => deep, seconds);
                Row($"people list, same, a deep cursor page (page {(quick ? 20 : 200)})", Ms(deepList), "", null, "p95 ≤ 20 ms");
            }
            if (Want("search"))
            {
                var terms = new[] { "müller", "schmi", "weber 12", "hoffm", "lieferung", "smith", "krüger", "wagner 7" };
                var search = await LatencyAsync(http, i => $"/api/v1/search?q={Uri.EscapeDataString(terms[i % terms.Length])}", seconds);
                Row("global search (prefix terms)", Ms(search), "", null, "p95 ≤ 10 ms");
            }
            if (Want("timeline"))
            {
                var timeline = await LatencyAsync(http, i => $"/api/v1/people/{sample.Busy[i % sample.Busy.Length]}/timeline", seconds);
                Row("a busy person's timeline, first page", Ms(timeline), "", null, "p95 ≤ 20 ms");
            }
            if (Want("load"))
            {
                var load = await LoadAsync(http, sample, 64, loadSeconds);
                Row($"64 concurrent clients for {loadSeconds} s (75 % reads, 25 % writes)", $"p99 {load.P99:N1} ms, {load.Requests / (double)loadSeconds:N0} req/s", $"errors: {load.Errors}", null, "p99 ≤ 50 ms, 0 errors");
            }
            if (Want("page"))
            {
                try
                {
                    var page = await BrowserBench.ListPageAsync(address, "sales1@motiv.bench", "Bench-Password-1", seconds);
                    if (page is null) Row("people list page in Chromium", $"skipped: Chromium is not installed at {BrowserBench.ChromiumPath}", "", null, "");
                    else Row($"people list page in Chromium: asked for until its first page ({page.Rows} rows) shows", Ms(page.List),
                        $"sign-in page (no data) {Ms(page.SignIn)}", Percentile(page.SignIn, 0.5) / Percentile(page.List, 0.5), "p95 ≤ 1 s");
                }
                catch (TimeoutException e)
                {
                    Row("people list page in Chromium", $"failed: {e.Message}", "", null, "p95 ≤ 1 s");
                }
            }
            if (Want("analytics")) await AnalyticsAsync(app.Services, http, sample, scale);
            Row("peak working set of the process (server and load)", $"{Memory.Stop() / 1024 / 1024:N0} MiB", "", null, "≤ 500 MB");
            await app.StopAsync();
        }
        finally
        {
            if (!args.Contains("--keep")) await drop();
            else Console.Error.WriteLine($"kept: {connection}");
        }
        return 0;
    }

    private static string? Arg(string[] args, string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();

    /// <summary>The process's peak working set while benchmarking; each row's peak so far goes to the error output.</summary>
    private static readonly PeakMemory Memory = new();

    private static void Row(string name, string motiv, string baseline, double? ratio, string target)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {motiv} | {baseline} | {(ratio is { } r ? r.ToString("N2", CultureInfo.InvariantCulture) : "")} | {target} |"));
        Console.Error.WriteLine($"  peak working set so far: {Memory.Peak / 1024 / 1024:N0} MiB; garbage collections so far (gen 0/1/2): " +
            $"{GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)}; server GC: {System.Runtime.GCSettings.IsServerGC}");
    }

    private static string Ms(double[] latencies) => string.Create(CultureInfo.InvariantCulture,
        $"p50 {Percentile(latencies, 0.50):N1} ms, p95 {Percentile(latencies, 0.95):N1} ms");

    private static double Percentile(double[] sorted, double p) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

    internal static async Task<(string Connection, Func<Task> Drop)> NewDatabaseAsync(bool postgres, string work)
    {
        if (!postgres)
        {
            var file = Path.Combine(work, "scale.db");
            return ($"Data Source={file}", () => { SqliteConnection.ClearAllPools(); Directory.Delete(work, true); return Task.CompletedTask; });
        }
        var server = Environment.GetEnvironmentVariable("MOTIV_BENCH_POSTGRES") ?? Environment.GetEnvironmentVariable("MOTIV_TEST_POSTGRES")
            ?? throw new InvalidOperationException("Set MOTIV_BENCH_POSTGRES (or MOTIV_TEST_POSTGRES) to a PostgreSQL server's connection string.");
        var name = $"motiv_bench_{Guid.CreateVersion7():N}";
        await using (var admin = new NpgsqlConnection(server))
        {
            await admin.OpenAsync();
            await new NpgsqlCommand($"CREATE DATABASE \"{name}\"", admin).ExecuteNonQueryAsync();
        }
        return (new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString, async () =>
        {
            NpgsqlConnection.ClearAllPools();
            await using var admin = new NpgsqlConnection(server);
            await admin.OpenAsync();
            await new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", admin).ExecuteNonQueryAsync();
            Directory.Delete(work, true);
        });
    }

    /// <summary>Five sales users in two teams (made once per database); the first is the one the benchmarks read as.</summary>
    private static async Task<ScaleData.Owners> OwnersAsync(IServiceProvider root)
    {
        using var scope = root.CreateScope();
        await using var db = SystemDb.Create(scope.ServiceProvider);
        var teams = await db.Teams.OrderBy(t => t.Name).Select(t => t.Id).ToArrayAsync();
        if (teams.Length == 0)
        {
            teams = [Guid.CreateVersion7(), Guid.CreateVersion7()];
            db.Teams.AddRange(teams.Select((t, i) => new Team { Id = t, Name = $"Team {i + 1}", CreatedAt = DateTimeOffset.UnixEpoch }));
            await db.SaveChangesAsync();
            var users = scope.ServiceProvider.GetRequiredService<UserManager<MotivUser>>();
            for (var i = 0; i < 5; i++)
            {
                var email = $"sales{i + 1}@motiv.bench";
                var user = new MotivUser { Id = Guid.CreateVersion7(), Email = email, UserName = email, DisplayName = $"Sales {i + 1}", EmailConfirmed = true, CreatedAt = DateTimeOffset.UnixEpoch };
                await users.CreateAsync(user, "Bench-Password-1");
                await users.AddToRoleAsync(user, "Sales");
                db.TeamMembers.Add(new TeamMember { TeamId = teams[i % 2], UserId = user.Id });
            }
            await db.SaveChangesAsync();
        }
        var ids = await db.Users.Where(u => u.Email!.EndsWith("@motiv.bench")).OrderBy(u => u.Email).Select(u => u.Id).ToArrayAsync();
        return new ScaleData.Owners(ids, teams);
    }

    private sealed record Sample(Guid[] People, Guid[] Busy, string City);

    /// <summary>People the first user may read (spread over the table), the busiest of them by interactions, and a city to filter by.</summary>
    private static async Task<Sample> SampleAsync(IServiceProvider root, int count)
    {
        await using var db = SystemDb.Create(root.CreateScope().ServiceProvider);
        // The generator numbers people P-0 … P-(n-1): a spread-out sample is one indexed look-up, whatever the table's size.
        var total = await db.People.IgnoreQueryFilters().CountAsync();
        var random = new Random(5);
        var wanted = Enumerable.Range(0, count * 2).Select(_ => $"P-{random.Next(total)}").Distinct().ToList();
        var people = await db.People.Where(p => wanted.Contains(p.ExternalId!) && p.Visibility == Core.Common.Visibility.Everyone)
            .Select(p => p.Id).Take(count).ToListAsync();
        // The skew puts most interactions on the first people generated.
        var first = Enumerable.Range(0, 100).Select(i => $"P-{i}").ToList();
        var busy = await db.People.Where(p => first.Contains(p.ExternalId!) && p.Visibility == Core.Common.Visibility.Everyone).Select(p => p.Id).Take(20).ToListAsync();
        return new Sample([.. people], [.. busy], "Berlin");
    }

    private static async Task<IResult> BareAsync(bool postgres, string connectionString, Guid id)
    {
        await using DbConnection connection = postgres ? new NpgsqlConnection(connectionString) : new SqliteConnection(connectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT \"Id\", \"FirstName\", \"LastName\", \"PrimaryEmail\", \"City\", \"Emails\", \"Phones\", \"Addresses\", \"Version\" FROM people WHERE \"Id\" = @id";
        var p = command.CreateParameter();
        p.ParameterName = "@id";
        p.Value = postgres ? id : id.ToString().ToUpperInvariant();
        command.Parameters.Add(p);
        await using var reader = await command.ExecuteReaderAsync();
        if (!await reader.ReadAsync()) return Results.NotFound();
        return Results.Ok(new
        {
            id = reader.GetValue(0).ToString(), firstName = reader.GetString(1), lastName = reader.GetString(2), primaryEmail = reader.IsDBNull(3) ? null : reader.GetString(3),
            city = reader.IsDBNull(4) ? null : reader.GetString(4), emails = reader.GetString(5), phones = reader.GetString(6), addresses = reader.GetString(7), version = reader.GetInt64(8),
        });
    }

    private static async Task<double> ThroughputAsync(HttpClient http, Func<string> url, int seconds, int clients)
    {
        await ThroughputCoreAsync(http, url, 1, clients); // warm-up
        return await ThroughputCoreAsync(http, url, seconds, clients) / seconds;
    }

    private static async Task<(double Motiv, double Bare)> AlternatingAsync(Func<Task<double>> motiv, Func<Task<double>> bare)
    {
        double m = 0, b = 0;
        for (var round = 0; round < 3; round++)
        {
            m += await motiv() / 3;
            b += await bare() / 3;
        }
        return (m, b);
    }

    private static async Task<long> ThroughputCoreAsync(HttpClient http, Func<string> url, int seconds, int clients)
    {
        long done = 0;
        var end = Stopwatch.GetTimestamp() + seconds * Stopwatch.Frequency;
        var next = new object();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => Task.Run(async () =>
        {
            while (Stopwatch.GetTimestamp() < end)
            {
                string u;
                lock (next) u = url();
                using var response = await http.GetAsync(u);
                if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{u}: {(int)response.StatusCode}");
                await response.Content.LoadIntoBufferAsync();
                Interlocked.Increment(ref done);
            }
        })));
        return done;
    }

    /// <summary>One client after the other (no queueing): latencies in ms, sorted.</summary>
    private static async Task<double[]> LatencyAsync(HttpClient http, Func<int, string> url, int seconds)
    {
        for (var i = 0; i < 20; i++) await GetAsync(http, url(i));
        var latencies = new List<double>();
        var end = Stopwatch.GetTimestamp() + seconds * Stopwatch.Frequency;
        for (var i = 0; Stopwatch.GetTimestamp() < end; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await GetAsync(http, url(i));
            latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
        return [.. latencies.Order()];
    }

    private static async Task<JsonElement> GetAsync(HttpClient http, string url)
    {
        using var response = await http.GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{url}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private static async Task<string> DeepCursorAsync(HttpClient http, string first, int pages)
    {
        var url = first;
        for (var i = 1; i < pages; i++)
        {
            var page = await GetAsync(http, url);
            if (page.GetProperty("nextCursor").GetString() is not { } cursor) break;
            url = first + "&cursor=" + Uri.EscapeDataString(cursor);
        }
        return url;
    }

    private sealed record Load(double P99, long Requests, long Errors);

    /// <summary>Clients that each loop: read a person, list, search, create a person (writes with audit and search index).</summary>
    private static async Task<Load> LoadAsync(HttpClient http, Sample sample, int clients, int seconds)
    {
        var latencies = new ConcurrentBag<double>();
        long errors = 0;
        var end = Stopwatch.GetTimestamp() + seconds * Stopwatch.Frequency;
        await Task.WhenAll(Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
        {
            var random = new Random(c);
            for (var i = 0; Stopwatch.GetTimestamp() < end; i++)
            {
                var start = Stopwatch.GetTimestamp();
                HttpResponseMessage response = (i % 4) switch
                {
                    0 => await http.GetAsync($"/api/v1/people/{sample.People[random.Next(sample.People.Length)]}"),
                    1 => await http.GetAsync($"/api/v1/people?city={sample.City}&sort=lastName&limit=50"),
                    2 => await http.GetAsync($"/api/v1/search?q=m%C3%BCller"),
                    _ => await http.PostAsync("/api/v1/people", new StringContent(JsonSerializer.Serialize(new
                    {
                        firstName = "Last", lastName = $"Client {c}-{i}", emails = new[] { new { address = $"load{c}.{i}@bench.example" } },
                    }), System.Text.Encoding.UTF8, "application/json")),
                };
                await response.Content.LoadIntoBufferAsync();
                latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                if (!response.IsSuccessStatusCode) Interlocked.Increment(ref errors);
                response.Dispose();
            }
        })));
        var sorted = latencies.Order().ToArray();
        return new Load(Percentile(sorted, 0.99), sorted.Length, errors);
    }

    /// <summary>The nightly customer analytics (RFM, BG/NBD, Gamma-Gamma, breadth) over all orders, association rules, and motive inference.</summary>
    private static async Task AnalyticsAsync(IServiceProvider root, HttpClient http, Sample sample, Scale scale)
    {
        using var scope = root.CreateScope();
        await using var db = SystemDb.Create(scope.ServiceProvider);
        var runId = await Core.Analytics.CustomerScoring.StartAsync(db, null, default) ?? throw new InvalidOperationException("An analytics run is already running.");
        var clock = Stopwatch.StartNew();
        var run = await Core.Analytics.CustomerScoring.RunAsync(db, runId, default);
        Row($"customer analytics run: RFM + BG/NBD + Gamma-Gamma over {run.Customers:N0} customers / {scale.Orders:N0} orders ({run.Status})",
            $"{clock.Elapsed.TotalSeconds:N1} s", "", null, "≤ 10 s");

        // As the sales user, over the orders the user may read: the association rules, and a person's product
        // suggestions (the first asks for the cross-selling model, which is then kept until the orders change).
        clock.Restart();
        var rules = await http.GetFromJsonAsync<JsonElement>("/api/v1/insights/association-rules?minConfidence=0.1&limit=100");
        Row($"association rules between products over the orders (minimum support 1 %, confidence 10 %; {rules.GetProperty("items").GetArrayLength()} rules)",
            $"{clock.Elapsed.TotalSeconds:N1} s", "", null, "≤ 10 s");
        clock.Restart();
        using (var suggestions = await http.GetAsync($"/api/v1/people/{sample.Busy[0]}/product-suggestions")) suggestions.EnsureSuccessStatusCode();
        Row("a person's product suggestions, first call (builds the cross-selling model)", $"{clock.Elapsed.TotalSeconds:N1} s", "", null, "");
        var again = await LatencyAsync(http, i => $"/api/v1/people/{sample.Busy[i % sample.Busy.Length]}/product-suggestions", 3);
        Row("people's product suggestions with the model kept", Ms(again), "", null, "");

        var texts = await db.Interactions.AsNoTracking().OrderBy(i => i.Id).Take(scale.People / 10).Select(i => i.BodyText ?? "").ToListAsync();
        var analyzer = Core.Empathy.MotiveTaxonomyService.Analyzer(Core.Empathy.MotiveTaxonomyService.Defaults);
        clock.Restart();
        var cues = texts.Sum(t => analyzer.Analyze(t).Evidence.Count);
        Row($"motive inference over {texts.Count:N0} interaction texts ({cues:N0} cues)", $"{clock.Elapsed.TotalSeconds:N1} s ({texts.Count / clock.Elapsed.TotalSeconds:N0} texts/s)", "", null, "");
    }

    /// <summary>The process's working set, sampled every 50 ms.</summary>
    private sealed class PeakMemory
    {
        private long _peak;
        private CancellationTokenSource? _stop;
        private Task? _sampler;

        public void Start()
        {
            _stop = new CancellationTokenSource();
            _sampler = Task.Run(async () =>
            {
                using var process = Process.GetCurrentProcess();
                while (!_stop.IsCancellationRequested)
                {
                    process.Refresh();
                    _peak = Math.Max(_peak, process.WorkingSet64);
                    await Task.Delay(50);
                }
            });
        }

        public long Peak => Interlocked.Read(ref _peak);

        public long Stop()
        {
            _stop!.Cancel();
            _sampler!.Wait();
            return _peak;
        }
    }
}
