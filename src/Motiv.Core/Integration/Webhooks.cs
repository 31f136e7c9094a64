using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Motiv.Core.Audit;
using Motiv.Core.Common;
using Motiv.Core.Communication;
using Motiv.Core.Data;

namespace Motiv.Core.Integration;

/// <summary>A subscription: Motiv POSTs the chosen events to the URL as signed JSON.</summary>
public sealed class Webhook
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public string Name { get; set; } = "";
    public string Url { get; set; } = "";
    public List<string> Events { get; set; } = [];

    /// <summary>The HMAC key, encrypted at rest; shown once, when created or rotated.</summary>
    public string Secret { get; set; } = "";
    public bool IsActive { get; set; } = true;
    public DateTimeOffset CreatedAt { get; set; }
    public Guid CreatedById { get; set; }
}

public enum DeliveryStatus
{
    Pending = 0,
    Succeeded = 1,
    Failed = 2,
}

/// <summary>One event for one subscription: the payload, each attempt's outcome, and when the next attempt is due.</summary>
public sealed class WebhookDelivery
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid WebhookId { get; set; }
    public string Event { get; set; } = "";
    public string Payload { get; set; } = "";
    public DeliveryStatus Status { get; set; }
    public int Attempts { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset NextAttemptAt { get; set; }
    public DateTimeOffset? LastAttemptAt { get; set; }
    public int? ResponseStatus { get; set; }
    public string? Error { get; set; }
}

public sealed record WebhookInput(string? Name, string? Url, List<string>? Events, bool? IsActive);

public sealed record WebhookDto(Guid Id, string Name, string Url, IReadOnlyList<string> Events, bool IsActive, DateTimeOffset CreatedAt, string? Secret = null);

public sealed record WebhookDeliveryDto(Guid Id, string Event, DeliveryStatus Status, int Attempts, DateTimeOffset CreatedAt, DateTimeOffset NextAttemptAt,
    DateTimeOffset? LastAttemptAt, int? ResponseStatus, string? Error, string Payload);

/// <summary>The address is one Motiv will not call: inside the network, or not resolvable.</summary>
public sealed class BlockedAddressException(string message) : Exception(message);

/// <summary>
/// Webhooks: subscriptions (administrators), events written to an outbox in the same transaction as the change that
/// caused them, and delivery with an HMAC-SHA256 signature, retries with backoff and a delivery log.
/// </summary>
public sealed class WebhookService(IDbContextFactory<MotivDbContext> dbFactory, ISecretProtector secrets)
{
    public static readonly string[] EventNames = ["record.created", "record.updated", "record.deleted", "deal.stageChanged", "interaction.logged", "consent.changed"];

    /// <summary>Waits after the 1st, 2nd, … failed attempt; after the last the delivery has failed for good.</summary>
    public static readonly TimeSpan[] Backoff = [TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30), TimeSpan.FromHours(2), TimeSpan.FromHours(12)];

    public const string AllowListKey = "webhooks:allow";

    public async Task<IReadOnlyList<WebhookDto>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await AdminAsync(ct);
        return [.. (await db.Webhooks.AsNoTracking().OrderBy(w => w.Name).ToListAsync(ct)).Select(w => Dto(w))];
    }

    /// <summary>Creates or changes a subscription; the URL must pass the network guard now (and is checked again on every delivery).</summary>
    public async Task<WebhookDto> SaveAsync(Guid? id, WebhookInput input, CancellationToken ct = default)
    {
        await using var db = await AdminAsync(ct);
        var hook = id is { } existing
            ? await db.Webhooks.FirstOrDefaultAsync(w => w.Id == existing, ct) ?? throw new NotFoundException("webhook", existing)
            : db.Webhooks.Add(new Webhook { CreatedAt = db.Clock.GetUtcNow(), CreatedById = db.Scope.UserId }).Entity;
        var errors = new FieldErrors();
        hook.Name = errors.Required("name", input.Name ?? (id is null ? null : hook.Name), 100);
        var url = errors.Required("url", input.Url ?? (id is null ? null : hook.Url), 500);
        if (url.Length > 0 && url != hook.Url)
        {
            try
            {
                await SsrfGuard.CheckUrlAsync(url, await AllowListAsync(db, ct), ct);
                hook.Url = url;
            }
            catch (BlockedAddressException e)
            {
                errors.Add("url", e.Message);
            }
        }
        if (input.Events is { } events)
        {
            hook.Events = [.. events.Distinct()];
            if (hook.Events.Count == 0 || hook.Events.Any(e => !EventNames.Contains(e))) errors.Add("events", Text.Get("Validation.Events", string.Join(", ", EventNames)));
        }
        else if (id is null) errors.Add("events", Text.Get("Validation.Required"));
        hook.IsActive = input.IsActive ?? hook.IsActive;
        errors.ThrowIfAny();
        string? secret = null;
        if (id is null) hook.Secret = secrets.Protect(secret = NewSecret());
        await db.SaveChangesAsync(ct);
        return Dto(hook, secret);
    }

    /// <summary>A new signing secret, shown this once; the old one stops working.</summary>
    public async Task<WebhookDto> RotateSecretAsync(Guid id, CancellationToken ct = default)
    {
        await using var db = await AdminAsync(ct);
        var hook = await db.Webhooks.FirstOrDefaultAsync(w => w.Id == id, ct) ?? throw new NotFoundException("webhook", id);
        var secret = NewSecret();
        hook.Secret = secrets.Protect(secret);
        await db.SaveChangesAsync(ct);
        return Dto(hook, secret);
    }

    public async Task DeleteAsync(Guid id, CancellationToken ct = default)
    {
        await using var db = await AdminAsync(ct);
        var hook = await db.Webhooks.FirstOrDefaultAsync(w => w.Id == id, ct) ?? throw new NotFoundException("webhook", id);
        db.Webhooks.Remove(hook);
        await db.SaveChangesAsync(ct);
    }

    public async Task<IReadOnlyList<WebhookDeliveryDto>> DeliveriesAsync(Guid id, int? limit, CancellationToken ct = default)
    {
        await using var db = await AdminAsync(ct);
        if (!await db.Webhooks.AnyAsync(w => w.Id == id, ct)) throw new NotFoundException("webhook", id);
        return await db.WebhookDeliveries.AsNoTracking().Where(d => d.WebhookId == id).OrderByDescending(d => d.CreatedAt).ThenByDescending(d => d.Id)
            .Take(Math.Clamp(limit ?? 100, 1, 500))
            .Select(d => new WebhookDeliveryDto(d.Id, d.Event, d.Status, d.Attempts, d.CreatedAt, d.NextAttemptAt, d.LastAttemptAt, d.ResponseStatus, d.Error, d.Payload))
            .ToListAsync(ct);
    }

    /// <summary>Intranet targets that may be called despite the guard: host names, addresses or networks (10.1.0.0/16).</summary>
    public async Task<IReadOnlyList<string>> GetAllowListAsync(CancellationToken ct = default)
    {
        await using var db = await AdminAsync(ct);
        return await AllowListAsync(db, ct);
    }

    public async Task<IReadOnlyList<string>> SetAllowListAsync(List<string>? entries, CancellationToken ct = default)
    {
        await using var db = await AdminAsync(ct);
        var errors = new FieldErrors();
        var list = (entries ?? []).Select(e => e?.Trim().ToLowerInvariant() ?? "").Where(e => e.Length > 0).Distinct().ToList();
        foreach (var (e, i) in list.Select((e, i) => (e, i)))
            if (!SsrfGuard.IsValidAllowEntry(e)) errors.Add($"entries[{i}]", Text.Get("Validation.AllowEntry"));
        errors.ThrowIfAny();
        await SettingsService.WriteAsync(db, AllowListKey, list, ct);
        return list;
    }

    internal static async Task<List<string>> AllowListAsync(MotivDbContext db, CancellationToken ct) =>
        await SettingsService.ReadAsync<List<string>>(db, AllowListKey, ct) ?? [];

    /// <summary>
    /// Writes the events of this save to the outbox, in its transaction: for each audited record change and each new
    /// consent entry, one delivery per active subscription to that event. Nothing is queried when nothing happened.
    /// </summary>
    internal static async Task EnqueueAsync(MotivDbContext db, IReadOnlyList<AuditEntry> audits, DateTimeOffset now, CancellationToken ct)
    {
        var consents = db.ChangeTracker.Entries<ConsentEntry>().Where(e => e.State == EntityState.Added).Select(e => e.Entity).ToList();
        if (audits.Count == 0 && consents.Count == 0) return;
        var hooks = await db.Webhooks.AsNoTracking().Where(w => w.IsActive).Select(w => new { w.Id, w.Events }).ToListAsync(ct);
        if (hooks.Count == 0) return;
        var events = new List<(string Name, object Data)>();
        foreach (var a in audits)
        {
            var fields = a.Changes.Select(c => c.Field).ToList();
            var name = a.Action switch { AuditAction.Created => "record.created", AuditAction.Deleted => "record.deleted", _ => "record.updated" };
            events.Add((name, new { type = a.RecordType, id = a.RecordId, version = a.Version, action = a.Action.ToString().ToLowerInvariant(), fields }));
            if (a.RecordType == Sales.Deal.Type && a.Changes.FirstOrDefault(c => c.Field.Equals("stageId", StringComparison.OrdinalIgnoreCase)) is { } stage && a.Action != AuditAction.Created)
                events.Add(("deal.stageChanged", new { type = a.RecordType, id = a.RecordId, version = a.Version, fromStageId = stage.Old, toStageId = stage.New }));
            if (a.RecordType == Interaction.Type && a.Action == AuditAction.Created)
                events.Add(("interaction.logged", new { type = a.RecordType, id = a.RecordId, version = a.Version }));
        }
        foreach (var c in consents)
        {
            events.Add(("consent.changed", new
            {
                personId = c.PersonId, leadId = c.LeadId, channel = c.Channel.ToString(), purpose = c.Purpose.ToString(), action = c.Action.ToString(), legalBasis = c.LegalBasis.ToString(), at = c.At,
            }));
        }
        foreach (var (name, data) in events)
        {
            foreach (var hook in hooks.Where(h => h.Events.Contains(name)))
            {
                var delivery = new WebhookDelivery { WebhookId = hook.Id, Event = name, CreatedAt = now, NextAttemptAt = now };
                delivery.Payload = JsonSerializer.Serialize(new { id = delivery.Id, @event = name, occurredAt = now, data }, JsonColumn.Options);
                db.WebhookDeliveries.Add(delivery);
            }
        }
    }

    /// <summary>
    /// Sends the deliveries that are due (as Motiv itself): POST with <c>X-Motiv-Signature: t=…,v1=…</c> (HMAC-SHA256 of
    /// "t.body" with the subscription's secret). A 2xx answer ends it; otherwise the next attempt waits per <see cref="Backoff"/>.
    /// Every connection, redirects included, goes through the network guard. Returns the number of attempts made.
    /// </summary>
    public async Task<int> DeliverDueAsync(MotivDbContext systemDb, CancellationToken ct = default)
    {
        var now = systemDb.Clock.GetUtcNow();
        // Deliveries of a switched-off subscription wait (they go out when it is switched on again) without blocking the others.
        var due = await systemDb.WebhookDeliveries.Where(d => d.Status == DeliveryStatus.Pending && d.NextAttemptAt <= now && systemDb.Webhooks.Any(w => w.Id == d.WebhookId && w.IsActive))
            .OrderBy(d => d.NextAttemptAt).ThenBy(d => d.Id).Take(100).ToListAsync(ct);
        if (due.Count == 0) return 0;
        var hookIds = due.Select(d => d.WebhookId).Distinct().ToList();
        var hooks = await systemDb.Webhooks.AsNoTracking().Where(w => hookIds.Contains(w.Id)).ToDictionaryAsync(w => w.Id, ct);
        using var http = SsrfGuard.CreateClient(await AllowListAsync(systemDb, ct));
        foreach (var d in due)
        {
            if (!hooks.TryGetValue(d.WebhookId, out var hook)) continue;
            now = systemDb.Clock.GetUtcNow();
            var timestamp = now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
            var signature = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secrets.Unprotect(hook.Secret)), Encoding.UTF8.GetBytes(timestamp + "." + d.Payload)));
            using var request = new HttpRequestMessage(HttpMethod.Post, hook.Url) { Content = new StringContent(d.Payload, Encoding.UTF8, "application/json") };
            request.Headers.Add("X-Motiv-Event", d.Event);
            request.Headers.Add("X-Motiv-Delivery", d.Id.ToString());
            request.Headers.Add("X-Motiv-Signature", $"t={timestamp},v1={signature}");
            d.Attempts++;
            d.LastAttemptAt = now;
            try
            {
                using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
                d.ResponseStatus = (int)response.StatusCode;
                d.Error = response.IsSuccessStatusCode ? null : $"HTTP {(int)response.StatusCode}";
            }
            catch (HttpRequestException e)
            {
                d.ResponseStatus = null;
                d.Error = (e.InnerException is BlockedAddressException b ? b.Message : e.Message) is var m && m.Length > 500 ? m[..500] : m;
            }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested)
            {
                d.ResponseStatus = null;
                d.Error = "timeout";
            }
            if (d.Error is null) d.Status = DeliveryStatus.Succeeded;
            else if (d.Attempts > Backoff.Length) d.Status = DeliveryStatus.Failed;
            else d.NextAttemptAt = now + Backoff[d.Attempts - 1];
            // Each outcome is kept at once: a stop half-way does not send the finished ones again.
            await systemDb.SaveChangesAsync(ct);
        }
        return due.Count;
    }

    private async Task<MotivDbContext> AdminAsync(CancellationToken ct)
    {
        var db = await dbFactory.CreateDbContextAsync(ct);
        if (!db.Scope.CanAdminister)
        {
            await db.DisposeAsync();
            throw new AccessDeniedException(Text.Get("Access.AdministratorsOnly"));
        }
        return db;
    }

    private static string NewSecret() => "whsec_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));

    private static WebhookDto Dto(Webhook w, string? secret = null) => new(w.Id, w.Name, w.Url, w.Events, w.IsActive, w.CreatedAt, secret);
}
