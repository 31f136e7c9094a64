using System.Collections.Concurrent;
using Motiv.Core.Access;

namespace Motiv.Web.Tests;

/// <summary>
/// One running Motiv per database provider, shared by a test class, with two teams and a user of
/// each role: teamA has the manager, two sales people and a read-only user; teamB one sales person.
/// </summary>
public sealed class ApiWorld : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<Task<World>>> _worlds = new();

    public static TheoryData<string> Databases => new(TestDatabase.All);

    public Task<World> GetAsync(string provider)
    {
        if (provider == TestDatabase.Postgres) Requirements.Postgres();
        return _worlds.GetOrAdd(provider, p => new Lazy<Task<World>>(() => World.CreateAsync(p))).Value;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var world in _worlds.Values.Where(w => w.IsValueCreated))
        {
            try { await (await world.Value).Factory.DisposeAsync(); } catch (Exception) { /* a failed start has nothing to stop */ }
        }
    }
}

public sealed class World
{
    public required MotivWebFactory Factory { get; init; }
    public Guid TeamA { get; private set; }
    public Guid TeamB { get; private set; }
    public Guid Admin { get; private set; }
    public Guid Manager { get; private set; }
    public Guid SalesA { get; private set; }
    public Guid SalesA2 { get; private set; }
    public Guid SalesB { get; private set; }
    public Guid ReadOnly { get; private set; }
    private readonly Dictionary<Guid, HttpClient> _clients = [];

    public static async Task<World> CreateAsync(string provider)
    {
        var world = new World { Factory = await MotivWebFactory.StartAsync(provider) };
        var f = world.Factory;
        world.TeamA = await f.CreateTeamAsync("Team A");
        world.TeamB = await f.CreateTeamAsync("Team B");
        world.Admin = await f.CreateUserAsync("admin@test.example", Roles.Administrator);
        world.Manager = await f.CreateUserAsync("manager@test.example", Roles.Manager, world.TeamA);
        world.SalesA = await f.CreateUserAsync("sales.a@test.example", Roles.Sales, world.TeamA);
        world.SalesA2 = await f.CreateUserAsync("sales.a2@test.example", Roles.Sales, world.TeamA);
        world.SalesB = await f.CreateUserAsync("sales.b@test.example", Roles.Sales, world.TeamB);
        world.ReadOnly = await f.CreateUserAsync("readonly@test.example", Roles.ReadOnly, world.TeamA);
        foreach (var user in new[] { world.Admin, world.Manager, world.SalesA, world.SalesA2, world.SalesB, world.ReadOnly })
            world._clients[user] = await f.ClientForAsync(user);
        return world;
    }

    public HttpClient Client(Guid user) => _clients[user];

    public IEnumerable<(string Name, Guid Id)> Users =>
        [("admin", Admin), ("manager", Manager), ("salesA", SalesA), ("salesA2", SalesA2), ("salesB", SalesB), ("readOnly", ReadOnly)];
}
