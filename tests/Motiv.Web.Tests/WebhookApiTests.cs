using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Motiv.Core.Integration;
using static Motiv.Web.Tests.Api;

namespace Motiv.Web.Tests;

/// <summary>Webhooks against a real HTTP receiver on 127.0.0.1 (allowed by the allow-list), and the network guard; both databases.</summary>
public sealed class WebhookApiTests(ApiWorld worlds) : IClassFixture<ApiWorld>
{
    /// <summary>Every spelling of an internal address a webhook must not reach.</summary>
    public static TheoryData<string> InternalUrls => new(
        "http://127.0.0.1/", "http://localhost:8080/", "http://127.1/", "http://0177.0.0.1/", "http://017700000001/", "http://0x7f.0.0.1/", "http://0x7f000001/",
        "http://2130706433/", "http://127.000.000.001/", "http://[::1]/", "http://[::ffff:127.0.0.1]/", "http://[::ffff:7f00:1]/", "http://[0:0:0:0:0:ffff:127.0.0.1]/",
        "http://[64:ff9b::7f00:1]/", "http://169.254.169.254/latest/meta-data/", "http://[fd00:ec2::254]/", "http://[fe80::1]/", "http://10.0.0.1/", "http://172.16.5.4/",
        "http://192.168.1.1/", "http://100.64.0.1/", "http://0.0.0.0/", "http://[::]/", "http://0/", "http://user:pw@example.org/", "file:///etc/passwd", "ftp://example.org/");

    [Theory, MemberData(nameof(InternalUrls))]
    public async Task Every_spelling_of_an_internal_address_is_refused_with_the_field_named(string url)
    {
        var w = await worlds.GetAsync(TestDatabase.Sqlite);
        // Without an allow-list (another test of this class opens 127.0.0.1).
        await OkJsonAsync(await w.Client(w.Admin).PutAsync("/api/v1/webhooks/allow-list", Json(new { entries = Array.Empty<string>() })));
        var before = await w.Factory.FingerprintAsync();
        var response = await w.Client(w.Admin).PostAsync("/api/v1/webhooks", Json(new { name = "Intern", url, events = new[] { "record.created" } }));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.True((await response.ReadJsonAsync()).GetProperty("errors").TryGetProperty("url", out _), url);
        Assert.Equal(before, await w.Factory.FingerprintAsync());
    }

    [Theory, MemberData(nameof(ApiWorld.Databases), MemberType = typeof(ApiWorld))]
    public async Task Events_are_delivered_signed_retried_with_backoff_logged_and_a_redirect_into_the_network_is_refused(string db)
    {
        var w = await worlds.GetAsync(db);
        var admin = w.Client(w.Admin);
        using var receiver = new Receiver();
        var before = await w.Factory.FingerprintAsync();
        Assert.Equal(HttpStatusCode.Forbidden, (await w.Client(w.Manager).PostAsync("/api/v1/webhooks", Json(new { name = "x", url = receiver.Url, events = new[] { "record.created" } }))).StatusCode);
        var blocked = await admin.PostAsync("/api/v1/webhooks", Json(new { name = "Empfänger", url = receiver.Url, events = new[] { "record.created" } }));
        Assert.Contains("127.0.0.1", (await blocked.ReadJsonAsync()).GetProperty("errors").GetProperty("url")[0].GetString());
        Assert.True((await (await admin.PutAsync("/api/v1/webhooks/allow-list", Json(new { entries = new[] { "nicht gültig!" } }))).ReadJsonAsync()).GetProperty("errors").TryGetProperty("entries[0]", out _));
        Assert.Equal(before, await w.Factory.FingerprintAsync());

        // The intranet receiver is allowed explicitly.
        await OkJsonAsync(await admin.PutAsync("/api/v1/webhooks/allow-list", Json(new { entries = new[] { "127.0.0.1" } })));
        var hook = await OkJsonAsync(await admin.PostAsync("/api/v1/webhooks", Json(new
        {
            name = "Empfänger", url = receiver.Url, events = new[] { "record.created", "deal.stageChanged", "interaction.logged", "consent.changed" },
        })), HttpStatusCode.Created);
        var secret = hook.GetProperty("secret").GetString()!;
        var hookId = hook.GetProperty("id").GetGuid();
        Assert.False((await OkJsonAsync(await admin.GetAsync("/api/v1/webhooks"))).GetProperty("items").EnumerateArray().Single(h => h.GetProperty("id").GetGuid() == hookId)
            .TryGetProperty("secret", out var shown) && shown.ValueKind == JsonValueKind.String);

        var client = w.Client(w.SalesA);
        var personId = (await OkJsonAsync(await client.PostAsync("/api/v1/people", Json(new { firstName = "Hook", lastName = Unique("Empfang") })), HttpStatusCode.Created)).GetProperty("id").GetGuid();
        await OkJsonAsync(await client.PostAsync($"/api/v1/people/{personId}/consents", Json(new { channel = "letter", purpose = "events", action = "grant", legalBasis = "legitimateInterest", source = "Messe" })));
        await OkJsonAsync(await client.PostAsync("/api/v1/interactions", Json(new { channel = "phone", subject = "Anruf", personIds = new[] { personId } })), HttpStatusCode.Created);
        Assert.Empty(receiver.Received);

        // The receiver fails once: the delivery waits a minute, then succeeds; each request is signed.
        receiver.FailNext = 1;
        Assert.True(await DeliverAsync(w) > 0);
        var log = (await OkJsonAsync(await admin.GetAsync($"/api/v1/webhooks/{hookId}/deliveries"))).GetProperty("items").EnumerateArray().ToList();
        Assert.Contains(log, d => d.GetProperty("responseStatus").ValueKind == JsonValueKind.Number && d.GetProperty("responseStatus").GetInt32() == 500
            && d.GetProperty("status").GetString() == "pending" && d.GetProperty("nextAttemptAt").GetDateTimeOffset() == w.Factory.Clock.GetUtcNow().AddMinutes(1));
        w.Factory.Clock.Advance(TimeSpan.FromMinutes(1));
        await DeliverAsync(w);
        log = (await OkJsonAsync(await admin.GetAsync($"/api/v1/webhooks/{hookId}/deliveries"))).GetProperty("items").EnumerateArray().ToList();
        Assert.All(log, d => Assert.Equal("succeeded", d.GetProperty("status").GetString()));
        var events = receiver.Received.Where(r => r.Status == 200).Select(r => r.Event).ToList();
        Assert.Contains("record.created", events);
        Assert.Contains("consent.changed", events);
        Assert.Contains("interaction.logged", events);
        foreach (var r in receiver.Received)
        {
            var parts = r.Signature.Split(',').ToDictionary(p => p[..p.IndexOf('=')], p => p[(p.IndexOf('=') + 1)..]);
            var expected = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(parts["t"] + "." + r.Body)));
            Assert.Equal(expected, parts["v1"]);
        }
        var created = JsonDocument.Parse(receiver.Received.First(r => r.Event == "record.created" && r.Body.Contains(personId.ToString())).Body).RootElement;
        Assert.Equal("person", created.GetProperty("data").GetProperty("type").GetString());

        // A deal moved to another stage.
        var pipeline = (await OkJsonAsync(await client.GetAsync("/api/v1/pipelines"))).GetProperty("items")[0];
        var stages = pipeline.GetProperty("stages").EnumerateArray().ToList();
        var deal = await client.PostAsync("/api/v1/deals", Json(new { title = Unique("Hookdeal"), amount = 1000, pipelineId = pipeline.GetProperty("id").GetGuid(), stageId = stages[0].GetProperty("id").GetGuid() }));
        var dealJson = await OkJsonAsync(deal, HttpStatusCode.Created);
        await OkJsonAsync(await client.PatchAsync($"/api/v1/deals/{dealJson.GetProperty("id").GetGuid()}", new { stageId = stages[1].GetProperty("id").GetGuid() }, deal.Headers.ETag!.Tag));
        await DeliverAsync(w);
        var moved = JsonDocument.Parse(receiver.Received.Last(r => r.Event == "deal.stageChanged").Body).RootElement.GetProperty("data");
        Assert.Equal(stages[1].GetProperty("id").GetGuid().ToString(), moved.GetProperty("toStageId").GetString(), ignoreCase: true);

        // The receiver redirects to the cloud metadata address: not followed, logged with the reason.
        receiver.RedirectTo = "http://169.254.169.254/latest/meta-data/";
        var count = receiver.Received.Count;
        await OkJsonAsync(await client.PostAsync("/api/v1/people", Json(new { firstName = "Umleitung", lastName = Unique("Test") })), HttpStatusCode.Created);
        await DeliverAsync(w);
        Assert.Equal(count + 1, receiver.Received.Count);
        var redirected = (await OkJsonAsync(await admin.GetAsync($"/api/v1/webhooks/{hookId}/deliveries?limit=1"))).GetProperty("items")[0];
        Assert.Equal("pending", redirected.GetProperty("status").GetString());
        Assert.Contains("169.254.169.254", redirected.GetProperty("error").GetString());

        // Each failed attempt waits longer (1 min, 5 min, 30 min, 2 h, 12 h); after the last the delivery has failed for good.
        // The waits are checked in the log table and then made due there, so the world's clock (and its tokens) stay as they are.
        receiver.RedirectTo = null;
        receiver.FailNext = 100;
        await using var sys = w.Factory.SystemDb();
        var lastId = (await sys.WebhookDeliveries.Where(d => d.WebhookId == hookId).OrderByDescending(d => d.CreatedAt).ThenByDescending(d => d.Id).FirstAsync()).Id;
        for (var attempt = 2; attempt <= WebhookService.Backoff.Length + 1; attempt++)
        {
            var waiting = await sys.WebhookDeliveries.AsNoTracking().SingleAsync(d => d.Id == lastId);
            Assert.Equal(w.Factory.Clock.GetUtcNow() + WebhookService.Backoff[attempt - 2], waiting.NextAttemptAt);
            await sys.WebhookDeliveries.Where(d => d.Id == lastId).ExecuteUpdateAsync(u => u.SetProperty(d => d.NextAttemptAt, w.Factory.Clock.GetUtcNow()));
            await DeliverAsync(w);
        }
        var final = await sys.WebhookDeliveries.AsNoTracking().SingleAsync(d => d.Id == lastId);
        Assert.Equal(DeliveryStatus.Failed, final.Status);
        Assert.Equal(WebhookService.Backoff.Length + 1, final.Attempts);
    }

    private static async Task<int> DeliverAsync(World w)
    {
        await using var scope = w.Factory.Services.CreateAsyncScope();
        await using var db = w.Factory.SystemDb();
        return await scope.ServiceProvider.GetRequiredService<WebhookService>().DeliverDueAsync(db);
    }

    /// <summary>An HTTP server on 127.0.0.1 that records what it receives; it can answer 500 or redirect on request.</summary>
    private sealed class Receiver : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly CancellationTokenSource _stop = new();

        public sealed record Request(string Event, string Signature, string Body, int Status);

        public ConcurrentQueue<Request> Received { get; } = new();
        public string Url { get; }
        public int FailNext { get; set; }
        public string? RedirectTo { get; set; }

        public Receiver()
        {
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            Url = $"http://127.0.0.1:{port}/hook/";
            _listener.Prefixes.Add(Url);
            _listener.Start();
            _ = Task.Run(LoopAsync);
        }

        private async Task LoopAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                HttpListenerContext context;
                try { context = await _listener.GetContextAsync(); }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException) { return; }
                using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
                var body = await reader.ReadToEndAsync();
                var status = RedirectTo is not null ? 302 : FailNext > 0 ? 500 : 200;
                if (FailNext > 0 && RedirectTo is null) FailNext--;
                Received.Enqueue(new Request(context.Request.Headers["X-Motiv-Event"] ?? "", context.Request.Headers["X-Motiv-Signature"] ?? "", body, status));
                context.Response.StatusCode = status;
                if (RedirectTo is not null) context.Response.RedirectLocation = RedirectTo;
                context.Response.Close();
            }
        }

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Close();
            _stop.Dispose();
        }
    }
}
