using Microsoft.AspNetCore.Identity;
using Motiv.Core;
using Motiv.Core.Common;
using Motiv.Core.CustomFields;
using Motiv.Core.Customers;
using Motiv.Core.Identity;
using Motiv.Core.Sales;
using Motiv.Core.Search;
using Motiv.Core.Views;
using Motiv.Web.Auth;

namespace Motiv.Web.Api;

public sealed record TokenRequest(string? Email, string? Password);

public sealed record TokenResponse(string AccessToken, DateTimeOffset? ExpiresAt);

public sealed record PersonalTokenRequest(string? Name, bool ReadOnly, DateTimeOffset? ExpiresAt);

/// <summary>The REST API, /api/v1. Every call but the token request needs a bearer token.</summary>
public static class ApiEndpoints
{
    public static void MapMotivApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/auth/token", IssueTokenAsync).WithTags("auth").AllowAnonymous();

        var api = app.MapGroup("/api/v1")
            .RequireAuthorization(BearerTokenHandler.SchemeName)
            .AddEndpointFilter(RefuseWritesWithReadOnlyToken);

        api.MapRecordEndpoints("organizations", new RecordApiSpec<OrganizationQuery, OrganizationListItem, OrganizationInput, OrganizationDto>(
            Organization.Type,
            (sp, q, ct) => sp.GetRequiredService<OrganizationService>().ListAsync(q, ct),
            (sp, id, ct) => sp.GetRequiredService<OrganizationService>().GetAsync(id, ct),
            (sp, input, ct) => sp.GetRequiredService<OrganizationService>().CreateAsync(input, ct),
            (sp, id, v, input, ct) => sp.GetRequiredService<OrganizationService>().UpdateAsync(id, v, input, ct),
            OrganizationService.ToInput, o => (o.Id, o.Version)))
            .MapGet("/{id:guid}/family", async (Guid id, OrganizationService orgs, CancellationToken ct) => TypedResults.Ok(await orgs.GetFamilyAsync(id, ct)));

        api.MapRecordEndpoints("people", new RecordApiSpec<PersonQuery, PersonListItem, PersonInput, PersonDto>(
            Person.Type,
            (sp, q, ct) => sp.GetRequiredService<PersonService>().ListAsync(q, ct),
            (sp, id, ct) => sp.GetRequiredService<PersonService>().GetAsync(id, ct),
            (sp, input, ct) => sp.GetRequiredService<PersonService>().CreateAsync(input, ct),
            (sp, id, v, input, ct) => sp.GetRequiredService<PersonService>().UpdateAsync(id, v, input, ct),
            PersonService.ToInput, p => (p.Id, p.Version)));

        api.MapRecordEndpoints("relationships", new RecordApiSpec<RelationshipQuery, RelationshipDto, RelationshipInput, RelationshipDto>(
            Relationship.Type,
            (sp, q, ct) => sp.GetRequiredService<RelationshipService>().ListAsync(q, ct),
            (sp, id, ct) => sp.GetRequiredService<RelationshipService>().GetAsync(id, ct),
            (sp, input, ct) => sp.GetRequiredService<RelationshipService>().CreateAsync(input, ct),
            (sp, id, v, input, ct) => sp.GetRequiredService<RelationshipService>().UpdateAsync(id, v, input, ct),
            RelationshipService.ToInput, r => (r.Id, r.Version)));

        api.MapRecordEndpoints("products", new RecordApiSpec<ProductQuery, ProductListItem, ProductInput, ProductDto>(
            Product.Type,
            (sp, q, ct) => sp.GetRequiredService<ProductService>().ListAsync(q, ct),
            (sp, id, ct) => sp.GetRequiredService<ProductService>().GetAsync(id, ct),
            (sp, input, ct) => sp.GetRequiredService<ProductService>().CreateAsync(input, ct),
            (sp, id, v, input, ct) => sp.GetRequiredService<ProductService>().UpdateAsync(id, v, input, ct),
            ProductService.ToInput, p => (p.Id, p.Version)));

        api.MapSalesApi();
        api.MapCommunicationApi();
        api.MapEmpathyApi();
        api.MapInsightsApi();
        api.MapImportApi();
        api.MapDuplicateApi();

        var rates = api.MapGroup("/exchange-rates").WithTags("exchange-rates");
        rates.MapGet("", async (string? currency, ExchangeRateService s, CancellationToken ct) => TypedResults.Ok(new { items = await s.ListAsync(currency, ct) }));
        rates.MapPost("", async (HttpContext http, ExchangeRateService s, CancellationToken ct) =>
            TypedResults.Ok(await s.SetAsync(await JsonBody.ReadAsync<ExchangeRateInput>(http, null), ct)));
        rates.MapPost("/import", async (HttpRequest request, ExchangeRateService s, CancellationToken ct) =>
        {
            using var reader = new StreamReader(request.Body);
            return TypedResults.Ok(new { imported = await s.ImportCsvAsync(reader, ct) });
        }).Accepts<string>("text/csv");
        rates.MapGet("/convert", async (decimal amount, string currency, DateOnly date, ExchangeRateService s, CancellationToken ct) =>
            TypedResults.Ok(await s.ToBaseAsync(new Money(amount, currency.Trim().ToUpperInvariant()), date, ct)));

        api.MapGet("/search", async (string? q, int? limit, SearchService search, CancellationToken ct) =>
            TypedResults.Ok(new { items = await search.SearchAsync(q, limit ?? 20, ct) })).WithTags("search");

        var bin = api.MapGroup("/recycle-bin").WithTags("recycle-bin");
        bin.MapGet("", async (RecycleBinService service, CancellationToken ct) => TypedResults.Ok(new { items = await service.ListAsync(ct: ct) }));
        bin.MapPost("/{type}/{id:guid}/restore", async (string type, Guid id, RecycleBinService service, CancellationToken ct) =>
        {
            await service.RestoreAsync(RecordTypes.BySegment.GetValueOrDefault(type) ?? type, id, ct);
            return TypedResults.NoContent();
        });

        var fields = api.MapGroup("/custom-fields").WithTags("custom-fields");
        fields.MapGet("", async (string? recordType, CustomFieldService s, CancellationToken ct) => TypedResults.Ok(new { items = await s.ListAsync(recordType, ct: ct) }));
        fields.MapPost("", async (HttpContext http, CustomFieldService s, CancellationToken ct) =>
        {
            var field = await s.SaveAsync(null, await JsonBody.ReadAsync<CustomFieldInput>(http, null), ct);
            return TypedResults.Created($"/api/v1/custom-fields/{field.Id}", field);
        });
        fields.MapPatch("/{id:guid}", async (Guid id, HttpContext http, CustomFieldService s, CancellationToken ct) =>
            TypedResults.Ok(await s.SaveAsync(id, await JsonBody.ReadAsync<CustomFieldInput>(http, null), ct)));
        fields.MapDelete("/{id:guid}", async (Guid id, CustomFieldService s, CancellationToken ct) =>
        {
            // Fields are retired, not deleted: their values stay in the records' history.
            await s.SaveAsync(id, new CustomFieldInput { IsActive = false }, ct);
            return TypedResults.NoContent();
        });

        var views = api.MapGroup("/views").WithTags("views");
        views.MapGet("", async (string? recordType, ViewService s, CancellationToken ct) => TypedResults.Ok(new { items = await s.ListAsync(recordType, ct) }));
        views.MapSaveEndpoints<ViewService, ViewInput, ViewDto>("/api/v1/views", (s, id, input, ct) => s.SaveAsync(id, input, ct), v => v.Id, (s, id, ct) => s.DeleteAsync(id, ct));

        var users = api.MapGroup("/users").WithTags("users");
        users.MapGet("", async (UserAdminService s, CancellationToken ct) => TypedResults.Ok(new { items = await s.ListUsersAsync(ct) }));
        users.MapGet("/{id:guid}", async (Guid id, UserAdminService s, CancellationToken ct) => TypedResults.Ok(await s.GetUserAsync(id, ct)));
        users.MapPost("", async (HttpContext http, UserAdminService s, CancellationToken ct) =>
        {
            var user = await s.CreateUserAsync(await JsonBody.ReadAsync<UserInput>(http, null), ct);
            return TypedResults.Created($"/api/v1/users/{user.Id}", user);
        });
        users.MapPatch("/{id:guid}", async (Guid id, HttpContext http, UserAdminService s, CancellationToken ct) =>
            TypedResults.Ok(await s.UpdateUserAsync(id, await JsonBody.ReadAsync<UserInput>(http, null), ct)));
        users.MapDelete("/{id:guid}", async (Guid id, UserAdminService s, CancellationToken ct) =>
        {
            // Users are deactivated, never deleted: their records, history and tokens stay attributable.
            await s.UpdateUserAsync(id, new UserInput { IsActive = false }, ct);
            return TypedResults.NoContent();
        });

        var teams = api.MapGroup("/teams").WithTags("teams");
        teams.MapGet("", async (UserAdminService s, CancellationToken ct) => TypedResults.Ok(new { items = await s.ListTeamsAsync(ct) }));
        teams.MapPost("", async (HttpContext http, UserAdminService s, CancellationToken ct) =>
        {
            var team = await s.SaveTeamAsync(null, await JsonBody.ReadAsync<TeamInput>(http, null), ct);
            return TypedResults.Created($"/api/v1/teams/{team.Id}", team);
        });
        teams.MapPatch("/{id:guid}", async (Guid id, HttpContext http, UserAdminService s, CancellationToken ct) =>
            TypedResults.Ok(await s.SaveTeamAsync(id, await JsonBody.ReadAsync<TeamInput>(http, null), ct)));
        teams.MapDelete("/{id:guid}", async (Guid id, UserAdminService s, CancellationToken ct) =>
        {
            await s.DeleteTeamAsync(id, ct);
            return TypedResults.NoContent();
        });

        var tokens = api.MapGroup("/tokens").WithTags("auth");
        tokens.MapGet("", async (CurrentUser me, TokenService s, CancellationToken ct) => TypedResults.Ok(new { items = await s.ListAsync(me.Scope.UserId, ct) }));
        tokens.MapPost("", async (HttpContext http, CurrentUser me, TokenService s, CancellationToken ct) =>
        {
            var request = await JsonBody.ReadAsync<PersonalTokenRequest>(http, null);
            var token = await s.CreatePersonalTokenAsync(me.Scope.UserId, request.Name ?? "", request.ReadOnly, request.ExpiresAt, ct);
            return TypedResults.Created($"/api/v1/tokens/{token.Id}", token);
        });
        tokens.MapDelete("/{id:guid}", async (Guid id, CurrentUser me, TokenService s, CancellationToken ct) =>
        {
            await s.RevokeAsync(me.Scope.UserId, id, ct);
            return TypedResults.NoContent();
        });
    }

    private static async Task<IResult> IssueTokenAsync(TokenRequest request, UserManager<MotivUser> users, SignInManager<MotivUser> signIn, TokenService tokens, CancellationToken ct)
    {
        var user = string.IsNullOrWhiteSpace(request.Email) ? null : await users.FindByEmailAsync(request.Email.Trim());
        if (user is null || !user.IsActive)
            return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: Text.Get("Auth.InvalidLogin"));
        var result = await signIn.CheckPasswordSignInAsync(user, request.Password ?? "", lockoutOnFailure: true);
        if (result.IsLockedOut) return Results.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: Text.Get("Auth.LockedOut"));
        if (!result.Succeeded) return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: Text.Get("Auth.InvalidLogin"));
        var token = await tokens.IssueSessionTokenAsync(user.Id, ct);
        return TypedResults.Ok(new TokenResponse(token.AccessToken, token.ExpiresAt));
    }

    private static readonly HashSet<string> EnumParameters = new(["role", "status", "source", "channel", "direction", "kind"], StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Enum query parameters are written as in the JSON bodies ("status=won", "channel=webForm"); minimal APIs parse enum names
    /// case-sensitively, so the first letter is raised before binding. Unknown names still answer 400.
    /// </summary>
    public static Task NormaliseEnumQueryAsync(HttpContext http, Func<Task> next)
    {
        if (http.Request.Path.StartsWithSegments("/api/v1") && http.Request.Query.Keys.Any(EnumParameters.Contains))
        {
            var query = http.Request.Query.ToDictionary(q => q.Key, q => EnumParameters.Contains(q.Key)
                ? new Microsoft.Extensions.Primitives.StringValues(q.Value.Select(v => string.IsNullOrEmpty(v) ? v : char.ToUpperInvariant(v[0]) + v[1..]).ToArray())
                : q.Value);
            http.Request.QueryString = Microsoft.AspNetCore.Http.QueryString.Create(query.SelectMany(q => q.Value.Select(v => new KeyValuePair<string, string?>(q.Key, v))));
        }
        return next();
    }

    private static async ValueTask<object?> RefuseWritesWithReadOnlyToken(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (!HttpMethods.IsGet(http.Request.Method) && !HttpMethods.IsHead(http.Request.Method) && http.RequestServices.GetRequiredService<CurrentUser>().ReadOnlyToken)
            throw new AccessDeniedException(Text.Get("Access.ReadOnlyToken"));
        return await next(context);
    }
}
