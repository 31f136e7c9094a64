using Microsoft.EntityFrameworkCore;
using Motiv.Core.Activities;
using Motiv.Core.Audit;
using Motiv.Core.Common;
using Motiv.Core.Communication;
using Motiv.Core.CustomFields;
using Motiv.Core.Data;
using Motiv.Core.Empathy;
using Motiv.Core.Sales;

namespace Motiv.Core.Customers;

/// <summary>
/// Two records that are the same: the survivor stays, the other goes to the recycle bin. <see cref="Take"/> names the
/// fields whose value comes from the merged record (otherwise the survivor's, and the merged one's where the survivor
/// has none); lists (e-mail addresses, phones, addresses, tags, roles) are joined.
/// </summary>
public sealed record MergeInput(string? Entity, Guid? SurvivorId, Guid? MergedId, long? SurvivorVersion, long? MergedVersion, List<string>? Take);

public sealed record MergeResult(Guid SurvivorId, IReadOnlyDictionary<string, int> Moved);

/// <summary>
/// Merges two people or two organisations in one transaction: both must be writable by the user and unchanged since
/// they were read (versions); everything that points to the merged record — employments, relationships, timeline,
/// deals, quotes, orders, leads, tasks, consents, motive evidence and ratings — then points to the survivor (links
/// that would be doubled are dropped), and both records' histories say what happened.
/// </summary>
public sealed class MergeService(IDbContextFactory<MotivDbContext> dbFactory, TimeProvider clock)
{
    public static readonly IReadOnlyList<string> PersonFields =
        ["salutation", "academicTitle", "firstName", "lastName", "birthday", "preferredLanguage", "preferredChannel", "keepInTouchDays", "externalId", "notes",
         "familyNotes", "howWeMet", "contactTimes", "communicationStyle"];

    public static readonly IReadOnlyList<string> OrganizationFields = ["name", "legalForm", "industry", "website", "vatId", "taxNumber", "parentId", "externalId", "notes"];

    public async Task<MergeResult> MergeAsync(MergeInput input, CancellationToken ct = default)
    {
        var entity = input.Entity?.Trim().ToLowerInvariant();
        var errors = new FieldErrors();
        if (entity is not ("people" or "organizations")) errors.Add("entity", Text.Get("Validation.Choice"));
        if (input.SurvivorId is null) errors.Add("survivorId", Text.Get("Validation.Required"));
        if (input.MergedId is null) errors.Add("mergedId", Text.Get("Validation.Required"));
        else if (input.MergedId == input.SurvivorId) errors.Add("mergedId", Text.Get("Merge.Same"));
        var allowed = entity == "people" ? PersonFields : OrganizationFields;
        foreach (var (field, i) in (input.Take ?? []).Select((f, i) => (f, i)).Where(f => !allowed.Contains(f.f)))
            errors.Add($"take[{i}]", Text.Get("Validation.UnknownField"));
        errors.ThrowIfAny();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (db.Scope.IsReadOnly) throw new AccessDeniedException(Text.Get("Access.ReadOnly"));
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var survivorId = input.SurvivorId!.Value;
        var mergedId = input.MergedId!.Value;
        var take = (input.Take ?? []).ToHashSet();
        Dictionary<string, int> moved;
        Record survivor, merged;
        if (entity == "people")
        {
            var s = await Records.FindForUpdateAsync(db, db.People.Include(p => p.Employments), survivorId, input.SurvivorVersion, ct);
            var m = await Records.FindForUpdateAsync(db, db.People.Include(p => p.Employments), mergedId, input.MergedVersion, ct);
            MergePerson(s, m, take);
            (survivor, merged) = (s, m);
            moved = await RelinkPersonAsync(db, s, m, ct);
        }
        else
        {
            var s = await Records.FindForUpdateAsync(db, db.Organizations, survivorId, input.SurvivorVersion, ct);
            var m = await Records.FindForUpdateAsync(db, db.Organizations, mergedId, input.MergedVersion, ct);
            MergeOrganization(s, m, take);
            (survivor, merged) = (s, m);
            moved = await RelinkOrganizationAsync(db, s, m, ct);
        }
        moved["customFields"] = await MoveCustomFieldsAsync(db, survivorId, mergedId, ct);
        moved["tasks"] = await db.Tasks.IgnoreQueryFilters().Where(t => t.RelatedId == mergedId)
            .ExecuteUpdateAsync(u => u.SetProperty(t => t.RelatedId, survivorId), ct);
        merged.DeletedAt = clock.GetUtcNow();
        // The histories of both say what happened (the links moved are counted; their own records keep their history).
        var summary = string.Join(", ", moved.Where(m => m.Value > 0).Select(m => $"{m.Key} {m.Value}"));
        await db.SaveChangesAsync(ct);
        db.AuditEntries.Add(Note(db, merged, "mergedInto", survivor.Id.ToString()));
        db.AuditEntries.Add(Note(db, survivor, "mergedFrom", $"{merged.Id} ({merged.DisplayName}){(summary.Length > 0 ? ": " + summary : "")}"));
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return new MergeResult(survivorId, moved);
    }

    private AuditEntry Note(MotivDbContext db, Record r, string field, string value) => new()
    {
        Id = Guid.CreateVersion7(), RecordType = r.RecordType, RecordId = r.Id, Action = AuditAction.Updated, Version = r.Version,
        UserId = db.Scope.UserId, At = clock.GetUtcNow(), Changes = [new FieldChange(field, null, Texts.Cut(value, 2000))],
    };

    private static T Pick<T>(bool takeMerged, T survivor, T merged) => takeMerged || IsEmpty(survivor) ? (IsEmpty(merged) ? survivor : merged) : survivor;

    private static bool IsEmpty<T>(T value) => value is null || (value is string s && s.Length == 0);

    private static List<T> Join<T>(List<T> first, List<T> second, Func<T, string> key) =>
        [.. first.Concat(second).GroupBy(key, StringComparer.OrdinalIgnoreCase).Select(g => g.First()).Take(Contacts.MaxEntries)];

    private static void MergePerson(Person s, Person m, HashSet<string> take)
    {
        s.Salutation = take.Contains("salutation") || s.Salutation == Salutation.None ? (m.Salutation != Salutation.None ? m.Salutation : s.Salutation) : s.Salutation;
        s.AcademicTitle = Pick(take.Contains("academicTitle"), s.AcademicTitle, m.AcademicTitle);
        s.FirstName = Pick(take.Contains("firstName"), s.FirstName, m.FirstName);
        s.LastName = Pick(take.Contains("lastName"), s.LastName, m.LastName);
        s.Birthday = Pick(take.Contains("birthday"), s.Birthday, m.Birthday);
        s.PreferredLanguage = Pick(take.Contains("preferredLanguage"), s.PreferredLanguage, m.PreferredLanguage);
        s.PreferredChannel = Pick(take.Contains("preferredChannel"), s.PreferredChannel, m.PreferredChannel);
        s.KeepInTouchDays = Pick(take.Contains("keepInTouchDays"), s.KeepInTouchDays, m.KeepInTouchDays);
        s.ExternalId = Pick(take.Contains("externalId"), s.ExternalId, m.ExternalId);
        s.Notes = Pick(take.Contains("notes"), s.Notes, m.Notes);
        s.FamilyNotes = Pick(take.Contains("familyNotes"), s.FamilyNotes, m.FamilyNotes);
        s.HowWeMet = Pick(take.Contains("howWeMet"), s.HowWeMet, m.HowWeMet);
        s.ContactTimes = Pick(take.Contains("contactTimes"), s.ContactTimes, m.ContactTimes);
        s.CommunicationStyle = Pick(take.Contains("communicationStyle"), s.CommunicationStyle, m.CommunicationStyle);
        s.Emails = Join(s.Emails, m.Emails, e => e.Address);
        s.Phones = Join(s.Phones, m.Phones, p => p.Number);
        s.Addresses = Join(s.Addresses, m.Addresses, a => $"{a.Street}|{a.PostalCode}|{a.City}|{a.Country}");
        s.Interests = Join(s.Interests, m.Interests, i => i);
        s.ImportantDates = Join(s.ImportantDates, m.ImportantDates, d => $"{d.Kind}|{d.Date}");
        s.BirthdayReminder |= m.BirthdayReminder;
        s.Tags = TagList.ToStored(TagList.FromStored(s.Tags).Concat(TagList.FromStored(m.Tags)));
        // An objection to motive profiling by either record holds for the person.
        s.MotivesObjectedAt = s.MotivesObjectedAt ?? m.MotivesObjectedAt;
        Contacts.Derive(s);
        foreach (var e in m.Employments.ToList())
        {
            m.Employments.Remove(e);
            if (s.Employments.All(x => x.OrganizationId != e.OrganizationId))
                s.Employments.Add(new Employment
                {
                    PersonId = s.Id, OrganizationId = e.OrganizationId, Position = e.Position, Department = e.Department,
                    IsPrimary = e.IsPrimary && s.Employments.All(x => !x.IsPrimary), From = e.From, To = e.To,
                });
        }
    }

    private static void MergeOrganization(Organization s, Organization m, HashSet<string> take)
    {
        s.Name = Pick(take.Contains("name"), s.Name, m.Name);
        s.LegalForm = Pick(take.Contains("legalForm"), s.LegalForm, m.LegalForm);
        s.Industry = Pick(take.Contains("industry"), s.Industry, m.Industry);
        s.Website = Pick(take.Contains("website"), s.Website, m.Website);
        s.VatId = Pick(take.Contains("vatId"), s.VatId, m.VatId);
        s.TaxNumber = Pick(take.Contains("taxNumber"), s.TaxNumber, m.TaxNumber);
        s.ParentId = Pick(take.Contains("parentId"), s.ParentId, m.ParentId) is { } parent && parent != s.Id && parent != m.Id ? parent : null;
        s.ExternalId = Pick(take.Contains("externalId"), s.ExternalId, m.ExternalId);
        s.Notes = Pick(take.Contains("notes"), s.Notes, m.Notes);
        s.Roles |= m.Roles;
        s.Emails = Join(s.Emails, m.Emails, e => e.Address);
        s.Phones = Join(s.Phones, m.Phones, p => p.Number);
        s.Addresses = Join(s.Addresses, m.Addresses, a => $"{a.Street}|{a.PostalCode}|{a.City}|{a.Country}");
        s.Tags = TagList.ToStored(TagList.FromStored(s.Tags).Concat(TagList.FromStored(m.Tags)));
        Contacts.Derive(s);
    }

    /// <summary>
    /// Points every link to the merged person at the survivor, also links in records the user cannot see (they would
    /// otherwise point to a deleted person). Links the survivor already has are dropped.
    /// </summary>
    private static async Task<Dictionary<string, int>> RelinkPersonAsync(MotivDbContext db, Person s, Person m, CancellationToken ct)
    {
        var (to, from) = (s.Id, m.Id);
        var moved = new Dictionary<string, int>();
        var participants = db.Set<InteractionParticipant>();
        await participants.Where(p => p.PersonId == from && participants.Any(x => x.PersonId == to && x.InteractionId == p.InteractionId)).ExecuteDeleteAsync(ct);
        moved["interactions"] = await participants.Where(p => p.PersonId == from).ExecuteUpdateAsync(u => u.SetProperty(p => p.PersonId, to), ct);
        var contacts = db.Set<DealContact>();
        await contacts.Where(c => c.PersonId == from && contacts.Any(x => x.PersonId == to && x.DealId == c.DealId)).ExecuteDeleteAsync(ct);
        moved["deals"] = await contacts.Where(c => c.PersonId == from).ExecuteUpdateAsync(u => u.SetProperty(c => c.PersonId, to), ct);
        moved["quotes"] = await db.Quotes.IgnoreQueryFilters().Where(q => q.PersonId == from).ExecuteUpdateAsync(u => u.SetProperty(q => q.PersonId, to), ct);
        moved["orders"] = await db.Orders.IgnoreQueryFilters().Where(o => o.PersonId == from).ExecuteUpdateAsync(u => u.SetProperty(o => o.PersonId, to), ct);
        moved["leads"] = await db.Leads.IgnoreQueryFilters().Where(l => l.PersonId == from).ExecuteUpdateAsync(u => u.SetProperty(l => l.PersonId, to), ct);
        moved["consents"] = await db.ConsentEntries.Where(c => c.PersonId == from).ExecuteUpdateAsync(u => u.SetProperty(c => c.PersonId, to), ct);
        moved["relationships"] = await RelinkRelationshipsAsync(db, from, to, ct);
        if (s.MotivesObjectedAt is not null)
        {
            // The objection covers both: nothing of either is kept.
            await db.MotiveEvidence.Where(e => e.PersonId == from || e.PersonId == to).ExecuteDeleteAsync(ct);
            await db.MotiveRatings.Where(e => e.PersonId == from || e.PersonId == to).ExecuteDeleteAsync(ct);
            await db.MotiveSnapshots.Where(e => e.PersonId == from || e.PersonId == to).ExecuteDeleteAsync(ct);
        }
        else
        {
            var evidence = db.MotiveEvidence;
            await evidence.Where(e => e.PersonId == from && evidence.Any(x => x.PersonId == to && x.InteractionId == e.InteractionId && x.Motive == e.Motive && x.SentenceKey == e.SentenceKey))
                .ExecuteDeleteAsync(ct);
            moved["motiveEvidence"] = await evidence.Where(e => e.PersonId == from).ExecuteUpdateAsync(u => u.SetProperty(e => e.PersonId, to), ct);
            moved["motiveRatings"] = await db.MotiveRatings.Where(e => e.PersonId == from).ExecuteUpdateAsync(u => u.SetProperty(e => e.PersonId, to), ct);
            await db.MotiveSnapshots.Where(e => e.PersonId == from).ExecuteDeleteAsync(ct);
        }
        await db.ActionFeedback.Where(f => f.PersonId == from).ExecuteUpdateAsync(u => u.SetProperty(f => f.PersonId, to), ct);
        await DropHealthAsync(db, from, ct);
        return moved;
    }

    private static async Task<Dictionary<string, int>> RelinkOrganizationAsync(MotivDbContext db, Organization s, Organization m, CancellationToken ct)
    {
        var (to, from) = (s.Id, m.Id);
        var moved = new Dictionary<string, int>();
        var employments = db.Employments;
        await employments.Where(e => e.OrganizationId == from && employments.Any(x => x.OrganizationId == to && x.PersonId == e.PersonId)).ExecuteDeleteAsync(ct);
        moved["employments"] = await employments.Where(e => e.OrganizationId == from).ExecuteUpdateAsync(u => u.SetProperty(e => e.OrganizationId, to), ct);
        moved["subsidiaries"] = await db.Organizations.IgnoreQueryFilters().Where(o => o.ParentId == from && o.Id != to).ExecuteUpdateAsync(u => u.SetProperty(o => o.ParentId, to), ct);
        moved["interactions"] = await db.Interactions.IgnoreQueryFilters().Where(i => i.OrganizationId == from).ExecuteUpdateAsync(u => u.SetProperty(i => i.OrganizationId, to), ct);
        moved["deals"] = await db.Deals.IgnoreQueryFilters().Where(d => d.OrganizationId == from).ExecuteUpdateAsync(u => u.SetProperty(d => d.OrganizationId, to), ct);
        moved["quotes"] = await db.Quotes.IgnoreQueryFilters().Where(q => q.OrganizationId == from).ExecuteUpdateAsync(u => u.SetProperty(q => q.OrganizationId, to), ct);
        moved["orders"] = await db.Orders.IgnoreQueryFilters().Where(o => o.OrganizationId == from).ExecuteUpdateAsync(u => u.SetProperty(o => o.OrganizationId, to), ct);
        moved["leads"] = await db.Leads.IgnoreQueryFilters().Where(l => l.OrganizationId == from).ExecuteUpdateAsync(u => u.SetProperty(l => l.OrganizationId, to), ct);
        moved["relationships"] = await RelinkRelationshipsAsync(db, from, to, ct);
        await DropHealthAsync(db, from, ct);
        return moved;
    }

    private static async Task<int> RelinkRelationshipsAsync(MotivDbContext db, Guid from, Guid to, CancellationToken ct)
    {
        var relationships = db.Relationships.IgnoreQueryFilters();
        var n = await relationships.Where(r => r.FromId == from).ExecuteUpdateAsync(u => u.SetProperty(r => r.FromId, to), ct)
            + await relationships.Where(r => r.ToId == from).ExecuteUpdateAsync(u => u.SetProperty(r => r.ToId, to), ct);
        // A relationship between the two is now one with itself: gone.
        await relationships.Where(r => r.FromId == to && r.ToId == to).ExecuteDeleteAsync(ct);
        return n;
    }

    /// <summary>The merged record's health is recomputed with the survivor's by the nightly job.</summary>
    private static async Task DropHealthAsync(MotivDbContext db, Guid from, CancellationToken ct)
    {
        await db.HealthScores.Where(h => h.SubjectId == from).ExecuteDeleteAsync(ct);
        await db.HealthHistory.Where(h => h.SubjectId == from).ExecuteDeleteAsync(ct);
    }

    /// <summary>Custom field values the survivor has no value for come from the merged record.</summary>
    private static async Task<int> MoveCustomFieldsAsync(MotivDbContext db, Guid to, Guid from, CancellationToken ct)
    {
        var values = db.CustomFieldValues;
        await values.Where(v => v.RecordId == from && values.Any(x => x.RecordId == to && x.FieldId == v.FieldId)).ExecuteDeleteAsync(ct);
        return await values.Where(v => v.RecordId == from).ExecuteUpdateAsync(u => u.SetProperty(v => v.RecordId, to), ct);
    }
}
