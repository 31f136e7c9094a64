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
