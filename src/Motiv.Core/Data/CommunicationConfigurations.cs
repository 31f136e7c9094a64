using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Motiv.Core.Communication;
using Motiv.Core.Customers;

namespace Motiv.Core.Data;

internal sealed class InteractionConfiguration : IEntityTypeConfiguration<Interaction>
{
    public void Configure(EntityTypeBuilder<Interaction> b)
    {
        b.ToTable("interactions");
        b.ConfigureRecord();
        b.Property(i => i.Subject).HasMaxLength(300).IsRequired();
        b.Property(i => i.Outcome).HasMaxLength(500);
        b.HasOne<Organization>().WithMany().HasForeignKey(i => i.OrganizationId).OnDelete(DeleteBehavior.SetNull);
        b.HasOne<Sales.Deal>().WithMany().HasForeignKey(i => i.DealId).OnDelete(DeleteBehavior.SetNull);
        b.HasOne<Sales.Lead>().WithMany().HasForeignKey(i => i.LeadId).OnDelete(DeleteBehavior.SetNull);
        b.HasOne<Sales.Quote>().WithMany().HasForeignKey(i => i.QuoteId).OnDelete(DeleteBehavior.SetNull);
        b.HasOne<Sales.Order>().WithMany().HasForeignKey(i => i.OrderId).OnDelete(DeleteBehavior.SetNull);
        b.HasMany(i => i.Participants).WithOne().HasForeignKey(p => p.InteractionId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(i => new { i.OccurredAt, i.Id });
        b.HasIndex(i => new { i.OrganizationId, i.OccurredAt });
        b.HasIndex(i => new { i.DealId, i.OccurredAt });
        b.HasIndex(i => i.LeadId);
    }
}

internal sealed class InteractionParticipantConfiguration : IEntityTypeConfiguration<InteractionParticipant>
{
    public void Configure(EntityTypeBuilder<InteractionParticipant> b)
    {
        b.ToTable("interaction_participants");
        b.Property(p => p.Id).ValueGeneratedNever();
        b.HasOne<Person>().WithMany().HasForeignKey(p => p.PersonId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Identity.MotivUser>().WithMany().HasForeignKey(p => p.UserId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(p => new { p.PersonId, p.OccurredAt, p.InteractionId });
        b.HasIndex(p => p.UserId);
    }
}

internal sealed class AttachmentConfiguration : IEntityTypeConfiguration<Attachment>
{
    public void Configure(EntityTypeBuilder<Attachment> b)
    {
        b.ToTable("attachments");
        b.Property(a => a.Id).ValueGeneratedNever();
        b.Property(a => a.FileName).HasMaxLength(200);
        b.Property(a => a.ContentType).HasMaxLength(120);
        b.Property(a => a.Sha256).HasMaxLength(64);
        b.HasOne<Interaction>().WithMany().HasForeignKey(a => a.InteractionId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(a => a.InteractionId);
    }
}

internal sealed class TaskConfiguration : IEntityTypeConfiguration<Activities.TaskItem>
{
    public void Configure(EntityTypeBuilder<Activities.TaskItem> b)
    {
        b.ToTable("tasks");
        b.ConfigureRecord();
        b.Property(t => t.Title).HasMaxLength(200).IsRequired();
        b.Property(t => t.Description).HasMaxLength(4000);
        b.Property(t => t.RelatedType).HasMaxLength(20);
        b.HasIndex(t => new { t.OwnerId, t.State, t.DueAt });
        b.HasIndex(t => new { t.State, t.RemindAt });
        b.HasIndex(t => t.RelatedId);
    }
}

internal sealed class NotificationConfiguration : IEntityTypeConfiguration<Activities.Notification>
{
    public void Configure(EntityTypeBuilder<Activities.Notification> b)
    {
        b.ToTable("notifications");
        b.Property(n => n.Id).ValueGeneratedNever();
        b.Property(n => n.Title).HasMaxLength(300);
        b.Property(n => n.Link).HasMaxLength(300);
        b.HasOne<Identity.MotivUser>().WithMany().HasForeignKey(n => n.UserId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(n => new { n.UserId, n.ReadAt, n.CreatedAt });
    }
}

internal sealed class MailTemplateConfiguration : IEntityTypeConfiguration<MailTemplate>
{
    public void Configure(EntityTypeBuilder<MailTemplate> b)
    {
        b.Property(t => t.Motives).HasJsonConversion();
        b.ToTable("mail_templates");
        b.Property(t => t.Id).ValueGeneratedNever();
        b.Property(t => t.Name).HasMaxLength(100);
        b.Property(t => t.Language).HasMaxLength(2);
        b.Property(t => t.Subject).HasMaxLength(300);
    }
}

internal sealed class MailboxConfiguration : IEntityTypeConfiguration<Mailbox>
{
    public void Configure(EntityTypeBuilder<Mailbox> b)
    {
        b.ToTable("mailboxes");
        b.Property(x => x.Id).ValueGeneratedNever();
        b.Property(x => x.Name).HasMaxLength(100);
        b.Property(x => x.Address).HasMaxLength(254);
        b.Property(x => x.Host).HasMaxLength(200);
        b.Property(x => x.UserName).HasMaxLength(200);
        b.Property(x => x.Folders).HasJsonConversion();
        b.HasOne<Identity.MotivUser>().WithMany().HasForeignKey(x => x.OwnerId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Identity.Team>().WithMany().HasForeignKey(x => x.TeamId).OnDelete(DeleteBehavior.SetNull);
    }
}

internal sealed class MailFolderStateConfiguration : IEntityTypeConfiguration<MailFolderState>
{
    public void Configure(EntityTypeBuilder<MailFolderState> b)
    {
        b.ToTable("mail_folder_states");
        b.Property(x => x.Id).ValueGeneratedNever();
        b.Property(x => x.Folder).HasMaxLength(200);
        b.Property(x => x.LastError).HasMaxLength(500);
        b.HasOne<Mailbox>().WithMany().HasForeignKey(x => x.MailboxId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(x => new { x.MailboxId, x.Folder }).IsUnique();
    }
}

internal sealed class MailMessageConfiguration : IEntityTypeConfiguration<MailMessage>
{
    public void Configure(EntityTypeBuilder<MailMessage> b)
    {
        b.ToTable("mail_messages");
        b.Property(x => x.Id).ValueGeneratedNever();
        b.Property(x => x.Folder).HasMaxLength(200);
        b.Property(x => x.MessageId).HasMaxLength(300);
        b.Property(x => x.ThreadId).HasMaxLength(300);
        b.Property(x => x.SkipReason).HasMaxLength(40);
        b.Property(x => x.FromAddress).HasMaxLength(254);
        b.Property(x => x.FromName).HasMaxLength(200);
        b.Property(x => x.Subject).HasMaxLength(300);
        b.HasOne<Mailbox>().WithMany().HasForeignKey(x => x.MailboxId).OnDelete(DeleteBehavior.SetNull);
        b.HasOne<Interaction>().WithMany().HasForeignKey(x => x.InteractionId).OnDelete(DeleteBehavior.SetNull);
        // A message's place on the server is taken once, however often a sync runs or is interrupted.
        b.HasIndex(x => new { x.MailboxId, x.Folder, x.UidValidity, x.Uid }).IsUnique();
        b.HasIndex(x => x.MessageId);
        b.HasIndex(x => x.ThreadId);
        b.HasIndex(x => x.InteractionId);
        b.HasIndex(x => new { x.State, x.OwnerId });
    }
}

internal sealed class ConsentEntryConfiguration : IEntityTypeConfiguration<ConsentEntry>
{
    public void Configure(EntityTypeBuilder<ConsentEntry> b)
    {
        b.ToTable("consent_entries");
        b.Property(x => x.Id).ValueGeneratedNever();
        b.Property(x => x.Source).HasMaxLength(200);
        b.Property(x => x.Text).HasMaxLength(4000);
        b.Property(x => x.Language).HasMaxLength(2);
        b.Property(x => x.Ip).HasMaxLength(45);
        b.Property(x => x.UserAgent).HasMaxLength(300);
        b.Property(x => x.TokenHash).HasMaxLength(64);
        b.HasOne<Person>().WithMany().HasForeignKey(x => x.PersonId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Sales.Lead>().WithMany().HasForeignKey(x => x.LeadId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(x => new { x.PersonId, x.Channel, x.Purpose, x.At });
        b.HasIndex(x => x.LeadId);
        b.HasIndex(x => x.TokenHash);
    }
}

internal sealed class WebFormConfiguration : IEntityTypeConfiguration<WebForm>
{
    public void Configure(EntityTypeBuilder<WebForm> b)
    {
        b.ToTable("web_forms");
        b.Property(x => x.Id).ValueGeneratedNever();
        b.Property(x => x.Slug).HasMaxLength(60);
        b.Property(x => x.Name).HasMaxLength(100);
        b.Property(x => x.TitleDe).HasMaxLength(200);
        b.Property(x => x.TitleEn).HasMaxLength(200);
        b.Property(x => x.ThanksDe).HasMaxLength(1000);
        b.Property(x => x.ThanksEn).HasMaxLength(1000);
        b.Property(x => x.Fields).HasJsonConversion();
        b.Property(x => x.Consents).HasJsonConversion();
        b.HasOne<Identity.MotivUser>().WithMany().HasForeignKey(x => x.OwnerId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Identity.Team>().WithMany().HasForeignKey(x => x.TeamId).OnDelete(DeleteBehavior.SetNull);
        b.HasIndex(x => x.Slug).IsUnique();
    }
}

internal sealed class WebhookConfiguration : IEntityTypeConfiguration<Integration.Webhook>
{
    public void Configure(EntityTypeBuilder<Integration.Webhook> b)
    {
        b.ToTable("webhooks");
        b.Property(x => x.Id).ValueGeneratedNever();
        b.Property(x => x.Name).HasMaxLength(100);
        b.Property(x => x.Url).HasMaxLength(500);
        b.Property(x => x.Events).HasJsonConversion();
    }
}

internal sealed class WebhookDeliveryConfiguration : IEntityTypeConfiguration<Integration.WebhookDelivery>
{
    public void Configure(EntityTypeBuilder<Integration.WebhookDelivery> b)
    {
        b.ToTable("webhook_deliveries");
        b.Property(x => x.Id).ValueGeneratedNever();
        b.Property(x => x.Event).HasMaxLength(40);
        b.Property(x => x.Error).HasMaxLength(500);
        b.HasOne<Integration.Webhook>().WithMany().HasForeignKey(x => x.WebhookId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(x => new { x.Status, x.NextAttemptAt });
        b.HasIndex(x => new { x.WebhookId, x.CreatedAt });
    }
}
