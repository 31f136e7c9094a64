using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Motiv.Core.Audit;
using Motiv.Core.Common;
using Motiv.Core.Customers;
using Motiv.Core.Identity;

namespace Motiv.Core.Data;

/// <summary>The columns and indexes every business record has.</summary>
internal static class RecordConfiguration
{
    public static void ConfigureRecord<T>(this EntityTypeBuilder<T> b) where T : Record
    {
        b.HasKey(r => r.Id);
        b.Property(r => r.Id).ValueGeneratedNever();
        b.Property(r => r.Version).IsConcurrencyToken();
        b.Property(r => r.Tags).HasMaxLength(2000);
        b.Ignore(r => r.RecordType);
        b.Ignore(r => r.DisplayName);
        b.HasIndex(r => r.OwnerId);
        b.HasIndex(r => r.TeamId);
        // Only the deleted rows (the recycle bin, the purge): a full index on a column that is NULL nearly everywhere
        // looked selective to SQLite's sampled statistics, which then read every live row through it and sorted them
        // instead of walking the list's own index (a million people's first page: 484 ms instead of under 1 ms).
        b.HasIndex(r => r.DeletedAt).HasFilter("\"DeletedAt\" IS NOT NULL");
        b.HasIndex(r => new { r.CreatedAt, r.Id });
        b.HasIndex(r => new { r.UpdatedAt, r.Id });
    }
}

internal sealed class OrganizationConfiguration : IEntityTypeConfiguration<Organization>
{
    public void Configure(EntityTypeBuilder<Organization> b)
    {
        b.ToTable("organizations");
        b.ConfigureRecord();
        b.Property(o => o.Name).HasMaxLength(200).IsRequired();
        b.Property(o => o.LegalForm).HasMaxLength(50);
        b.Property(o => o.Industry).HasMaxLength(100);
        b.Property(o => o.Website).HasMaxLength(300);
        b.Property(o => o.VatId).HasMaxLength(20);
        b.Property(o => o.TaxNumber).HasMaxLength(30);
        b.Property(o => o.ExternalId).HasMaxLength(100);
        b.Property(o => o.Notes).HasMaxLength(10000);
        b.Property(o => o.City).HasMaxLength(100);
        b.Property(o => o.Country).HasMaxLength(2);
        b.Property(o => o.PrimaryEmail).HasMaxLength(254);
        b.Property(o => o.PrimaryPhone).HasMaxLength(20);
        b.Property(o => o.SearchName).HasMaxLength(300);
        b.Property(o => o.Emails).HasJsonConversion();
        b.Property(o => o.Phones).HasJsonConversion();
        b.Property(o => o.Addresses).HasJsonConversion();
        b.HasOne<Organization>().WithMany().HasForeignKey(o => o.ParentId).OnDelete(DeleteBehavior.SetNull);
        b.HasIndex(o => new { o.Name, o.Id });
        // A filter and the default sort in one index (proof in docs/benchmarks.md): the first page is read in order and stops after 51 rows.
        b.HasIndex(o => new { o.City, o.Name, o.Id });
        b.HasIndex(o => o.Country);
        b.HasIndex(o => o.VatId);
        b.HasIndex(o => o.ExternalId);
        b.HasIndex(o => o.PrimaryEmail);
    }
}

internal sealed class PersonConfiguration : IEntityTypeConfiguration<Person>
{
    public void Configure(EntityTypeBuilder<Person> b)
    {
        b.ToTable("people");
        b.ConfigureRecord();
        b.Property(p => p.FirstName).HasMaxLength(100).IsRequired();
        b.Property(p => p.LastName).HasMaxLength(100).IsRequired();
        b.Property(p => p.AcademicTitle).HasMaxLength(50);
        b.Property(p => p.PreferredLanguage).HasMaxLength(5);
        b.Property(p => p.ExternalId).HasMaxLength(100);
        b.Property(p => p.Notes).HasMaxLength(10000);
        b.Property(p => p.City).HasMaxLength(100);
        b.Property(p => p.Country).HasMaxLength(2);
        b.Property(p => p.PrimaryEmail).HasMaxLength(254);
        b.Property(p => p.PrimaryPhone).HasMaxLength(20);
        b.Property(p => p.SearchName).HasMaxLength(300);
        b.Property(p => p.Emails).HasJsonConversion();
        b.Property(p => p.Phones).HasJsonConversion();
        b.Property(p => p.Addresses).HasJsonConversion();
        b.Property(p => p.Interests).HasJsonConversion();
        b.Property(p => p.ImportantDates).HasJsonConversion();
        b.Property(p => p.FamilyNotes).HasMaxLength(4000);
        b.Property(p => p.HowWeMet).HasMaxLength(1000);
        b.Property(p => p.ContactTimes).HasMaxLength(200);
        b.Property(p => p.CommunicationStyle).HasMaxLength(2000);
        b.HasMany(p => p.Employments).WithOne().HasForeignKey(e => e.PersonId).OnDelete(DeleteBehavior.Cascade);
        // Each sort's index is exactly (key, id), the keyset order; the city filter carries the default sort.
        b.HasIndex(p => new { p.LastName, p.Id });
        b.HasIndex(p => new { p.FirstName, p.Id });
        b.HasIndex(p => new { p.City, p.LastName, p.Id });
        b.HasIndex(p => p.PrimaryEmail);
        b.HasIndex(p => p.ExternalId);
        b.HasIndex(p => p.NextReminderOn);
    }
}

internal sealed class EmploymentConfiguration : IEntityTypeConfiguration<Employment>
{
    public void Configure(EntityTypeBuilder<Employment> b)
    {
        b.ToTable("employments");
        b.HasKey(e => e.Id);
        b.Property(e => e.Id).ValueGeneratedNever();
        b.Property(e => e.Position).HasMaxLength(100);
        b.Property(e => e.Department).HasMaxLength(100);
        b.HasOne<Organization>().WithMany().HasForeignKey(e => e.OrganizationId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(e => e.OrganizationId);
    }
}

internal sealed class RelationshipConfiguration : IEntityTypeConfiguration<Relationship>
{
    public void Configure(EntityTypeBuilder<Relationship> b)
    {
        b.ToTable("relationships");
        b.ConfigureRecord();
        b.Property(r => r.Note).HasMaxLength(2000);
        b.HasIndex(r => r.FromId);
        b.HasIndex(r => r.ToId);
    }
}

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> b)
    {
        b.ToTable("audit_entries");
        b.HasKey(a => a.Id);
        b.Property(a => a.Id).ValueGeneratedNever();
        b.Property(a => a.RecordType).HasMaxLength(50);
        b.Property(a => a.Changes).HasJsonConversion();
        b.HasIndex(a => new { a.RecordId, a.Version });
    }
}

internal sealed class TeamConfiguration : IEntityTypeConfiguration<Team>
{
    public void Configure(EntityTypeBuilder<Team> b)
    {
        b.ToTable("teams");
        b.HasKey(t => t.Id);
        b.Property(t => t.Id).ValueGeneratedNever();
        b.Property(t => t.Name).HasMaxLength(100).IsRequired();
        b.HasIndex(t => t.Name).IsUnique();
        b.HasMany(t => t.Members).WithOne().HasForeignKey(m => m.TeamId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class TeamMemberConfiguration : IEntityTypeConfiguration<TeamMember>
{
    public void Configure(EntityTypeBuilder<TeamMember> b)
    {
        b.ToTable("team_members");
        b.HasKey(m => new { m.TeamId, m.UserId });
        b.HasOne<MotivUser>().WithMany().HasForeignKey(m => m.UserId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(m => m.UserId);
    }
}

internal sealed class ApiTokenConfiguration : IEntityTypeConfiguration<ApiToken>
{
    public void Configure(EntityTypeBuilder<ApiToken> b)
    {
        b.ToTable("api_tokens");
        b.HasKey(t => t.Id);
        b.Property(t => t.Id).ValueGeneratedNever();
        b.Property(t => t.Name).HasMaxLength(100);
        b.Property(t => t.Hash).HasMaxLength(64).IsRequired();
        b.HasIndex(t => t.Hash).IsUnique();
        b.HasIndex(t => t.UserId);
        b.HasOne<MotivUser>().WithMany().HasForeignKey(t => t.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class MotivUserConfiguration : IEntityTypeConfiguration<MotivUser>
{
    public void Configure(EntityTypeBuilder<MotivUser> b)
    {
        b.Property(u => u.DisplayName).HasMaxLength(200);
        b.Property(u => u.Culture).HasMaxLength(10);
        b.Property(u => u.TimeZone).HasMaxLength(64);
    }
}

internal sealed class CustomFieldDefinitionConfiguration : IEntityTypeConfiguration<CustomFields.CustomFieldDefinition>
{
    public void Configure(EntityTypeBuilder<CustomFields.CustomFieldDefinition> b)
    {
        b.ToTable("custom_field_definitions");
        b.HasKey(f => f.Id);
        b.Property(f => f.Id).ValueGeneratedNever();
        b.Property(f => f.RecordType).HasMaxLength(50);
        b.Property(f => f.Key).HasMaxLength(50);
        b.Property(f => f.LabelEn).HasMaxLength(100);
        b.Property(f => f.LabelDe).HasMaxLength(100);
        b.Property(f => f.Options).HasJsonConversion();
        b.HasIndex(f => new { f.RecordType, f.Key }).IsUnique();
    }
}

internal sealed class CustomFieldValueConfiguration : IEntityTypeConfiguration<CustomFields.CustomFieldValue>
{
    public void Configure(EntityTypeBuilder<CustomFields.CustomFieldValue> b)
    {
        b.ToTable("custom_field_values");
        b.HasKey(v => v.Id);
        b.Property(v => v.Id).ValueGeneratedNever();
        b.Property(v => v.FieldKey).HasMaxLength(50);
        b.Property(v => v.Text).HasMaxLength(1000);
        b.Property(v => v.Number).HasPrecision(18, 4);
        b.Property(v => v.Currency).HasMaxLength(3);
        b.HasOne<CustomFields.CustomFieldDefinition>().WithMany().HasForeignKey(v => v.FieldId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(v => v.RecordId);
        b.HasIndex(v => new { v.FieldId, v.Text });
        b.HasIndex(v => new { v.FieldId, v.Number });
        b.HasIndex(v => new { v.FieldId, v.Date });
    }
}

internal sealed class SavedViewConfiguration : IEntityTypeConfiguration<Views.SavedView>
{
    public void Configure(EntityTypeBuilder<Views.SavedView> b)
    {
        b.ToTable("saved_views");
        b.HasKey(v => v.Id);
        b.Property(v => v.Id).ValueGeneratedNever();
        b.Property(v => v.RecordType).HasMaxLength(50);
        b.Property(v => v.Name).HasMaxLength(100);
        b.Property(v => v.Sort).HasMaxLength(50);
        b.Property(v => v.Filters).HasJsonConversion();
        b.Property(v => v.Columns).HasJsonConversion();
        b.HasIndex(v => new { v.OwnerId, v.RecordType });
        b.HasOne<MotivUser>().WithMany().HasForeignKey(v => v.OwnerId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ProductConfiguration : IEntityTypeConfiguration<Sales.Product>
{
    public void Configure(EntityTypeBuilder<Sales.Product> b)
    {
        b.ToTable("products");
        b.ConfigureRecord();
        b.Property(p => p.Sku).HasMaxLength(50).IsRequired();
        b.Property(p => p.NameDe).HasMaxLength(200).IsRequired();
        b.Property(p => p.NameEn).HasMaxLength(200).IsRequired();
        b.Property(p => p.DescriptionDe).HasMaxLength(4000);
        b.Property(p => p.DescriptionEn).HasMaxLength(4000);
        b.Property(p => p.Category).HasMaxLength(100);
        b.Property(p => p.Unit).HasMaxLength(20);
        b.Property(p => p.VatRate).HasPrecision(5, 2);
        b.HasIndex(p => p.Sku).IsUnique();
        b.HasIndex(p => new { p.NameDe, p.Id });
        b.HasIndex(p => new { p.Category, p.Id });
    }
}

internal sealed class ExchangeRateConfiguration : IEntityTypeConfiguration<Sales.ExchangeRate>
{
    public void Configure(EntityTypeBuilder<Sales.ExchangeRate> b)
    {
        b.ToTable("exchange_rates");
        b.HasKey(r => r.Id);
        b.Property(r => r.Id).ValueGeneratedNever();
        b.Property(r => r.Currency).HasMaxLength(3);
        b.Property(r => r.Rate).HasPrecision(18, 8);
        b.HasIndex(r => new { r.Currency, r.Date }).IsUnique();
    }
}
