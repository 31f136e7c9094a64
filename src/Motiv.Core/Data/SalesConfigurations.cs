using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Motiv.Core.Common;
using Motiv.Core.Customers;
using Motiv.Core.Identity;
using Motiv.Core.Sales;

namespace Motiv.Core.Data;

internal static class SalesColumns
{
    /// <summary>Priced lines of a deal, quote or order: the same columns in a table per owner.</summary>
    public static void ConfigureLines<T>(this EntityTypeBuilder<T> b, string table) where T : class
    {
        b.OwnsMany<LineItem>("Lines", l =>
        {
            l.ToTable(table);
            l.WithOwner().HasForeignKey(x => x.RecordId);
            l.HasKey(x => x.Id);
            l.Property(x => x.Id).ValueGeneratedNever();
            l.Property(x => x.Sku).HasMaxLength(50);
            l.Property(x => x.Name).HasMaxLength(200).IsRequired();
            l.Property(x => x.Description).HasMaxLength(2000);
            l.Property(x => x.Unit).HasMaxLength(20);
            l.Property(x => x.Quantity).HasPrecision(18, 4);
            l.Property(x => x.UnitPrice).HasPrecision(18, 4);
            l.Property(x => x.DiscountPercent).HasPrecision(5, 2);
            l.Property(x => x.VatRate).HasPrecision(5, 2);
            l.Property(x => x.Net).HasPrecision(18, 2);
            l.HasIndex(x => x.ProductId);
        });
    }

    public static void ConfigureDocument<T>(this EntityTypeBuilder<T> b, string table) where T : SalesDocument
    {
        b.ToTable(table);
        b.ConfigureRecord();
        b.Property(d => d.Number).HasMaxLength(40).IsRequired();
        b.Property(d => d.Currency).HasMaxLength(3);
        b.Property(d => d.Language).HasMaxLength(2);
        b.Property(d => d.Net).HasPrecision(18, 2);
        b.Property(d => d.Vat).HasPrecision(18, 2);
        b.Property(d => d.Gross).HasPrecision(18, 2);
        b.Property(d => d.VatByRate).HasJsonConversion();
        b.Property(d => d.Notes).HasMaxLength(10000);
        b.HasOne<Organization>().WithMany().HasForeignKey(d => d.OrganizationId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(d => d.Number).IsUnique();
        b.HasIndex(d => d.OrganizationId);
        b.HasIndex(d => d.DealId);
        b.ConfigureLines(table[..^1] + "_lines");
    }
}

internal sealed class PipelineConfiguration : IEntityTypeConfiguration<Pipeline>
{
    public void Configure(EntityTypeBuilder<Pipeline> b)
    {
        b.ToTable("pipelines");
        b.Property(p => p.Id).ValueGeneratedNever();
        b.Property(p => p.NameDe).HasMaxLength(100);
        b.Property(p => p.NameEn).HasMaxLength(100);
        b.HasMany(p => p.Stages).WithOne().HasForeignKey(s => s.PipelineId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class StageConfiguration : IEntityTypeConfiguration<Stage>
{
    public void Configure(EntityTypeBuilder<Stage> b)
    {
        b.ToTable("stages");
        b.Property(s => s.Id).ValueGeneratedNever();
        b.Property(s => s.NameDe).HasMaxLength(100);
        b.Property(s => s.NameEn).HasMaxLength(100);
        b.HasIndex(s => new { s.PipelineId, s.SortOrder });
    }
}

internal sealed class DealConfiguration : IEntityTypeConfiguration<Deal>
{
    public void Configure(EntityTypeBuilder<Deal> b)
    {
        b.ToTable("deals");
        b.ConfigureRecord();
        b.Property(d => d.Title).HasMaxLength(200).IsRequired();
        b.Property(d => d.Amount).HasPrecision(18, 2);
        b.Property(d => d.Currency).HasMaxLength(3);
        b.Property(d => d.LostReason).HasMaxLength(500);
        b.Property(d => d.Competitor).HasMaxLength(200);
        b.Property(d => d.Notes).HasMaxLength(10000);
        b.HasOne<Organization>().WithMany().HasForeignKey(d => d.OrganizationId).OnDelete(DeleteBehavior.SetNull);
        b.HasOne<Pipeline>().WithMany().HasForeignKey(d => d.PipelineId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Stage>().WithMany().HasForeignKey(d => d.StageId).OnDelete(DeleteBehavior.Restrict);
        b.HasMany(d => d.Contacts).WithOne().HasForeignKey(c => c.DealId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(d => new { d.PipelineId, d.StageId });
        b.HasIndex(d => new { d.Status, d.ExpectedCloseDate });
        b.HasIndex(d => d.ClosedAt);
        b.HasIndex(d => d.OrganizationId);
        b.HasIndex(d => new { d.Title, d.Id });
        b.ConfigureLines("deal_lines");
    }
}

internal sealed class DealContactConfiguration : IEntityTypeConfiguration<DealContact>
{
    public void Configure(EntityTypeBuilder<DealContact> b)
    {
        b.ToTable("deal_contacts");
        b.Property(c => c.Id).ValueGeneratedNever();
        b.HasOne<Person>().WithMany().HasForeignKey(c => c.PersonId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(c => new { c.DealId, c.PersonId }).IsUnique();
    }
}

internal sealed class DealStageChangeConfiguration : IEntityTypeConfiguration<DealStageChange>
{
    public void Configure(EntityTypeBuilder<DealStageChange> b)
    {
        b.ToTable("deal_stage_history");
        b.Property(c => c.Id).ValueGeneratedNever();
        b.HasOne<Deal>().WithMany().HasForeignKey(c => c.DealId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Stage>().WithMany().HasForeignKey(c => c.StageId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(c => new { c.DealId, c.EnteredAt });
        b.HasIndex(c => new { c.StageId, c.EnteredAt });
    }
}

internal sealed class LeadConfiguration : IEntityTypeConfiguration<Lead>
{
    public void Configure(EntityTypeBuilder<Lead> b)
    {
        b.ToTable("leads");
        b.ConfigureRecord();
        b.Property(l => l.FirstName).HasMaxLength(100);
        b.Property(l => l.LastName).HasMaxLength(100).IsRequired();
        b.Property(l => l.Email).HasMaxLength(254);
        b.Property(l => l.Phone).HasMaxLength(50);
        b.Property(l => l.CompanyName).HasMaxLength(200);
        b.Property(l => l.Position).HasMaxLength(100);
        b.Property(l => l.Industry).HasMaxLength(100);
        b.Property(l => l.Country).HasMaxLength(2);
        b.Property(l => l.City).HasMaxLength(100);
        b.Property(l => l.Website).HasMaxLength(300);
        b.Property(l => l.VatId).HasMaxLength(20);
        b.Property(l => l.DisqualifyReason).HasMaxLength(500);
        b.Property(l => l.Notes).HasMaxLength(10000);
        b.Property(l => l.SearchName).HasMaxLength(300);
        b.Property(l => l.ScoreReasons).HasJsonConversion();
        b.HasIndex(l => new { l.Status, l.CreatedAt });
        b.HasIndex(l => new { l.Score, l.Id });
        b.HasIndex(l => new { l.SearchName, l.Id });
        b.HasIndex(l => l.Email);
    }
}

internal sealed class LeadScoringRuleConfiguration : IEntityTypeConfiguration<LeadScoringRule>
{
    public void Configure(EntityTypeBuilder<LeadScoringRule> b)
    {
        b.ToTable("lead_scoring_rules");
        b.Property(r => r.Id).ValueGeneratedNever();
        b.Property(r => r.Value).HasMaxLength(100);
        b.Property(r => r.LabelDe).HasMaxLength(200);
        b.Property(r => r.LabelEn).HasMaxLength(200);
    }
}

internal sealed class PriceListConfiguration : IEntityTypeConfiguration<PriceList>
{
    public void Configure(EntityTypeBuilder<PriceList> b)
    {
        b.ToTable("price_lists");
        b.Property(p => p.Id).ValueGeneratedNever();
        b.Property(p => p.Name).HasMaxLength(100);
        b.Property(p => p.Currency).HasMaxLength(3);
        b.HasMany(p => p.Entries).WithOne().HasForeignKey(e => e.PriceListId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class PriceListEntryConfiguration : IEntityTypeConfiguration<PriceListEntry>
{
    public void Configure(EntityTypeBuilder<PriceListEntry> b)
    {
        b.ToTable("price_list_entries");
        b.Property(e => e.Id).ValueGeneratedNever();
        b.Property(e => e.UnitPrice).HasPrecision(18, 4);
        b.HasOne<Product>().WithMany().HasForeignKey(e => e.ProductId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(e => new { e.PriceListId, e.ProductId }).IsUnique();
    }
}

internal sealed class QuoteConfiguration : IEntityTypeConfiguration<Quote>
{
    public void Configure(EntityTypeBuilder<Quote> b)
    {
        b.ConfigureDocument("quotes");
        b.Property(q => q.Introduction).HasMaxLength(4000);
        b.Property(q => q.Terms).HasMaxLength(4000);
        b.HasIndex(q => new { q.Status, q.ValidUntil });
    }
}

internal sealed class QuoteRevisionConfiguration : IEntityTypeConfiguration<QuoteRevision>
{
    public void Configure(EntityTypeBuilder<QuoteRevision> b)
    {
        b.ToTable("quote_revisions");
        b.Property(r => r.Id).ValueGeneratedNever();
        b.HasOne<Quote>().WithMany().HasForeignKey(r => r.QuoteId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(r => new { r.QuoteId, r.Revision }).IsUnique();
    }
}

internal sealed class OrderConfiguration : IEntityTypeConfiguration<Order>
{
    public void Configure(EntityTypeBuilder<Order> b)
    {
        b.ConfigureDocument("orders");
        b.Property(o => o.BaseNet).HasPrecision(18, 2);
        b.Property(o => o.BaseCurrency).HasMaxLength(3);
        b.Property(o => o.ExchangeRate).HasPrecision(18, 8);
        b.Property(o => o.ExternalId).HasMaxLength(100);
        b.HasIndex(o => o.ExternalId);
        b.HasIndex(o => new { o.OrganizationId, o.OrderDate });
        b.HasIndex(o => new { o.OrderDate, o.Id });
        // A person's orders (most orders are an organisation's alone): partial, or SQLite's statistics count the NULLs
        // as one huge group and it scans all orders instead.
        b.HasIndex(o => o.PersonId).HasFilter("\"PersonId\" IS NOT NULL");
    }
}

internal sealed class NumberSequenceConfiguration : IEntityTypeConfiguration<NumberSequence>
{
    public void Configure(EntityTypeBuilder<NumberSequence> b)
    {
        b.ToTable("number_sequences");
        b.HasKey(n => new { n.Kind, n.Year });
        b.Property(n => n.Kind).HasMaxLength(20);
    }
}

internal sealed class QuotaConfiguration : IEntityTypeConfiguration<Quota>
{
    public void Configure(EntityTypeBuilder<Quota> b)
    {
        b.ToTable("quotas");
        b.Property(q => q.Id).ValueGeneratedNever();
        b.Property(q => q.Amount).HasPrecision(18, 2);
        b.HasOne<MotivUser>().WithMany().HasForeignKey(q => q.UserId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(q => new { q.UserId, q.Year, q.Month }).IsUnique();
    }
}

internal sealed class SettingConfiguration : IEntityTypeConfiguration<SettingRow>
{
    public void Configure(EntityTypeBuilder<SettingRow> b)
    {
        b.ToTable("settings");
        b.HasKey(s => s.Key);
        b.Property(s => s.Key).HasMaxLength(50);
    }
}

internal sealed class DataProtectionKeyConfiguration : IEntityTypeConfiguration<DataProtectionKey>
{
    public void Configure(EntityTypeBuilder<DataProtectionKey> b)
    {
        b.ToTable("data_protection_keys");
        b.Property(k => k.Id).ValueGeneratedNever();
        b.Property(k => k.FriendlyName).HasMaxLength(200);
    }
}
