using Motiv.Core.Communication;
using Motiv.Core.Customers;
using Motiv.Core.Sales;

namespace Motiv.Web.Api;

public sealed record AllowListInput(List<string>? Entries);

/// <summary>The communication part of /api/v1: interactions, timelines and attachments.</summary>
public static class CommunicationEndpoints
{
    public static void MapCommunicationApi(this RouteGroupBuilder api)
    {
        api.MapRecordEndpoints("interactions", new RecordApiSpec<TimelineQuery, TimelineItem, InteractionInput, InteractionDto>(
            Interaction.Type,
            (sp, q, ct) => sp.GetRequiredService<InteractionService>().ListAsync(q, ct),
            (sp, id, ct) => sp.GetRequiredService<InteractionService>().GetAsync(id, ct),
            (sp, input, ct) => sp.GetRequiredService<InteractionService>().CreateAsync(input, ct),
            (sp, id, v, input, ct) => sp.GetRequiredService<InteractionService>().UpdateAsync(id, v, input, ct),
            InteractionService.ToInput, i => (i.Id, i.Version)));

        foreach (var (segment, type) in new[] { ("people", Person.Type), ("organizations", Organization.Type), ("deals", Deal.Type) })
        {
            api.MapGet($"/{segment}/{{id:guid}}/timeline", async (Guid id, [AsParameters] TimelineQuery query, InteractionService s, CancellationToken ct) =>
            {
                var page = await s.TimelineAsync(type, id, query, ct);
                return TypedResults.Ok(new ListResponse<TimelineItem>(page));
            }).WithTags("interactions");
        }

        api.MapRecordEndpoints("tasks", new RecordApiSpec<Core.Activities.TaskQuery, Core.Activities.TaskListItem, Core.Activities.TaskInput, Core.Activities.TaskDto>(
            Core.Activities.TaskItem.Type,
            (sp, q, ct) => sp.GetRequiredService<Core.Activities.TaskService>().ListAsync(q, ct),
            (sp, id, ct) => sp.GetRequiredService<Core.Activities.TaskService>().GetAsync(id, ct),
            (sp, input, ct) => sp.GetRequiredService<Core.Activities.TaskService>().CreateAsync(input, ct),
            (sp, id, v, input, ct) => sp.GetRequiredService<Core.Activities.TaskService>().UpdateAsync(id, v, input, ct),
            Core.Activities.TaskService.ToInput, t => (t.Id, t.Version)));
        var notifications = api.MapGroup("/notifications").WithTags("tasks");
        notifications.MapGet("", async (bool? unread, Core.Activities.TaskService s, CancellationToken ct) => TypedResults.Ok(new { items = await s.NotificationsAsync(unread ?? false, ct) }));
        notifications.MapPost("/{id:guid}/read", async (Guid id, Core.Activities.TaskService s, CancellationToken ct) =>
        {
            await s.MarkReadAsync(id, ct);
            return TypedResults.NoContent();
        });

        var calendar = api.MapGroup("/calendar").WithTags("calendar");
        calendar.MapPost("/feed", async (HttpContext http, CalendarService s, CancellationToken ct) =>
            TypedResults.Ok(await s.CreateFeedAsync($"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}", ct)));
        calendar.MapDelete("/feed", async (CalendarService s, CancellationToken ct) =>
        {
            await s.RevokeFeedAsync(ct);
            return TypedResults.NoContent();
        });
        api.MapGet("/interactions/{id:guid}/ics", MeetingIcsAsync).WithTags("calendar");
        var meetings = api.MapGroup("/meetings").WithTags("calendar");
        meetings.MapGet("", async (string? cursor, int? limit, InteractionService s, CancellationToken ct) =>
        {
            var page = await s.ListAsync(new TimelineQuery { Channel = InteractionChannel.Meeting, Cursor = cursor, Limit = limit }, ct);
            return TypedResults.Ok(new ListResponse<TimelineItem>(page));
        });
        // A meeting is an interaction on the meeting channel; its invitations go out by a separate request.
        meetings.MapPost("", async (HttpContext http, InteractionService s, CancellationToken ct) =>
        {
            var input = await JsonBody.ReadAsync<InteractionInput>(http, null);
            input.Channel = InteractionChannel.Meeting;
            var meeting = await s.CreateAsync(input, ct);
            return TypedResults.Created($"/api/v1/interactions/{meeting.Id}", meeting);
        });
        meetings.MapPost("/{id:guid}/invitations", async (Guid id, MailService mail, CancellationToken ct) => TypedResults.Ok(new { invited = await mail.InviteAsync(id, ct) }));

        var mail = api.MapGroup("/mail").WithTags("mail");
        mail.MapGet("/settings", async (MailService s, CancellationToken ct) => TypedResults.Ok(await s.GetSettingsAsync(mine: false, ct)));
        mail.MapPut("/settings", async (HttpContext http, MailService s, CancellationToken ct) =>
            TypedResults.Ok(await s.SetSettingsAsync(mine: false, await JsonBody.ReadAsync<SmtpSettings>(http, null), ct)));
        mail.MapGet("/settings/me", async (MailService s, CancellationToken ct) => TypedResults.Ok(await s.GetSettingsAsync(mine: true, ct)));
        mail.MapPut("/settings/me", async (HttpContext http, MailService s, CancellationToken ct) =>
            TypedResults.Ok(await s.SetSettingsAsync(mine: true, await JsonBody.ReadAsync<SmtpSettings>(http, null), ct)));
        mail.MapGet("/templates", async (MailService s, CancellationToken ct) => TypedResults.Ok(new { items = await s.ListTemplatesAsync(ct) }));
        mail.MapGroup("/templates").MapSaveEndpoints<MailService, MailTemplateInput, MailTemplateDto>("/api/v1/mail/templates",
            (s, id, input, ct) => s.SaveTemplateAsync(id, input, ct), t => t.Id);
        mail.MapPost("/preview", async (HttpContext http, MailService s, CancellationToken ct) => TypedResults.Ok(await s.PreviewAsync(await JsonBody.ReadAsync<MailSendInput>(http, null), ct)));
        mail.MapPost("/send", async (HttpContext http, MailService s, CancellationToken ct) =>
        {
            var sent = await s.SendAsync(await JsonBody.ReadAsync<MailSendInput>(http, null), ct);
            return TypedResults.Created($"/api/v1/interactions/{sent.Id}", sent);
        });

        api.MapMailboxApi();

        var consents = api.MapGroup("/people/{id:guid}/consents").WithTags("consent");
        consents.MapGet("", async (Guid id, ConsentService s, CancellationToken ct) => TypedResults.Ok(await s.GetAsync(id, ct)));
        consents.MapPost("", async (Guid id, HttpContext http, ConsentService s, CancellationToken ct) =>
            TypedResults.Ok(await s.RecordAsync(id, await JsonBody.ReadAsync<ConsentInput>(http, null), ct)));
        consents.MapGet("/proof", PublicEndpoints.ConsentProofAsync);

        var hooks = api.MapGroup("/webhooks").WithTags("webhooks");
        hooks.MapGet("", async (Core.Integration.WebhookService s, CancellationToken ct) => TypedResults.Ok(new { items = await s.ListAsync(ct), events = Core.Integration.WebhookService.EventNames }));
        hooks.MapSaveEndpoints<Core.Integration.WebhookService, Core.Integration.WebhookInput, Core.Integration.WebhookDto>("/api/v1/webhooks",
            (s, id, input, ct) => s.SaveAsync(id, input, ct), h => h.Id, (s, id, ct) => s.DeleteAsync(id, ct));
        hooks.MapPost("/{id:guid}/secret", async (Guid id, Core.Integration.WebhookService s, CancellationToken ct) => TypedResults.Ok(await s.RotateSecretAsync(id, ct)));
        hooks.MapGet("/{id:guid}/deliveries", async (Guid id, int? limit, Core.Integration.WebhookService s, CancellationToken ct) =>
            TypedResults.Ok(new { items = await s.DeliveriesAsync(id, limit, ct) }));
        hooks.MapGet("/allow-list", async (Core.Integration.WebhookService s, CancellationToken ct) => TypedResults.Ok(new { entries = await s.GetAllowListAsync(ct) }));
        hooks.MapPut("/allow-list", async (HttpContext http, Core.Integration.WebhookService s, CancellationToken ct) =>
            TypedResults.Ok(new { entries = await s.SetAllowListAsync((await JsonBody.ReadAsync<AllowListInput>(http, null)).Entries, ct) }));

        var forms = api.MapGroup("/forms").WithTags("forms");
        forms.MapGet("", async (WebFormService s, CancellationToken ct) => TypedResults.Ok(new { items = await s.ListAsync(ct) }));
        forms.MapSaveEndpoints<WebFormService, WebFormInput, WebFormDto>("/api/v1/forms", (s, id, input, ct) => s.SaveAsync(id, input, ct), f => f.Id);

        var attachments = api.MapGroup("/interactions/{id:guid}/attachments").WithTags("interactions");
        // A multipart upload with the bearer token (no cookie, so no cross-site request can make it).
        attachments.MapPost("", async (Guid id, HttpRequest request, AttachmentStore store, CancellationToken ct) =>
        {
            var file = await UploadedFileAsync(request, ct);
            await using var stream = file.OpenReadStream();
            var saved = await store.AddAsync(id, file.FileName, stream, ct);
            return TypedResults.Created($"/api/v1/interactions/{id}/attachments/{saved.Id}", saved);
        }).DisableAntiforgery();
        attachments.MapGet("/{attachmentId:guid}", DownloadAsync);
    }

    private static void MapMailboxApi(this RouteGroupBuilder api)
    {
        var boxes = api.MapGroup("/mailboxes").WithTags("mail");
        boxes.MapGet("", async (MailboxService s, CancellationToken ct) => TypedResults.Ok(new { items = await s.ListAsync(ct) }));
        boxes.MapGet("/{id:guid}", async (Guid id, MailboxService s, CancellationToken ct) => TypedResults.Ok(await s.GetAsync(id, ct)));
        boxes.MapSaveEndpoints<MailboxService, MailboxInput, MailboxDto>("/api/v1/mailboxes", (s, id, input, ct) => s.SaveAsync(id, input, ct), b => b.Id,
            (s, id, ct) => s.DeleteAsync(id, ct));
        boxes.MapPost("/{id:guid}/sync", async (Guid id, MailboxService s, CancellationToken ct) => TypedResults.Ok(await s.SyncNowAsync(id, null, ct)));
        boxes.MapGet("/{id:guid}/reconciliation", async (Guid id, MailboxService s, CancellationToken ct) => TypedResults.Ok(await s.ReconciliationAsync(id, ct)));
        boxes.MapGet("/{id:guid}/messages", async (Guid id, MailMessageState? state, int? limit, MailboxService s, CancellationToken ct) =>
            TypedResults.Ok(new { items = await s.MessagesAsync(id, state, limit, ct) }));

        var mail = api.MapGroup("/mail").WithTags("mail");
        mail.MapGet("/review", async (int? limit, MailboxService s, CancellationToken ct) => TypedResults.Ok(new { items = await s.ReviewListAsync(limit, ct) }));
        mail.MapPost("/review/{id:guid}", async (Guid id, HttpContext http, MailboxService s, CancellationToken ct) =>
            TypedResults.Ok(await s.ReviewAsync(id, await JsonBody.ReadAsync<ReviewInput>(http, null), ct)));
        // One message as an .eml file, multipart with the bearer token (no cookie, so no cross-site request can make it).
        mail.MapPost("/eml", async (HttpRequest request, MailboxService s, CancellationToken ct) =>
        {
            var file = await UploadedFileAsync(request, ct);
            if (file.Length > 25 * 1024 * 1024) throw Core.Common.ValidationException.For("file", Core.Text.Get("Validation.FileSize", 25 * 1024));
            await using var stream = file.OpenReadStream();
            return TypedResults.Ok(await s.ImportEmlAsync(stream, ct));
        }).DisableAntiforgery();
    }

    private static async Task<IFormFile> UploadedFileAsync(HttpRequest request, CancellationToken ct)
    {
        if (!request.HasFormContentType) throw Core.Common.ValidationException.For("file", Core.Text.Get("Validation.Required"));
        var form = await request.ReadFormAsync(ct);
        return form.Files.GetFile("file") ?? throw Core.Common.ValidationException.For("file", Core.Text.Get("Validation.Required"));
    }

    /// <summary>A meeting as an .ics download.</summary>
    public static async Task<IResult> MeetingIcsAsync(Guid id, CalendarService calendar, CancellationToken ct)
    {
        var (content, name) = await calendar.MeetingAsync(id, ct);
        return TypedResults.File(System.Text.Encoding.UTF8.GetBytes(content), "text/calendar; charset=utf-8", name);
    }

    /// <summary>A user's calendar feed by its secret address (no sign-in: calendar programs cannot sign in).</summary>
    public static async Task<IResult> FeedAsync(string file, CalendarService calendar, CancellationToken ct)
    {
        var content = file.EndsWith(".ics", StringComparison.Ordinal) ? await calendar.FeedAsync(file[..^4], ct) : null;
        return content is null ? Results.NotFound() : TypedResults.Text(content, "text/calendar; charset=utf-8");
    }

    /// <summary>An attachment, always as a download and never sniffed by the browser.</summary>
    public static async Task<IResult> DownloadAsync(Guid id, Guid attachmentId, AttachmentStore store, HttpContext http, CancellationToken ct)
    {
        var file = await store.OpenAsync(id, attachmentId, ct);
        http.Response.Headers.XContentTypeOptions = "nosniff";
        http.Response.Headers.ContentSecurityPolicy = "default-src 'none'; sandbox";
        return TypedResults.File(file.Content, file.ContentType, file.FileName);
    }
}
