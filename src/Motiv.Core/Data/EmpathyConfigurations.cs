using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Motiv.Core.Communication;
using Motiv.Core.Customers;
using Motiv.Core.Empathy;

namespace Motiv.Core.Data;

internal sealed class MotiveEvidenceConfiguration : IEntityTypeConfiguration<MotiveEvidence>
{
    public void Configure(EntityTypeBuilder<MotiveEvidence> b)
    {
        b.ToTable("motive_evidence");
        b.Property(x => x.Id).ValueGeneratedNever();
        b.Property(x => x.Motive).HasMaxLength(40);
        b.Property(x => x.Sentence).HasMaxLength(400);
        b.Property(x => x.SentenceKey).HasMaxLength(16);
        b.Property(x => x.Language).HasMaxLength(2);
        b.Property(x => x.Cue).HasMaxLength(80);
        b.Property(x => x.ExtractorVersion).HasMaxLength(20);
        b.HasOne<Person>().WithMany().HasForeignKey(x => x.PersonId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Interaction>().WithMany().HasForeignKey(x => x.InteractionId).OnDelete(DeleteBehavior.Cascade);
        // Re-running the inference finds each item again by these; never two for one sentence and motive.
        b.HasIndex(x => new { x.PersonId, x.InteractionId, x.Motive, x.SentenceKey }).IsUnique();
        b.HasIndex(x => x.InteractionId);
    }
}

internal sealed class MotiveRatingConfiguration : IEntityTypeConfiguration<MotiveRating>
{
    public void Configure(EntityTypeBuilder<MotiveRating> b)
    {
        b.ToTable("motive_ratings");
        b.Property(x => x.Id).ValueGeneratedNever();
        b.Property(x => x.Motive).HasMaxLength(40);
        b.Property(x => x.Note).HasMaxLength(1000);
        b.HasOne<Person>().WithMany().HasForeignKey(x => x.PersonId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(x => new { x.PersonId, x.Motive, x.At });
    }
}

internal sealed class MotiveSnapshotConfiguration : IEntityTypeConfiguration<MotiveSnapshot>
{
    public void Configure(EntityTypeBuilder<MotiveSnapshot> b)
    {
        b.ToTable("motive_snapshots");
        b.Property(x => x.Id).ValueGeneratedNever();
        b.Property(x => x.Scores).HasJsonConversion();
        b.HasOne<Person>().WithMany().HasForeignKey(x => x.PersonId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(x => new { x.PersonId, x.Day }).IsUnique();
    }
}

internal sealed class HealthScoreConfiguration : IEntityTypeConfiguration<HealthScore>
{
    public void Configure(EntityTypeBuilder<HealthScore> b)
    {
        b.ToTable("health_scores");
        b.HasKey(x => x.SubjectId);
        b.Property(x => x.SubjectId).ValueGeneratedNever();
        b.Property(x => x.SubjectType).HasMaxLength(20);
        b.Property(x => x.Components).HasJsonConversion();
        b.HasIndex(x => new { x.SubjectType, x.HasContact, x.Drop, x.Score });
    }
}

internal sealed class HealthHistoryConfiguration : IEntityTypeConfiguration<HealthHistory>
{
    public void Configure(EntityTypeBuilder<HealthHistory> b)
    {
        b.ToTable("health_history");
        b.Property(x => x.Id).ValueGeneratedNever();
        b.HasIndex(x => new { x.SubjectId, x.Day }).IsUnique();
    }
}

internal sealed class ActionFeedbackConfiguration : IEntityTypeConfiguration<ActionFeedback>
{
    public void Configure(EntityTypeBuilder<ActionFeedback> b)
    {
        b.ToTable("action_feedback");
        b.Property(x => x.Id).ValueGeneratedNever();
        b.Property(x => x.Kind).HasMaxLength(40);
        b.Property(x => x.ActionKey).HasMaxLength(120);
        b.HasOne<Person>().WithMany().HasForeignKey(x => x.PersonId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Identity.MotivUser>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(x => new { x.UserId, x.At });
        b.HasIndex(x => x.PersonId);
    }
}

internal sealed class ImportJobConfiguration : IEntityTypeConfiguration<Import.ImportJob>
{
    public void Configure(EntityTypeBuilder<Import.ImportJob> b)
    {
        b.ToTable("imports");
        b.Property(x => x.Id).ValueGeneratedNever();
        b.Property(x => x.Entity).HasMaxLength(20);
        b.Property(x => x.FileName).HasMaxLength(260);
        b.Property(x => x.Format).HasMaxLength(10);
        b.Property(x => x.Sha256).HasMaxLength(64);
        b.Property(x => x.Mapping).HasJsonConversion();
        b.Property(x => x.Header).HasJsonConversion();
        b.Property(x => x.NumberFormat).HasMaxLength(2);
        b.Property(x => x.Tag).HasMaxLength(50);
        b.Property(x => x.Error).HasMaxLength(2000);
        b.HasIndex(x => new { x.CreatedById, x.CreatedAt });
        b.HasIndex(x => x.Status);
    }
}

internal sealed class ImportRowConfiguration : IEntityTypeConfiguration<Import.ImportRow>
{
    public void Configure(EntityTypeBuilder<Import.ImportRow> b)
    {
        b.ToTable("import_rows");
        b.Property(x => x.Id).ValueGeneratedNever();
        b.Property(x => x.RecordType).HasMaxLength(30);
        b.Property(x => x.Errors).HasJsonConversion();
        b.Property(x => x.Values).HasJsonConversion();
        b.HasOne<Import.ImportJob>().WithMany().HasForeignKey(x => x.ImportId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(x => new { x.ImportId, x.Dry, x.Outcome, x.Row });
    }
}

internal sealed class DuplicateDismissalConfiguration : IEntityTypeConfiguration<DuplicateDismissal>
{
    public void Configure(EntityTypeBuilder<DuplicateDismissal> b)
    {
        b.ToTable("duplicate_dismissals");
        b.HasKey(x => new { x.Entity, x.FirstId, x.SecondId });
        b.Property(x => x.Entity).HasMaxLength(20);
    }
}

internal sealed class CustomerScoreConfiguration : IEntityTypeConfiguration<Analytics.CustomerScore>
{
    public void Configure(EntityTypeBuilder<Analytics.CustomerScore> b)
    {
        b.ToTable("customer_scores");
        b.HasKey(x => x.OrganizationId);
        b.Property(x => x.OrganizationId).ValueGeneratedNever();
        b.Property(x => x.HistoricValue).HasPrecision(18, 2);
        b.HasIndex(x => x.Segment);
        b.HasIndex(x => x.ChurnRisk);
    }
}

internal sealed class AnalyticsRunConfiguration : IEntityTypeConfiguration<Analytics.AnalyticsRun>
{
    public void Configure(EntityTypeBuilder<Analytics.AnalyticsRun> b)
    {
        b.ToTable("analytics_runs");
        b.Property(x => x.Id).ValueGeneratedNever();
        b.Property(x => x.Status).HasMaxLength(20);
        b.Property(x => x.Error).HasMaxLength(2000);
        b.HasIndex(x => x.StartedAt);
    }
}

internal sealed class SegmentConfiguration : IEntityTypeConfiguration<Analytics.Segment>
{
    public void Configure(EntityTypeBuilder<Analytics.Segment> b)
    {
        b.ToTable("segments");
        b.Property(x => x.Id).ValueGeneratedNever();
        b.Property(x => x.Name).HasMaxLength(100);
        b.Property(x => x.Entity).HasMaxLength(20);
        b.Property(x => x.Conditions).HasJsonConversion();
        b.HasIndex(x => x.OwnerId);
    }
}
