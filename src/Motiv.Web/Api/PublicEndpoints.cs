using System.Globalization;
using System.Text;
using System.Threading.RateLimiting;
using Motiv.Core;
using Motiv.Core.Common;
using Motiv.Core.Communication;
using Motiv.Core.Empathy;
using Motiv.Web.Hosting;

namespace Motiv.Web.Api;

/// <summary>
/// Pages for people without a sign-in: public web forms (embeddable), the double-opt-in confirmation and the unsubscribe
/// link. Plain server-rendered HTML, every value encoded, in the visitor's language (?lang=de|en, else the browser's).
/// Links from mails only show a button: the change happens on POST, so mail scanners that open links change nothing.
/// </summary>
public static class PublicEndpoints
{
    public const string FormPolicy = "forms";
    private const string Honeypot = "homepage";

    /// <summary>At most this many submissions per minute from one address to one form (Motiv__Forms__PerMinute).</summary>
    public static IServiceCollection AddFormRateLimit(this IServiceCollection services, IConfiguration config)
    {
        var perMinute = config.GetValue("Motiv:Forms:PerMinute", 10);
        return services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.AddPolicy(FormPolicy, http => RateLimitPartition.GetFixedWindowLimiter(
                $"{http.Connection.RemoteIpAddress}|{http.Request.RouteValues["slug"]}",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
            o.OnRejected = async (context, ct) =>
            {
                UseLanguage(context.HttpContext);
                await Page(Text.Get("Form.TooMany"), "<p>" + E(Text.Get("Form.TooManyText")) + "</p>", StatusCodes.Status429TooManyRequests).ExecuteAsync(context.HttpContext);
            };
        });
    }

    public static void MapPublicPages(this WebApplication app)
    {
        app.MapGet("/forms/{slug}", ShowFormAsync).AllowAnonymous();
        app.MapPost("/forms/{slug}", SubmitFormAsync).AllowAnonymous().DisableAntiforgery().RequireRateLimiting(FormPolicy);
        app.MapGet("/confirm/{secret}", (string secret, HttpContext http) =>
        {
            UseLanguage(http);
            return Page(Text.Get("DoubleOptIn.Title"), $"<p>{E(Text.Get("DoubleOptIn.Ask"))}</p>{Button(http, "/confirm/" + secret, Text.Get("DoubleOptIn.Button"))}", frameable: false);
        }).AllowAnonymous();
        app.MapPost("/confirm/{secret}", async (string secret, HttpContext http, CancellationToken ct) =>
        {
            UseLanguage(http);
            await using var db = SystemDb.Create(http.RequestServices);
            var result = await ConsentService.ConfirmAsync(db, secret, http.Connection.RemoteIpAddress?.ToString(), http.Request.Headers.UserAgent.ToString(), ct);
            var status = result is DoubleOptInResult.Confirmed or DoubleOptInResult.AlreadyConfirmed ? 200 : result == DoubleOptInResult.Expired ? 410 : 404;
            return Page(Text.Get("DoubleOptIn.Title"), "<p>" + E(Text.Get("DoubleOptIn." + result)) + "</p>", status, frameable: false);
        }).AllowAnonymous().DisableAntiforgery();
        app.MapGet("/unsubscribe/{token}", (string token, HttpContext http, ConsentService consents) =>
        {
            UseLanguage(http);
            if (consents.ReadUnsubscribeToken(token) is not var (_, purpose)) return Page(Text.Get("Unsubscribe.Title"), "<p>" + E(Text.Get("Unsubscribe.Unknown")) + "</p>", 404, frameable: false);
            return Page(Text.Get("Unsubscribe.Title"), $"<p>{E(Text.Get("Unsubscribe.Ask", Text.Get("ConsentPurpose." + purpose)))}</p>{Button(http, "/unsubscribe/" + token, Text.Get("Mail.Unsubscribe"))}",
                frameable: false);
        }).AllowAnonymous();
        // Also the one-click unsubscribe of RFC 8058 (List-Unsubscribe-Post), which mail programs send without a page.
        app.MapPost("/unsubscribe/{token}", async (string token, HttpContext http, ConsentService consents, CancellationToken ct) =>
        {
            UseLanguage(http);
            await using var db = SystemDb.Create(http.RequestServices);
            var done = await consents.UnsubscribeAsync(db, token, http.Connection.RemoteIpAddress?.ToString(), http.Request.Headers.UserAgent.ToString(), ct);
            return Page(Text.Get("Unsubscribe.Title"), "<p>" + E(Text.Get(done ? "Unsubscribe.Done" : "Unsubscribe.Unknown")) + "</p>", done ? 200 : 404, frameable: false);
        }).AllowAnonymous().DisableAntiforgery();
        app.MapGet("/people/{id:guid}/consents/proof", ConsentProofAsync).RequireAuthorization();
        app.MapGet("/motives/self/{token}", (string token, HttpContext http, MotiveService motives, TimeProvider clock) =>
        {
            var language = UseLanguage(http);
            return motives.ReadSelfAssessmentToken(token, clock.GetUtcNow()) is null ? SelfAssessmentGone() : SelfAssessmentPage(token, language, new Dictionary<int, int>(), 200);
        }).AllowAnonymous();
        app.MapPost("/motives/self/{token}", async (string token, HttpContext http, MotiveService motives, TimeProvider clock, CancellationToken ct) =>
        {
            var language = UseLanguage(http);
            if (motives.ReadSelfAssessmentToken(token, clock.GetUtcNow()) is not { } personId) return SelfAssessmentGone();
            var posted = http.Request.HasFormContentType ? await http.Request.ReadFormAsync(ct) : null;
            var answers = new Dictionary<int, int>();
            for (var i = 0; i < SelfAssessment.Items.Count; i++)
                if (int.TryParse(posted?["q" + i], out var v) && v is >= 1 and <= 5) answers[i] = v;
            if (answers.Count < SelfAssessment.Items.Count) return SelfAssessmentPage(token, language, answers, StatusCodes.Status422UnprocessableEntity);
            await using var db = SystemDb.Create(http.RequestServices);
            return await MotiveService.SubmitSelfAssessmentAsync(db, personId, answers, ct)
                ? Page(Text.Get("SelfAssessment.Title"), "<p>" + E(Text.Get("SelfAssessment.Thanks")) + "</p>", frameable: false)
                : SelfAssessmentGone();
        }).AllowAnonymous().DisableAntiforgery().RequireRateLimiting(FormPolicy);
    }

    private static IResult SelfAssessmentGone() => Page(Text.Get("SelfAssessment.Title"), "<p>" + E(Text.Get("SelfAssessment.Gone")) + "</p>", 404, frameable: false);

    /// <summary>The person's own assessment: each statement answered from 1 (not at all) to 5 (completely); what it is for, said first.</summary>
    private static IResult SelfAssessmentPage(string token, string language, IReadOnlyDictionary<int, int> answers, int status)
    {
        var html = new StringBuilder();
        html.Append("<p>").Append(E(Text.Get("SelfAssessment.Intro"))).Append("</p>");
        html.Append($"<form method=\"post\" action=\"/motives/self/{E(Uri.EscapeDataString(token))}?lang={language}\">");
        if (status != 200) html.Append($"<p class=\"error\" role=\"alert\">{E(Text.Get("SelfAssessment.AnswerAll"))}</p>");
        foreach (var (item, i) in SelfAssessment.Items.Select((item, i) => (item, i)))
        {
            var missing = status != 200 && !answers.ContainsKey(i);
            html.Append($"<fieldset{(missing ? " aria-invalid=\"true\"" : "")}><legend>{E(language == "de" ? item.De : item.En)}</legend>");
            for (var v = 1; v <= 5; v++)
            {
                var label = Text.Get("SelfAssessment.Scale" + v);
                html.Append($"<label class=\"scale\"><input type=\"radio\" name=\"q{i}\" value=\"{v}\"{(answers.GetValueOrDefault(i) == v ? " checked" : "")} required> {E(label)}</label>");
            }
            html.Append("</fieldset>");
        }
        html.Append($"<p><button type=\"submit\">{E(Text.Get("Form.Send"))}</button></p></form>");
        return Page(Text.Get("SelfAssessment.Title"), html.ToString(), status, frameable: false);
    }

    /// <summary>The printable consent proof (signed-in users who may see the person).</summary>
    public static async Task<IResult> ConsentProofAsync(Guid id, ConsentService consents, HttpContext http, CancellationToken ct)
    {
        http.Response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'";
        return Results.Content(await consents.ProofAsync(id, ct), "text/html; charset=utf-8");
    }

    private static async Task<IResult> ShowFormAsync(string slug, HttpContext http, WebFormService forms, CancellationToken ct)
    {
        var language = UseLanguage(http);
        var form = await forms.FindPublicAsync(slug, ct);
        return form is null ? NotFound() : FormPage(form, language, new Dictionary<string, string?>(), new HashSet<ConsentPurpose>(), new Dictionary<string, string[]>(), 200);
    }

    private static async Task<IResult> SubmitFormAsync(string slug, HttpContext http, WebFormService forms, MailService mail, ILogger<WebFormService> log, CancellationToken ct)
    {
        var language = UseLanguage(http);
        var form = await forms.FindPublicAsync(slug, ct);
        if (form is null) return NotFound();
        var posted = http.Request.HasFormContentType ? await http.Request.ReadFormAsync(ct) : null;
        var values = form.Fields.ToDictionary(f => f.Key, f => (string?)posted?[f.Key].ToString());
        var ticked = (posted?["consent"] ?? default).Select(v => Enum.TryParse<ConsentPurpose>(v, ignoreCase: true, out var p) ? p : (ConsentPurpose?)null)
            .OfType<ConsentPurpose>().Where(p => form.Consents.Any(c => c.Purpose == p)).ToHashSet();
        var thanks = (language == "de" ? form.ThanksDe : form.ThanksEn) ?? Text.Get("Form.Thanks");
        // A bot filled the invisible field: it is thanked like anyone, and nothing is stored.
        if (!string.IsNullOrEmpty(posted?[Honeypot])) return Page(Title(form, language), "<p>" + E(thanks) + "</p>");
        try
        {
            await using var db = SystemDb.Create(http.RequestServices);
            var result = await WebFormService.SubmitAsync(db, form, new FormSubmission(values, ticked, language, http.Connection.RemoteIpAddress?.ToString(),
                http.Request.Headers.UserAgent.ToString()), (to, secret) => mail.SendDoubleOptInAsync(db, to, language, Title(form, language), secret, ct), ct);
            return Page(Title(form, language), "<p>" + E(thanks) + "</p>" + (result.DoubleOptInSent ? "<p>" + E(Text.Get("Form.CheckInbox")) + "</p>" : ""));
        }
        catch (ValidationException v)
        {
            return FormPage(form, language, values, ticked, v.Errors, StatusCodes.Status422UnprocessableEntity);
        }
        catch (MailDeliveryException e)
        {
            log.LogWarning(e, "Form {Slug}: the double-opt-in mail could not be sent; nothing was stored", form.Slug);
            return Page(Title(form, language), "<p>" + E(Text.Get("Form.MailFailed")) + "</p>", StatusCodes.Status503ServiceUnavailable);
        }
    }

    private static IResult FormPage(WebForm form, string language, IReadOnlyDictionary<string, string?> values, IReadOnlySet<ConsentPurpose> ticked,
        IReadOnlyDictionary<string, string[]> errors, int status)
    {
        var de = language == "de";
        var html = new StringBuilder();
        html.Append($"<form method=\"post\" action=\"/forms/{E(form.Slug)}?lang={language}\" novalidate>");
        if (errors.Count > 0) html.Append($"<p class=\"error\" role=\"alert\">{E(Text.Get("Form.Errors"))}</p>");
        foreach (var f in form.Fields)
        {
            var id = "f-" + f.Key;
            var label = de ? f.LabelDe : f.LabelEn;
            var value = E(values.GetValueOrDefault(f.Key));
            var required = f.Required ? " required aria-required=\"true\"" : "";
            var error = errors.TryGetValue(f.Key, out var messages) ? string.Join(" ", messages) : null;
            var described = error is null ? "" : $" aria-invalid=\"true\" aria-describedby=\"{id}-error\"";
            html.Append($"<p><label for=\"{id}\">{E(label)}{(f.Required ? " *" : "")}</label>");
            html.Append(f.Key == "message"
                ? $"<textarea id=\"{id}\" name=\"{f.Key}\" rows=\"5\" maxlength=\"5000\"{required}{described}>{value}</textarea>"
                : $"<input id=\"{id}\" name=\"{f.Key}\" type=\"{(f.Key == "email" ? "email" : f.Key == "phone" ? "tel" : "text")}\" value=\"{value}\" maxlength=\"200\"{required}{described}>");
            if (error is not null) html.Append($"<span class=\"error\" id=\"{id}-error\">{E(error)}</span>");
            html.Append("</p>");
        }
        foreach (var c in form.Consents)
        {
            html.Append($"<p class=\"consent\"><label><input type=\"checkbox\" name=\"consent\" value=\"{c.Purpose}\"{(ticked.Contains(c.Purpose) ? " checked" : "")}> ")
                .Append(E(de ? c.TextDe : c.TextEn)).Append("</label></p>");
        }
        html.Append($"<div class=\"hp\" aria-hidden=\"true\"><label>Homepage <input name=\"{Honeypot}\" tabindex=\"-1\" autocomplete=\"off\"></label></div>");
        html.Append($"<p><button type=\"submit\">{E(Text.Get("Form.Send"))}</button></p></form>");
        return Page(Title(form, language), html.ToString(), status);
    }

    private static string Title(WebForm form, string language) => language == "de" ? form.TitleDe : form.TitleEn;

    private static IResult NotFound() => Page(Text.Get("Problem.NotFound"), "<p>" + E(Text.Get("Form.NotFound")) + "</p>", 404);

    private static string Button(HttpContext http, string action, string label) =>
        $"<form method=\"post\" action=\"{E(action)}?lang={(Text.IsGerman ? "de" : "en")}\"><button type=\"submit\">{E(label)}</button></form>";

    /// <summary>The page's language from ?lang=, else the browser's (request localisation); the texts follow it.</summary>
    private static string UseLanguage(HttpContext http)
    {
        var lang = http.Request.Query["lang"].ToString();
        if (lang is "de" or "en") CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(lang);
        return Text.IsGerman ? "de" : "en";
    }

    /// <summary>A small standalone page; forms may be framed by any site (that is what embedding means), the other pages by none.</summary>
    private static IResult Page(string title, string body, int status = 200, bool frameable = true) => new PublicPage(
        $"<!DOCTYPE html><html lang=\"{(Text.IsGerman ? "de" : "en")}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">" +
        $"<title>{E(title)}</title><style>{Style}</style></head><body><main><h1>{E(title)}</h1>{body}</main></body></html>", status, frameable);

    private const string Style = "body{font-family:system-ui,sans-serif;margin:0;padding:1.5rem;color:#1d1d1f}main{max-width:36rem;margin:auto}" +
        "label{display:block;font-weight:600;margin-bottom:.25rem}.consent label{font-weight:400}input[type=text],input[type=email],input[type=tel],textarea{width:100%;" +
        "padding:.5rem;border:1px solid #888;border-radius:4px;box-sizing:border-box;font:inherit}button{padding:.6rem 1.4rem;font:inherit;background:#3949ab;color:#fff;" +
        "border:0;border-radius:4px;cursor:pointer}.error{color:#b00020;display:block}fieldset{border:1px solid #ccc;border-radius:4px;margin:0 0 1rem}" +
        "label.scale{display:inline-block;font-weight:400;margin-right:1rem}.hp{position:absolute;left:-10000px;width:1px;height:1px;overflow:hidden}";

    private static readonly System.Text.Encodings.Web.HtmlEncoder Encoder = System.Text.Encodings.Web.HtmlEncoder.Create(System.Text.Unicode.UnicodeRanges.All);

    /// <summary>HTML-encoded; letters such as ä or ß stay readable in the page source.</summary>
    private static string E(string? s) => Encoder.Encode(s ?? "");

    private sealed class PublicPage(string html, int status, bool frameable) : IResult
    {
        public Task ExecuteAsync(HttpContext http)
        {
            http.Response.StatusCode = status;
            http.Response.ContentType = "text/html; charset=utf-8";
            http.Response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors " + (frameable ? "*" : "'none'");
            http.Response.Headers.XContentTypeOptions = "nosniff";
            http.Response.Headers["Referrer-Policy"] = "no-referrer";
            return http.Response.WriteAsync(html, Encoding.UTF8);
        }
    }
}
