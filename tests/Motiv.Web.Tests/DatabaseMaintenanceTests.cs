using Microsoft.EntityFrameworkCore;
using Motiv.Core.Customers;
using Motiv.Web.Hosting;

namespace Motiv.Web.Tests;

/// <summary>SQLite's planner statistics, which Motiv keeps itself (PostgreSQL's autovacuum keeps its own); the model's JSON list columns.</summary>
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

    [Fact]
    public async Task Every_JSON_list_column_holds_strings_or_immutable_records_of_scalars_so_changes_are_detected_by_value()
    {
        // JsonColumn compares such lists element by element and snapshots them with a shallow copy: a mutable element
        // (a class, a record with a list or a settable property) would let an in-place change go unsaved.
        var w = await worlds.GetAsync(TestDatabase.Sqlite);
        await using var db = w.Factory.SystemDb();
        var lists = db.Model.GetEntityTypes().SelectMany(e => e.GetProperties())
            .Where(p => p.ClrType.IsGenericType && p.ClrType.GetGenericTypeDefinition() == typeof(List<>)).ToList();
        Assert.True(lists.Count >= 20, $"only {lists.Count} JSON list columns found");
        static bool Scalar(Type t) => (Nullable.GetUnderlyingType(t) ?? t) is var u && (u.IsPrimitive || u.IsEnum || u == typeof(string) || u == typeof(decimal)
            || u == typeof(Guid) || u == typeof(DateOnly) || u == typeof(DateTimeOffset) || u == typeof(TimeOnly));
        foreach (var p in lists)
        {
            var t = p.ClrType.GetGenericArguments()[0];
            if (t == typeof(string)) continue;
            var isRecord = t.GetMethod("<Clone>$") is not null;
            var mutable = t.GetProperties().Where(x => x.SetMethod is { } set && !set.ReturnParameter.GetRequiredCustomModifiers().Contains(typeof(System.Runtime.CompilerServices.IsExternalInit)));
            var notScalar = t.GetProperties().Where(x => x.CanWrite && !Scalar(x.PropertyType));
            Assert.True(isRecord && !mutable.Any() && !notScalar.Any(), $"{p.DeclaringType.DisplayName()}.{p.Name}: {t.Name} must be a record of scalar init-only properties");
        }
    }
}
