using Microsoft.EntityFrameworkCore;
using Motiv.Core.Audit;
using Motiv.Core.Common;
using Motiv.Core.Customers;
using static Motiv.Web.Tests.Api;

namespace Motiv.Web.Tests;

/// <summary>
/// A save with many new records of one kind (an import's batch) writes them with one prepared statement or COPY instead
/// of EF Core's batches; the save pipeline (stamps, version, audit, search) and the change tracker must not notice.
/// </summary>
public sealed class LargeSaveTests(ApiWorld worlds) : IClassFixture<ApiWorld>
{
    [Theory, MemberData(nameof(ApiWorld.Databases), MemberType = typeof(ApiWorld))]
    public async Task Many_new_records_in_one_save_are_stamped_audited_found_and_can_be_changed_again_in_the_same_context(string db)
    {
        var w = await worlds.GetAsync(db);
        var word = Unique("Massen").Replace("-", "", StringComparison.Ordinal);
        await using var ctx = w.Factory.SystemDb();
        var people = Enumerable.Range(0, 60).Select(i => new Person
        {
            FirstName = "Mia", LastName = $"{word} {i}", OwnerId = w.SalesA, Emails = [new EmailAddress($"mia{i}@{word}.example")], PrimaryEmail = $"mia{i}@{word}.example",
        }).ToList();
        ctx.People.AddRange(people);
        Assert.True(await ctx.SaveChangesAsync() >= 120);

        var ids = people.Select(p => p.Id).ToList();
        await using (var check = w.Factory.SystemDb())
        {
            var stored = await check.People.Where(p => ids.Contains(p.Id)).ToListAsync();
            Assert.Equal(60, stored.Count);
            Assert.All(stored, p => Assert.Equal((1L, w.SalesA, "mia"), (p.Version, p.OwnerId, p.SearchName[..3])));
            Assert.Equal(60, await check.AuditEntries.CountAsync(a => ids.Contains(a.RecordId) && a.Action == AuditAction.Created));
        }
        var client = w.Client(w.SalesA);
        var found = (await OkJsonAsync(await client.GetAsync($"/api/v1/search?q={word}"))).GetProperty("items");
        Assert.True(found.GetArrayLength() >= 10, found.ToString());

        // The same context goes on: an in-place change of a list and a name are saved as version 2; the other records stay as they were.
        people[0].Emails.Add(new EmailAddress($"privat@{word}.example", EmailType.Private));
        people[1].LastName = word + " geändert";
        await ctx.SaveChangesAsync();
        await using (var check = w.Factory.SystemDb())
        {
            var versions = await check.People.Where(p => ids.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.Version);
            Assert.Equal((2L, 2L), (versions[ids[0]], versions[ids[1]]));
            Assert.Equal(58, versions.Values.Count(v => v == 1));
            Assert.Equal(2, (await check.People.SingleAsync(p => p.Id == ids[0])).Emails.Count);
            var update = await check.AuditEntries.SingleAsync(a => a.RecordId == ids[0] && a.Action == AuditAction.Updated);
            Assert.Contains(update.Changes, c => c.Field == "emails" && c.New!.Contains("privat@", StringComparison.Ordinal));
        }
    }

    [Theory, MemberData(nameof(ApiWorld.Databases), MemberType = typeof(ApiWorld))]
    public async Task A_large_save_the_database_refuses_leaves_nothing_and_its_records_stay_unsaved(string db)
    {
        var w = await worlds.GetAsync(db);
        var before = await w.Factory.FingerprintAsync();
        await using var ctx = w.Factory.SystemDb();
        var people = Enumerable.Range(0, 60).Select(i => new Person { FirstName = "Ole", LastName = $"Abgelehnt {i}", OwnerId = w.SalesA }).ToList();
        people[59].LastName = null!;
        ctx.People.AddRange(people);
        var refused = await Assert.ThrowsAsync<DbUpdateException>(() => ctx.SaveChangesAsync());
        Assert.NotNull(refused.InnerException);
        Assert.All(people, p => Assert.Equal(EntityState.Added, ctx.Entry(p).State));
        Assert.Equal(before, await w.Factory.FingerprintAsync());
    }
}
