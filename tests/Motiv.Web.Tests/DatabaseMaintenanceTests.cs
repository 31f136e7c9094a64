using Microsoft.EntityFrameworkCore;
using Motiv.Core.Customers;
using Motiv.Web.Hosting;

namespace Motiv.Web.Tests;

/// <summary>SQLite's planner statistics, which Motiv keeps itself (PostgreSQL's autovacuum keeps its own).</summary>
public sealed class DatabaseMaintenanceTests(ApiWorld worlds) : IClassFixture<ApiWorld>
{
    [Fact]
    public async Task The_nightly_statistics_job_gives_the_planner_statistics_for_tables_that_grew()
    {
        var w = await worlds.GetAsync(TestDatabase.Sqlite);
        await using var db = w.Factory.SystemDb();
        var tag = Api.Unique("stat");
        for (var i = 0; i < 500; i++)
            db.People.Add(new Person { Id = Guid.CreateVersion7(), FirstName = "Stat", LastName = $"{tag} {i}", City = i % 2 == 0 ? "Köln" : "Bonn", OwnerId = w.SalesA });
        await db.SaveChangesAsync();

        await StatisticsJob.RefreshAsync(db);

        var rows = await db.Database.SqlQueryRaw<string>("SELECT idx AS \"Value\" FROM sqlite_stat1 WHERE tbl = 'people'").ToListAsync();
        Assert.Contains("IX_people_City_LastName_Id", rows);
    }
}
