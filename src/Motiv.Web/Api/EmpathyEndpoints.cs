using Microsoft.Extensions.Options;
using Motiv.Core.Common;
using Motiv.Core.Communication;
using Motiv.Core.Customers;
using Motiv.Core.Empathy;

namespace Motiv.Web.Api;

/// <summary>The empathic part of /api/v1: motive taxonomy and profiles, relationship health, next best actions, the person's export.</summary>
public static class EmpathyEndpoints
{
    public static void MapEmpathyApi(this RouteGroupBuilder api)
    {
        var motives = api.MapGroup("/motives").WithTags("motives");
        motives.MapGet("/taxonomy", async (MotiveTaxonomyService s, CancellationToken ct) => TypedResults.Ok(await s.GetAsync(ct)));
        motives.MapPut("/taxonomy", async (HttpContext http, MotiveTaxonomyService s, CancellationToken ct) =>
            TypedResults.Ok(await s.SetAsync(await JsonBody.ReadAsync<MotiveSettings>(http, null), ct)));
        motives.MapPost("/analyze", async (HttpContext http, MotiveService s, CancellationToken ct) =>
            TypedResults.Ok(await s.AnalyzeAsync(await JsonBody.ReadAsync<AnalyzeInput>(http, null), ct)));

        var person = api.MapGroup("/people/{id:guid}").WithTags("motives");
        person.MapGet("/motives", async (Guid id, MotiveService s, CancellationToken ct) => TypedResults.Ok(await s.GetProfileAsync(id, ct)));
        person.MapGet("/motives/evidence", async (Guid id, string? motive, MotiveService s, CancellationToken ct) =>
            TypedResults.Ok(new { items = await s.GetEvidenceAsync(id, motive, ct) }));
        person.MapPost("/motives/evidence/{evidenceId:guid}", async (Guid id, Guid evidenceId, HttpContext http, MotiveService s, CancellationToken ct) =>
            TypedResults.Ok(await s.ReviewAsync(id, evidenceId, await JsonBody.ReadAsync<EvidenceReviewInput>(http, null), ct)));
        person.MapPut("/motives/ratings", async (Guid id, HttpContext http, MotiveService s, CancellationToken ct) =>
            TypedResults.Ok(await s.RateAsync(id, await JsonBody.ReadAsync<MotiveRatingsInput>(http, null), ct)));
        person.MapPost("/motives/objection", async (Guid id, HttpContext http, MotiveService s, CancellationToken ct) =>
            TypedResults.Ok(await s.ObjectAsync(id, await JsonBody.ReadAsync<ObjectionInput>(http, null), ct)));
        person.MapDelete("/motives/objection", async (Guid id, MotiveService s, CancellationToken ct) => TypedResults.Ok(await s.LiftObjectionAsync(id, ct)));
        person.MapPost("/motives/self-assessment", async (Guid id, MotiveService s, IOptions<Core.Communication.LinkOptions> links, CancellationToken ct) =>
            TypedResults.Ok(await s.CreateSelfAssessmentLinkAsync(id, links.Value.PublicUrl, ct)));
        person.MapGet("/vcard", async (Guid id, PersonService s, CancellationToken ct) =>
        {
            var p = await s.GetAsync(id, ct);
            return Results.File(System.Text.Encoding.UTF8.GetBytes(Core.Analytics.VCard.Write(p)), "text/vcard; charset=utf-8", $"{p.LastName}-{p.FirstName}.vcf".Replace(' ', '-'));
        }).WithTags("people");
        api.MapGet("/organizations/{id:guid}/product-suggestions", async (Guid id, NextBestActionService s, CancellationToken ct) =>
            TypedResults.Ok(new { items = await s.OrganizationProductSuggestionsAsync(id, ct) })).WithTags("insights");
        person.MapGet("/product-suggestions", async (Guid id, NextBestActionService s, CancellationToken ct) => TypedResults.Ok(new { items = await s.ProductSuggestionsAsync(id, ct) }))
            .WithTags("insights");
        person.MapGet("/motives/suggestions", async (Guid id, NextBestActionService s, CancellationToken ct) => TypedResults.Ok(await s.MailSuggestionAsync(id, ct)));
        person.MapGet("/next-best-actions", async (Guid id, NextBestActionService s, CancellationToken ct) => TypedResults.Ok(new { items = await s.ForPersonAsync(id, ct) }))
            .WithTags("next-best-actions");
        person.MapGet("/health", async (Guid id, HealthService s, CancellationToken ct) => TypedResults.Ok(await s.GetAsync(Person.Type, id, ct))).WithTags("health");
        person.MapGet("/export", async (Guid id, PersonExportService s, CancellationToken ct) => TypedResults.Ok(await s.ExportAsync(id, ct))).WithTags("people");
        api.MapGet("/organizations/{id:guid}/health", async (Guid id, HealthService s, CancellationToken ct) => TypedResults.Ok(await s.GetAsync(Organization.Type, id, ct)))
            .WithTags("health");
        api.MapGet("/health/at-risk", async ([AsParameters] AtRiskQuery query, HealthService s, CancellationToken ct) =>
        {
            var page = await s.AtRiskAsync(query, ct);
            return TypedResults.Ok(new ListResponse<AtRiskItem>(page));
        }).WithTags("health");

        var actions = api.MapGroup("/next-best-actions").WithTags("next-best-actions");
        actions.MapGet("", async (int? limit, NextBestActionService s, CancellationToken ct) => TypedResults.Ok(new { items = await s.MineAsync(limit, ct) }));
        actions.MapPost("/{actionId}/feedback", async (string actionId, HttpContext http, NextBestActionService s, CancellationToken ct) =>
            TypedResults.Ok(await s.FeedbackAsync(actionId, await JsonBody.ReadAsync<ActionFeedbackInput>(http, null), ct)));
    }
}

