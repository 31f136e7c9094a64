using System.Linq.Expressions;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Motiv.Core.Access;
using Motiv.Core.Audit;
using Motiv.Core.Common;
using Motiv.Core.Customers;
using Motiv.Core.Identity;
using Motiv.Core.Search;

namespace Motiv.Core.Data;

/// <summary>
/// The one database context. Besides the tables it carries the two cross-cutting mechanisms every
/// record obeys: the access query filter (what the current user may read) and the save pipeline
/// (who may write, stamps, version, audit, search index). Nothing outside may bypass them except
/// with <see cref="AccessScope.System"/>.
/// </summary>
public class MotivDbContext(DbContextOptions<MotivDbContext> options, ICurrentUser currentUser, TimeProvider clock)
    : IdentityDbContext<MotivUser, MotivRole, Guid>(options)
{
    public const string AccessFilter = "Access";
    public const string SoftDeleteFilter = "SoftDelete";

    public DbSet<Organization> Organizations => Set<Organization>();
    public DbSet<Person> People => Set<Person>();
    public DbSet<Employment> Employments => Set<Employment>();
    public DbSet<Relationship> Relationships => Set<Relationship>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    public DbSet<Team> Teams => Set<Team>();
    public DbSet<TeamMember> TeamMembers => Set<TeamMember>();
    public DbSet<ApiToken> ApiTokens => Set<ApiToken>();
    public DbSet<CustomFields.CustomFieldDefinition> CustomFieldDefinitions => Set<CustomFields.CustomFieldDefinition>();
    public DbSet<CustomFields.CustomFieldValue> CustomFieldValues => Set<CustomFields.CustomFieldValue>();
    public DbSet<Views.SavedView> SavedViews => Set<Views.SavedView>();
    public DbSet<Sales.Product> Products => Set<Sales.Product>();
    public DbSet<Sales.ExchangeRate> ExchangeRates => Set<Sales.ExchangeRate>();
    public DbSet<Sales.Pipeline> Pipelines => Set<Sales.Pipeline>();
    public DbSet<Sales.Stage> Stages => Set<Sales.Stage>();
    public DbSet<Sales.Deal> Deals => Set<Sales.Deal>();
    public DbSet<Sales.DealStageChange> DealStageChanges => Set<Sales.DealStageChange>();
    public DbSet<Sales.Lead> Leads => Set<Sales.Lead>();
    public DbSet<Sales.LeadScoringRule> LeadScoringRules => Set<Sales.LeadScoringRule>();
    public DbSet<Sales.PriceList> PriceLists => Set<Sales.PriceList>();
    public DbSet<Sales.PriceListEntry> PriceListEntries => Set<Sales.PriceListEntry>();
    public DbSet<Sales.Quote> Quotes => Set<Sales.Quote>();
    public DbSet<Sales.QuoteRevision> QuoteRevisions => Set<Sales.QuoteRevision>();
    public DbSet<Sales.Order> Orders => Set<Sales.Order>();
    public DbSet<Sales.Quota> Quotas => Set<Sales.Quota>();
    public DbSet<SettingRow> Settings => Set<SettingRow>();
    public DbSet<Communication.Interaction> Interactions => Set<Communication.Interaction>();
    public DbSet<Communication.Attachment> Attachments => Set<Communication.Attachment>();
    public DbSet<Activities.TaskItem> Tasks => Set<Activities.TaskItem>();
    public DbSet<Activities.Notification> Notifications => Set<Activities.Notification>();
    public DbSet<Communication.MailTemplate> MailTemplates => Set<Communication.MailTemplate>();
    public DbSet<Communication.Mailbox> Mailboxes => Set<Communication.Mailbox>();
    public DbSet<Communication.MailFolderState> MailFolderStates => Set<Communication.MailFolderState>();
    public DbSet<Communication.MailMessage> MailMessages => Set<Communication.MailMessage>();
    public DbSet<Communication.ConsentEntry> ConsentEntries => Set<Communication.ConsentEntry>();
    public DbSet<Communication.WebForm> WebForms => Set<Communication.WebForm>();
    public DbSet<Integration.Webhook> Webhooks => Set<Integration.Webhook>();
    public DbSet<Integration.WebhookDelivery> WebhookDeliveries => Set<Integration.WebhookDelivery>();
    public DbSet<Empathy.MotiveEvidence> MotiveEvidence => Set<Empathy.MotiveEvidence>();
    public DbSet<Empathy.MotiveRating> MotiveRatings => Set<Empathy.MotiveRating>();
    public DbSet<Empathy.MotiveSnapshot> MotiveSnapshots => Set<Empathy.MotiveSnapshot>();
    public DbSet<Empathy.HealthScore> HealthScores => Set<Empathy.HealthScore>();
    public DbSet<Empathy.HealthHistory> HealthHistory => Set<Empathy.HealthHistory>();
    public DbSet<Empathy.ActionFeedback> ActionFeedback => Set<Empathy.ActionFeedback>();
    public DbSet<Import.ImportJob> Imports => Set<Import.ImportJob>();
    public DbSet<Import.ImportRow> ImportRows => Set<Import.ImportRow>();
    public DbSet<Customers.DuplicateDismissal> DuplicateDismissals => Set<Customers.DuplicateDismissal>();
    public DbSet<Analytics.CustomerScore> CustomerScores => Set<Analytics.CustomerScore>();
    public DbSet<Analytics.AnalyticsRun> AnalyticsRuns => Set<Analytics.AnalyticsRun>();
    public DbSet<Analytics.Segment> Segments => Set<Analytics.Segment>();
    public DbSet<Common.DataProtectionKey> DataProtectionKeys => Set<Common.DataProtectionKey>();

    /// <summary>The current user's scope; the query filters read it on every query.</summary>
    public AccessScope Scope { get; } = currentUser.Scope;

    public TimeProvider Clock { get; } = clock;

    public bool IsSqlite => Database.ProviderName == "Microsoft.EntityFrameworkCore.Sqlite";

    /// <summary>A second context with the same options and user, for a read that runs beside this one (a context serves one operation at a time).</summary>
    public MotivDbContext Sibling() => new(options, currentUser, Clock);

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(MotivDbContext).Assembly);
        foreach (var type in builder.Model.GetEntityTypes().Select(t => t.ClrType).Where(t => typeof(Record).IsAssignableFrom(t)).ToList())
        {
            typeof(MotivDbContext).GetMethod(nameof(ApplyRecordFilters), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!
                .MakeGenericMethod(type).Invoke(this, [builder]);
        }
    }

    private void ApplyRecordFilters<T>(ModelBuilder builder) where T : Record
    {
        // Mirrors AccessRules.CanRead; the rule's unit tests and the access matrix tests keep the two equal.
        Expression<Func<T, bool>> access = r => Scope.IsAuthenticated && (Scope.IsAdministrator
            || r.OwnerId == Scope.UserId
            || r.Visibility == Visibility.Everyone
            || (r.TeamId != null && r.Visibility == Visibility.Team && Scope.TeamIds.Contains(r.TeamId.Value))
            || (r.TeamId != null && Scope.ManagedTeamIds.Contains(r.TeamId.Value)));
        builder.Entity<T>().HasQueryFilter(AccessFilter, access);
        builder.Entity<T>().HasQueryFilter(SoftDeleteFilter, r => r.DeletedAt == null);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder builder)
    {
        if (IsSqlite)
        {
            // SQLite has no date type: store instants as sortable integers so that ordering and ranges work in SQL.
            builder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToBinaryConverter>();
        }
    }

    private Dictionary<string, List<CustomFields.CustomFieldDefinition>>? activeFields;

    /// <summary>The active custom field definitions of a record type, read once per context (a request, an import batch).</summary>
    internal async Task<List<CustomFields.CustomFieldDefinition>> ActiveFieldsAsync(string recordType, CancellationToken ct)
    {
        activeFields ??= [];
        if (!activeFields.TryGetValue(recordType, out var fields))
            activeFields[recordType] = fields = await CustomFieldDefinitions.AsNoTracking().Where(f => f.RecordType == recordType && f.IsActive).ToListAsync(ct);
        return fields;
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess) =>
        throw new NotSupportedException("Use SaveChangesAsync: the save pipeline is asynchronous.");

    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        var now = Clock.GetUtcNow();
        // Changes are detected once for the pipeline (each look at the change tracker would detect them again, over every
        // tracked entity); EF detects once more on the save itself, which sees what the pipeline set.
        ChangeTracker.DetectChanges();
        var detect = ChangeTracker.AutoDetectChangesEnabled;
        ChangeTracker.AutoDetectChangesEnabled = false;
        List<SearchIndexer.Work> searchWork;
        List<List<Microsoft.EntityFrameworkCore.ChangeTracking.EntityEntry>> bulk;
        try
        {
            await SavePipeline.BeforeSaveAsync(this, now, cancellationToken);
            searchWork = SearchIndexer.Collect(this);
            bulk = BulkWriter.Inserts(this);
        }
        finally
        {
            ChangeTracker.AutoDetectChangesEnabled = detect;
        }
        var ownTransaction = Database.CurrentTransaction is null && (searchWork.Count > 0 || bulk.Count > 0)
            ? await Database.BeginTransactionAsync(cancellationToken)
            : null;
        try
        {
            int count;
            try
            {
                // Many new rows of one kind (an import's batch) go in with one prepared statement (COPY on PostgreSQL).
                count = await BulkWriter.InsertAsync(this, bulk, cancellationToken);
                count += await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
            }
            catch (Exception ex)
            {
                BulkWriter.Undo(bulk);
                if (ex is DbUpdateConcurrencyException stale && stale.Entries.Any(e => e.Entity is Record or IRecordPart))
                    throw await SavePipeline.ToConcurrencyExceptionAsync(this, stale, cancellationToken);
                throw;
            }
            await SearchIndexer.ApplyAsync(this, searchWork, cancellationToken);
            if (ownTransaction is not null) await ownTransaction.CommitAsync(cancellationToken);
            return count;
        }
        finally
        {
            if (ownTransaction is not null) await ownTransaction.DisposeAsync();
        }
    }
}
