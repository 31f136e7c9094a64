using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using Motiv.Core.Communication;
using static Motiv.Web.Tests.Api;

namespace Motiv.Web.Tests;

/// <summary>Incoming mail against Debian's Dovecot started on 127.0.0.1 for each test, on both databases.</summary>
public sealed class MailboxApiTests(ApiWorld worlds) : IClassFixture<ApiWorld>
{
    private enum Kind { InboundKnown, OutboundKnown, Unknown, OutboundUnknown, Duplicate }

    private sealed record Generated(MimeMessage Message, Kind Kind);

    /// <summary>Message i of a test's mailbox, of a kind fixed by i: known customers, the mailbox itself, strangers, duplicates and replies.</summary>
    private static Generated Message(int i, string token, string box, IReadOnlyList<string> customers)
    {
        var kind = i % 20 == 19 ? Kind.Duplicate : (i % 10) switch { 3 => Kind.Unknown, 5 => Kind.OutboundKnown, 7 when i % 20 == 7 => Kind.OutboundUnknown, _ => Kind.InboundKnown };
        var m = new MimeMessage
        {
            Subject = $"{token} Nachricht {i}", MessageId = $"{token}.{(kind == Kind.Duplicate ? i - 1 : i)}@kunde.example",
            Date = new DateTimeOffset(2026, 11, 1, 8, 0, 0, TimeSpan.Zero).AddMinutes(i),
        };
        var customer = customers[i % customers.Count];
        (string from, string to) = kind switch
        {
            Kind.OutboundKnown => (box, customer),
            Kind.OutboundUnknown => (box, $"fremd{i}.{token}@irgendwo.example"),
            Kind.Unknown => ($"neu{i}.{token}@interessent.example", box),
            _ => (customer, box),
        };
        m.From.Add(MailboxAddress.Parse(from));
        m.To.Add(MailboxAddress.Parse(to));
        if (i % 10 == 1) m.InReplyTo = $"{token}.{i - 1}@kunde.example";
        m.Body = new TextPart("plain") { Text = $"Guten Tag,\nNachricht {i} <script>alert(1)</script>\nGrüße" };
        return new Generated(m, kind);
    }

    [Theory, MemberData(nameof(ApiWorld.Databases), MemberType = typeof(ApiWorld))]
    public async Task A_thousand_messages_then_fifty_then_a_sync_killed_half_way_leave_every_message_taken_once_and_the_counts_equal(string db)
    {
        Requirements.Dovecot();
        var w = await worlds.GetAsync(db);
        var token = Unique("sync").Replace(" ", "", StringComparison.Ordinal);
        var user = token + "@motiv.test";
        using var imap = new TestImapServer(user);
        await AllowLoopbackAsync(w);
        var client = w.Client(w.SalesA);
        var customers = new List<string>();
        var firstCustomer = Guid.Empty;
        for (var k = 0; k < 25; k++)
        {
            var address = $"kunde{k}.{token}@kunde.example";
            var created = await OkJsonAsync(await client.PostAsync("/api/v1/people", Json(new { firstName = "Kunde", lastName = $"{k} {token}", emails = new[] { new { address } } })), HttpStatusCode.Created);
            if (k == 0) firstCustomer = created.GetProperty("id").GetGuid();
            customers.Add(address);
        }
        var all = Enumerable.Range(0, 1250).Select(i => Message(i, token, user, customers)).ToList();
        await imap.AppendAsync(user, "INBOX", all.Take(1000).Select(g => g.Message));

        var box = await OkJsonAsync(await client.PostAsync("/api/v1/mailboxes", Json(new
        {
            name = "Mein Postfach", address = user, host = "127.0.0.1", port = imap.Port, security = "none", userName = user, password = TestImapServer.Password,
        })), HttpStatusCode.Created);
        var id = box.GetProperty("id").GetGuid();
        Assert.True(box.GetProperty("hasPassword").GetBoolean());
        Assert.False(box.TryGetProperty("password", out _));

        var first = await OkJsonAsync(await client.PostAsync($"/api/v1/mailboxes/{id}/sync", null));
        AssertCounts(first, all.Take(1000).ToList(), notYetSynced: 0);

        await imap.AppendAsync(user, "INBOX", all.Skip(1000).Take(50).Select(g => g.Message));
        AssertCounts(await OkJsonAsync(await client.PostAsync($"/api/v1/mailboxes/{id}/sync", null)), all.Take(1050).ToList(), notYetSynced: 0);

        // 200 more; the sync stops in its second batch of 100 (as a crash would): the first batch is kept, the second not at all.
        await imap.AppendAsync(user, "INBOX", all.Skip(1050).Select(g => g.Message));
        using var kill = new CancellationTokenSource();
        await using (var scope = w.Factory.Services.CreateAsyncScope())
        {
            var sync = scope.ServiceProvider.GetRequiredService<MailboxService>();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sync.SyncAsSystemAsync(id, n => { if (n == 150) kill.Cancel(); }, kill.Token));
        }
        var killed = await OkJsonAsync(await client.GetAsync($"/api/v1/mailboxes/{id}/reconciliation"));
        var inbox = killed.GetProperty("folders")[0];
        Assert.Equal(1250, inbox.GetProperty("serverCount").GetInt32());
        Assert.Equal(100, inbox.GetProperty("notYetSynced").GetInt32());

        AssertCounts(await OkJsonAsync(await client.PostAsync($"/api/v1/mailboxes/{id}/sync", null)), all, notYetSynced: 0);
        await using (var sys = w.Factory.SystemDb())
        {
            var rows = await sys.MailMessages.Where(m => m.MailboxId == id).ToListAsync();
            Assert.Equal(1250, rows.Count);
            Assert.Equal(1250, rows.Select(r => r.Uid).Distinct().Count());
            // Every server message is there once: by Message-ID, the 1,188 distinct ones plus the 62 second copies skipped as duplicates.
            Assert.Equal(all.Select(g => g.Message.MessageId).Distinct().Count(), rows.Select(r => r.MessageId).Distinct().Count());
            var linked = rows.Where(r => r.InteractionId != null).ToList();
            Assert.Equal(linked.Count, linked.Select(r => r.InteractionId).Distinct().Count());
            Assert.Equal(linked.Count, await sys.Interactions.CountAsync(i => i.Subject.StartsWith(token)));
            // A reply is in the thread of the message it answers.
            var byId = rows.ToDictionary(r => r.MessageId + (r.State == MailMessageState.Skipped ? "#dup" : ""));
            Assert.Equal(byId[$"{token}.0@kunde.example"].ThreadId, byId[$"{token}.1@kunde.example"].ThreadId);
            Assert.NotEqual(byId[$"{token}.0@kunde.example"].ThreadId, byId[$"{token}.10@kunde.example"].ThreadId);
        }

        // The mail is on the customer's timeline as text: the script in it is inert.
        var timeline = (await OkJsonAsync(await client.GetAsync($"/api/v1/people/{firstCustomer}/timeline?channel=email&limit=200"))).GetProperty("items");
        var expected = all.Where(g => g.Kind is Kind.InboundKnown or Kind.OutboundKnown).Count(g => g.Message.From.Mailboxes.Concat(g.Message.To.Mailboxes).Any(a => a.Address == customers[0]));
        Assert.Equal(expected, timeline.GetArrayLength());
        var one = await OkJsonAsync(await client.GetAsync($"/api/v1/interactions/{timeline[0].GetProperty("id").GetGuid()}"));
        Assert.DoesNotContain("<script", one.GetProperty("body").GetString());
        Assert.Contains("&lt;script&gt;", one.GetProperty("body").GetString());

        // Another sales team sees neither the mailbox nor its numbers.
        Assert.Equal(HttpStatusCode.NotFound, (await w.Client(w.SalesB).GetAsync($"/api/v1/mailboxes/{id}/reconciliation")).StatusCode);
        Assert.DoesNotContain(id.ToString(), await w.Client(w.SalesB).GetStringAsync("/api/v1/mailboxes"));
    }

    private static void AssertCounts(JsonElement reconciliation, List<Generated> onServer, int notYetSynced)
    {
        var inbox = Assert.Single(reconciliation.GetProperty("folders").EnumerateArray());
        Assert.Equal("INBOX", inbox.GetProperty("folder").GetString());
        Assert.Equal(onServer.Count, inbox.GetProperty("serverCount").GetInt32());
        Assert.Equal(onServer.Count(g => g.Kind is Kind.InboundKnown or Kind.OutboundKnown), inbox.GetProperty("stored").GetInt32());
        Assert.Equal(onServer.Count(g => g.Kind == Kind.Unknown), inbox.GetProperty("inReview").GetInt32());
        Assert.Equal(onServer.Count(g => g.Kind is Kind.Duplicate or Kind.OutboundUnknown), inbox.GetProperty("skipped").GetInt32());
        Assert.Equal(onServer.Count(g => g.Kind == Kind.Duplicate), inbox.GetProperty("skippedBy").GetProperty(SkipReasons.Duplicate).GetInt32());
        Assert.Equal(onServer.Count(g => g.Kind == Kind.OutboundUnknown), inbox.GetProperty("skippedBy").GetProperty(SkipReasons.NoKnownRecipient).GetInt32());
        Assert.Equal(notYetSynced, inbox.GetProperty("notYetSynced").GetInt32());
        Assert.True(inbox.GetProperty("lastError").ValueKind == JsonValueKind.Null, inbox.ToString());
    }

    [Theory, MemberData(nameof(ApiWorld.Databases), MemberType = typeof(ApiWorld))]
    public async Task Mail_from_strangers_waits_for_review_an_eml_upload_is_taken_like_synced_mail_and_a_meeting_reply_updates_the_answer(string db)
    {
        Requirements.Dovecot();
        var w = await worlds.GetAsync(db);
        var token = Unique("rev").Replace(" ", "", StringComparison.Ordinal);
        var user = token + "@motiv.test";
        using var imap = new TestImapServer(user);
        await using var smtp = new TestSmtpServer();
        var client = w.Client(w.SalesA);
        await OkJsonAsync(await w.Client(w.Admin).PutAsync("/api/v1/webhooks/allow-list", Json(new { entries = Array.Empty<string>() })));
        var internalHost = await client.PostAsync("/api/v1/mailboxes", Json(new { name = "Intern", address = user, host = "127.0.0.1", port = imap.Port, security = "none", userName = user, password = "x" }));
        Assert.Contains("127.0.0.1", (await internalHost.ReadJsonAsync()).GetProperty("errors").GetProperty("host")[0].GetString());
        await AllowLoopbackAsync(w);

        // Who may add which mailbox; refused requests change nothing.
        var before = await w.Factory.FingerprintAsync();
        var body = new { name = "Postfach", address = user, host = "127.0.0.1", port = imap.Port, security = "none", userName = user, password = TestImapServer.Password };
        Assert.Equal(HttpStatusCode.Forbidden, (await w.Client(w.ReadOnly).PostAsync("/api/v1/mailboxes", Json(body))).StatusCode);
        var shared = await client.PostAsync("/api/v1/mailboxes", Json(new { body.name, body.address, body.host, body.port, body.security, body.userName, body.password, isShared = true }));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, shared.StatusCode);
        Assert.True((await shared.ReadJsonAsync()).GetProperty("errors").TryGetProperty("isShared", out _));
        var missing = await client.PostAsync("/api/v1/mailboxes", Json(new { name = "Ohne", port = 70000 }));
        var errors = (await missing.ReadJsonAsync()).GetProperty("errors");
        foreach (var field in new[] { "address", "host", "port", "userName", "password" }) Assert.True(errors.TryGetProperty(field, out _), field);
        Assert.Equal(before, await w.Factory.FingerprintAsync());

        var id = (await OkJsonAsync(await client.PostAsync("/api/v1/mailboxes", Json(body)), HttpStatusCode.Created)).GetProperty("id").GetGuid();
        await using (var sys = w.Factory.SystemDb())
            Assert.DoesNotContain(TestImapServer.Password, (await sys.Mailboxes.SingleAsync(b => b.Id == id)).Password);

        var customer = $"anna.{token}@kunde.example";
        var person = await OkJsonAsync(await client.PostAsync("/api/v1/people", Json(new { firstName = "Anna", lastName = "Antwort", emails = new[] { new { address = customer } } })), HttpStatusCode.Created);
        var personId = person.GetProperty("id").GetGuid();

        // A meeting invitation goes out by mail as iCalendar REQUEST; the reply comes back into the mailbox.
        await OkJsonAsync(await w.Client(w.Admin).PutAsync("/api/v1/mail/settings", Json(new { host = "127.0.0.1", port = smtp.Port, security = "none", fromAddress = user })));
        var meeting = await OkJsonAsync(await client.PostAsync("/api/v1/meetings", Json(new
        {
            subject = $"{token} Projektstart", occurredAt = new DateTimeOffset(2026, 12, 3, 10, 0, 0, TimeSpan.Zero), durationMinutes = 90, personIds = new[] { personId },
        })), HttpStatusCode.Created);
        var meetingId = meeting.GetProperty("id").GetGuid();
        Assert.Equal(1, (await OkJsonAsync(await client.PostAsync($"/api/v1/meetings/{meetingId}/invitations", null))).GetProperty("invited").GetInt32());
        var invitation = Assert.Single(smtp.Received);
        Assert.Equal(customer, invitation.To.Mailboxes.Single().Address);
        var request = invitation.BodyParts.OfType<TextPart>().Single(p => p.ContentType.IsMimeType("text", "calendar"));
        Assert.Equal("REQUEST", request.ContentType.Parameters["method"]);
        var requested = Ical.Net.Calendar.Load(request.Text)!;
        Assert.Equal("REQUEST", requested.Method);
        var e = Assert.Single(requested.Events);
        Assert.Equal(meetingId + "@motiv", e.Uid);
        Assert.Equal("NEEDS-ACTION", Assert.Single(e.Attendees).ParticipationStatus);

        // The customer's calendar program accepts.
        e.Attendees[0].ParticipationStatus = "ACCEPTED";
        Assert.NotNull(e.Summary);
        requested.Method = "REPLY";
        var reply = new MimeMessage { Subject = "Angenommen: " + e.Summary!, MessageId = $"reply.{token}@kunde.example", Date = new DateTimeOffset(2026, 11, 26, 10, 0, 0, TimeSpan.Zero) };
        reply.From.Add(MailboxAddress.Parse(customer));
        reply.To.Add(MailboxAddress.Parse(user));
        var calendarPart = new TextPart("calendar") { Text = new Ical.Net.Serialization.CalendarSerializer().SerializeToString(requested)! };
        calendarPart.ContentType.Parameters.Add("method", "REPLY");
        reply.Body = new MultipartAlternative { new TextPart("plain") { Text = "Anna hat angenommen." }, calendarPart };

        var stranger = new MimeMessage { Subject = $"{token} Anfrage", MessageId = $"stranger.{token}@neu.example", Date = new DateTimeOffset(2026, 11, 26, 11, 0, 0, TimeSpan.Zero) };
        stranger.From.Add(new MailboxAddress("Bert Neu", $"bert.{token}@neu.example"));
        stranger.To.Add(MailboxAddress.Parse(user));
        stranger.Body = new TextPart("plain") { Text = "Bitte senden Sie mir ein Angebot." };
        var stranger2 = new MimeMessage { Subject = $"{token} Frage", MessageId = $"stranger2.{token}@neu.example", Date = stranger.Date.AddMinutes(5) };
        stranger2.From.Add(MailboxAddress.Parse($"clara.{token}@neu.example"));
        stranger2.To.Add(MailboxAddress.Parse(user));
        stranger2.Body = new TextPart("plain") { Text = "Werbung?" };
        // Someone else answers "for" Anna: not her reply, so it changes nothing.
        e.Attendees[0].ParticipationStatus = "DECLINED";
        var forged = new MimeMessage { Subject = "Abgelehnt", MessageId = $"forged.{token}@boese.example", Date = reply.Date.AddHours(1) };
        forged.From.Add(MailboxAddress.Parse($"mallory.{token}@boese.example"));
        forged.To.Add(MailboxAddress.Parse(user));
        var forgedPart = new TextPart("calendar") { Text = new Ical.Net.Serialization.CalendarSerializer().SerializeToString(requested)! };
        forgedPart.ContentType.Parameters.Add("method", "REPLY");
        forged.Body = forgedPart;
        await imap.AppendAsync(user, "INBOX", [reply, forged, stranger, stranger2]);

        var reconciliation = await OkJsonAsync(await client.PostAsync($"/api/v1/mailboxes/{id}/sync", null));
        var inbox = reconciliation.GetProperty("folders")[0];
        Assert.Equal(1, inbox.GetProperty("stored").GetInt32());
        Assert.Equal(2, inbox.GetProperty("inReview").GetInt32());
        Assert.Equal(1, inbox.GetProperty("skippedBy").GetProperty(SkipReasons.UnknownMeeting).GetInt32());
        var answers = (await OkJsonAsync(await client.GetAsync($"/api/v1/interactions/{meetingId}"))).GetProperty("answers");
        Assert.Equal("accepted", Assert.Single(answers.EnumerateArray()).GetProperty("response").GetString(), ignoreCase: true);

        // The review list: the owner sees both strangers, another team none; refusals change nothing.
        var review = (await OkJsonAsync(await client.GetAsync("/api/v1/mail/review"))).GetProperty("items").EnumerateArray()
            .Where(m => m.GetProperty("subject").GetString()!.StartsWith(token, StringComparison.Ordinal)).ToList();
        Assert.Equal(2, review.Count);
        Assert.Contains("Angebot", review.Single(m => m.GetProperty("subject").GetString()!.EndsWith("Anfrage", StringComparison.Ordinal)).GetProperty("excerpt").GetString());
        Assert.DoesNotContain(token, await w.Client(w.SalesB).GetStringAsync("/api/v1/mail/review"));
        var bertId = review.Single(m => m.GetProperty("fromAddress").GetString()!.StartsWith("bert", StringComparison.Ordinal)).GetProperty("id").GetGuid();
        var claraId = review.Single(m => m.GetProperty("fromAddress").GetString()!.StartsWith("clara", StringComparison.Ordinal)).GetProperty("id").GetGuid();
        before = await w.Factory.FingerprintAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await w.Client(w.SalesB).PostAsync($"/api/v1/mail/review/{bertId}", Json(new { action = "ignore" }))).StatusCode);
        var bad = await client.PostAsync($"/api/v1/mail/review/{bertId}", Json(new { action = "person", firstName = "Bert" }));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.StatusCode);
        Assert.True((await bad.ReadJsonAsync()).GetProperty("errors").TryGetProperty("lastName", out _));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await client.PostAsync($"/api/v1/mail/review/{bertId}", Json(new { action = "link" }))).StatusCode);
        Assert.Equal(before, await w.Factory.FingerprintAsync());

        // Bert becomes a person and the mail is on his timeline; Clara's is ignored and its text forgotten.
        var linked = await OkJsonAsync(await client.PostAsync($"/api/v1/mail/review/{bertId}", Json(new { action = "person", firstName = "Bert", lastName = "Neu " + token })));
        Assert.Equal("linked", linked.GetProperty("state").GetString(), ignoreCase: true);
        var bert = Assert.Single((await OkJsonAsync(await client.GetAsync($"/api/v1/interactions/{linked.GetProperty("interactionId").GetGuid()}")))
            .GetProperty("people").EnumerateArray()).GetProperty("id").GetGuid();
        Assert.Equal($"bert.{token}@neu.example", (await OkJsonAsync(await client.GetAsync($"/api/v1/people/{bert}"))).GetProperty("emails")[0].GetProperty("address").GetString());
        var bertTimeline = (await OkJsonAsync(await client.GetAsync($"/api/v1/people/{bert}/timeline"))).GetProperty("items");
        Assert.Equal(linked.GetProperty("interactionId").GetGuid(), Assert.Single(bertTimeline.EnumerateArray()).GetProperty("id").GetGuid());
        await OkJsonAsync(await client.PostAsync($"/api/v1/mail/review/{claraId}", Json(new { action = "ignore" })));
        await using (var sys = w.Factory.SystemDb())
            Assert.Null((await sys.MailMessages.SingleAsync(m => m.Id == claraId)).BodyHtml);
        Assert.Equal(0, (await OkJsonAsync(await client.GetAsync($"/api/v1/mailboxes/{id}/reconciliation"))).GetProperty("folders")[0].GetProperty("inReview").GetInt32());

        // An .eml from Anna is linked to her; the same file again is a duplicate; a file that is no mail is refused.
        var eml = new MimeMessage { Subject = $"{token} Rückfrage", MessageId = $"eml.{token}@kunde.example", Date = new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero) };
        eml.From.Add(MailboxAddress.Parse(customer));
        eml.To.Add(MailboxAddress.Parse("someone@motiv.test"));
        var attached = new BodyBuilder { HtmlBody = "<p>Hallo <b>Motiv</b><img src=x onerror=alert(1)></p>" };
        attached.Attachments.Add("angebot.pdf", "%PDF-1.7\n1 0 obj<<>>endobj\n%%EOF"u8.ToArray(), new ContentType("application", "pdf"));
        attached.Attachments.Add("falle.html", "<script>alert(1)</script>"u8.ToArray(), new ContentType("text", "html"));
        eml.Body = attached.ToMessageBody();
        using var emlBytes = new MemoryStream();
        await eml.WriteToAsync(emlBytes);
        var uploaded = await OkJsonAsync(await client.PostAsync("/api/v1/mail/eml", File(emlBytes.ToArray(), "rueckfrage.eml")));
        Assert.Equal("linked", uploaded.GetProperty("state").GetString(), ignoreCase: true);
        var fromEml = await OkJsonAsync(await client.GetAsync($"/api/v1/interactions/{uploaded.GetProperty("interactionId").GetGuid()}"));
        Assert.Equal(personId, Assert.Single(fromEml.GetProperty("people").EnumerateArray()).GetProperty("id").GetGuid());
        Assert.DoesNotContain("onerror", fromEml.GetProperty("body").GetString());
        // The PDF is attached to the interaction; the HTML file is a kind Motiv does not accept and is left out.
        var files = fromEml.GetProperty("attachments");
        Assert.Equal("angebot.pdf", Assert.Single(files.EnumerateArray()).GetProperty("fileName").GetString());
        var download = await client.GetAsync($"/api/v1/interactions/{uploaded.GetProperty("interactionId").GetGuid()}/attachments/{files[0].GetProperty("id").GetGuid()}");
        Assert.StartsWith("%PDF", await download.Content.ReadAsStringAsync());
        var again = await OkJsonAsync(await client.PostAsync("/api/v1/mail/eml", File(emlBytes.ToArray(), "rueckfrage.eml")));
        Assert.Equal(SkipReasons.Duplicate, again.GetProperty("skipReason").GetString());
        before = await w.Factory.FingerprintAsync();
        var notMail = await client.PostAsync("/api/v1/mail/eml", File("%PDF-1.7 kein Mail"u8.ToArray(), "x.eml"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, notMail.StatusCode);
        Assert.True((await notMail.ReadJsonAsync()).GetProperty("errors").TryGetProperty("file", out _));
        Assert.Equal(before, await w.Factory.FingerprintAsync());
    }

    [Theory, MemberData(nameof(ApiWorld.Databases), MemberType = typeof(ApiWorld))]
    public async Task A_wrong_password_is_reported_in_the_reconciliation_and_nothing_is_taken(string db)
    {
        Requirements.Dovecot();
        var w = await worlds.GetAsync(db);
        var user = Unique("pw").Replace(" ", "", StringComparison.Ordinal) + "@motiv.test";
        using var imap = new TestImapServer(user);
        await AllowLoopbackAsync(w);
        var client = w.Client(w.SalesA2);
        var id = (await OkJsonAsync(await client.PostAsync("/api/v1/mailboxes", Json(new
        {
            name = "Falsch", address = user, host = "127.0.0.1", port = imap.Port, security = "none", userName = user, password = "falsch",
        })), HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var inbox = (await OkJsonAsync(await client.PostAsync($"/api/v1/mailboxes/{id}/sync", null))).GetProperty("folders")[0];
        Assert.Contains("uthentication", inbox.GetProperty("lastError").GetString());
        Assert.Equal(0, inbox.GetProperty("stored").GetInt32());
    }

    /// <summary>Users may point mailboxes only at hosts outside the network unless an administrator allows them: the test server is on 127.0.0.1.</summary>
    private static async Task AllowLoopbackAsync(World w) =>
        await OkJsonAsync(await w.Client(w.Admin).PutAsync("/api/v1/webhooks/allow-list", Json(new { entries = new[] { "127.0.0.1" } })));

    private static MultipartFormDataContent File(byte[] content, string name) => new() { { new ByteArrayContent(content), "file", name } };
}
