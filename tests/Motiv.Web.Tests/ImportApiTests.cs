using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using static Motiv.Web.Tests.Api;

namespace Motiv.Web.Tests;

/// <summary>Imports through the API on both databases: mapping suggestions, dry run, bad rows, duplicate policies, undo, orders with lines.</summary>
public sealed class ImportApiTests(ApiWorld worlds) : IClassFixture<ApiWorld>
{
    static ImportApiTests() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public static async Task<JsonElement> UploadAsync(HttpClient client, string entity, string fileName, byte[] content)
    {
        var body = new ByteArrayContent(content);
        body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return await OkJsonAsync(await client.PostAsync($"/api/v1/imports?entity={entity}&fileName={Uri.EscapeDataString(fileName)}", body), HttpStatusCode.Created);
    }

    /// <summary>Starts the step and waits until the background worker has finished it.</summary>
    public static async Task<JsonElement> StepAsync(HttpClient client, Guid id, string step, string until)
    {
        await OkJsonAsync(await client.PostAsync($"/api/v1/imports/{id}/{step}", null), HttpStatusCode.Accepted);
        for (var i = 0; i < 600; i++)
        {
            var job = await OkJsonAsync(await client.GetAsync($"/api/v1/imports/{id}"));
            var status = job.GetProperty("status").GetString();
            if (status == until) return job;
            Assert.False(status is "failed", job.GetProperty("error").GetString());
            await Task.Delay(100);
        }
        throw new TimeoutException($"The import did not reach {until}.");
    }

    private static async Task<int> CountAsync(HttpClient client, string list, string tag) =>
        (await OkJsonAsync(await client.GetAsync($"/api/v1/{list}?tag={tag}&limit=200"))).GetProperty("items").GetArrayLength();

    [Theory, MemberData(nameof(ApiWorld.Databases), MemberType = typeof(ApiWorld))]
    public async Task A_German_people_file_is_mapped_checked_imported_with_a_report_of_its_bad_rows_and_undone(string db)
    {
        var w = await worlds.GetAsync(db);
        var client = w.Client(w.SalesA);
        var tag = "imp-" + Guid.CreateVersion7().ToString("N")[^8..];
        var firm = Unique("Neue Firma GmbH");
        // What German Excel writes: semicolons, Windows-1252.
        var csv = string.Join("\r\n",
            "Anrede;Vorname;Nachname;E-Mail;Telefon;Firma;PLZ;Ort;Land;Geburtstag;Lieblingsfarbe",
            $"Frau;Jürgen;Müller-Lüdenscheidt;{tag}-1@kunde.example;030 1234567;{firm};10115;Berlin;DE;24.12.1980;blau",
            $"Herr;Bernd;Kein-Mail;kein-mail;;{firm};;;;;rot",
            $"Frau;Clara;Schön;{tag}-3@kunde.example;+49 89 555;{firm};80331;München;DE;1975-05-01;grün",
            $";Dora;Datum;{tag}-4@kunde.example;;;;;;31.02.1990;gelb",
            $"Herr;Emil;Ende;{tag}-5@kunde.example;;;;;;;") + "\r\n";
        var upload = await UploadAsync(client, "people", "kontakte.csv", Encoding.GetEncoding(1252).GetBytes(csv));
        var id = upload.GetProperty("id").GetGuid();
        Assert.Equal(["salutation", "firstName", "lastName", "email", "phone", "organization", "postalCode", "city", "country", "birthday", null],
            upload.GetProperty("mapping").EnumerateArray().Select(m => m.GetString()).ToArray());
        Assert.Equal("de", upload.GetProperty("numberFormat").GetString());
        Assert.Equal("Müller-Lüdenscheidt", (await OkJsonAsync(await client.GetAsync($"/api/v1/imports/{id}/preview"))).GetProperty("rows")[0][2].GetString());

        // Someone else does not see the import; a bad mapping is refused by field and changes nothing.
        Assert.Equal(HttpStatusCode.NotFound, (await w.Client(w.SalesB).GetAsync($"/api/v1/imports/{id}")).StatusCode);
        var before = await w.Factory.FingerprintAsync();
        var bad = await client.PutAsync($"/api/v1/imports/{id}", Json(new { mapping = new[] { "salutation", "gehalt", null, "email", "email", null, null, null, null, null, null } }));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.StatusCode);
        var errors = (await bad.ReadJsonAsync()).GetProperty("errors");
        Assert.Contains("gehalt", errors.GetProperty("mapping[1]")[0].GetString());
        Assert.True(errors.TryGetProperty("mapping[4]", out _));
        Assert.Contains("lastName", errors.GetProperty("mapping")[0].GetString());
        Assert.Equal(HttpStatusCode.Forbidden, (await w.Client(w.ReadOnly).PostAsync("/api/v1/imports?entity=people", new ByteArrayContent("a;b\r\n1;2"u8.ToArray()))).StatusCode);
        Assert.Equal(before, await w.Factory.FingerprintAsync());

        await OkJsonAsync(await client.PutAsync($"/api/v1/imports/{id}", Json(new { tag, createMissingCustomers = true })));
        var dry = await StepAsync(client, id, "dry-run", "checked");
        Assert.Equal((3, 2, 5), (dry.GetProperty("created").GetInt32(), dry.GetProperty("failed").GetInt32(), dry.GetProperty("rowsTotal").GetInt32()));
        Assert.Equal(0, await CountAsync(client, "people", tag));
        var dryErrors = await OkJsonAsync(await client.GetAsync($"/api/v1/imports/{id}/errors"));
        Assert.Equal([3, 5], dryErrors.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("row").GetInt32()).ToArray());

        var done = await StepAsync(client, id, "run", "completed");
        Assert.Equal((3, 2, 0), (done.GetProperty("created").GetInt32(), done.GetProperty("failed").GetInt32(), done.GetProperty("skipped").GetInt32()));
        var people = (await OkJsonAsync(await client.GetAsync($"/api/v1/people?tag={tag}"))).GetProperty("items");
        Assert.Equal(["Ende", "Müller-Lüdenscheidt", "Schön"], people.EnumerateArray().Select(p => p.GetProperty("lastName").GetString()).Order().ToArray());
        var juergen = await OkJsonAsync(await client.GetAsync($"/api/v1/people/{people.EnumerateArray().First(p => p.GetProperty("lastName").GetString() == "Müller-Lüdenscheidt").GetProperty("id")}"));
        Assert.Equal("+49301234567", juergen.GetProperty("phones")[0].GetProperty("number").GetString());
        Assert.Equal("1980-12-24", juergen.GetProperty("birthday").GetString());
        Assert.Equal("ms", juergen.GetProperty("salutation").GetString());
        Assert.Equal(firm, juergen.GetProperty("employments")[0].GetProperty("organizationName").GetString());
        var orgs = (await OkJsonAsync(await client.GetAsync($"/api/v1/organizations?tag={tag}"))).GetProperty("items");
        Assert.Equal(firm, Assert.Single(orgs.EnumerateArray()).GetProperty("name").GetString());

        // The error report has each bad row as it was, with what is wrong, under the file's own header.
        var report = (await (await client.GetAsync($"/api/v1/imports/{id}/errors.csv")).Content.ReadAsStringAsync()).TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("Row,Errors,Anrede,Vorname,Nachname,E-Mail,Telefon,Firma,PLZ,Ort,Land,Geburtstag,Lieblingsfarbe", report[0]);
        Assert.Equal(3, report.Length);
        Assert.StartsWith("3,\"E-Mail: ", report[1]);
        Assert.Contains("kein-mail", report[1]);
        Assert.Matches("^5,\"?Geburtstag: ", report[2]);

        var undone = await StepAsync(client, id, "undo", "undone");
        Assert.Equal(0, undone.GetProperty("kept").GetInt32());
        Assert.Equal(0, await CountAsync(client, "people", tag));
        Assert.Equal(0, await CountAsync(client, "organizations", tag));
    }

    [Theory, MemberData(nameof(ApiWorld.Databases), MemberType = typeof(ApiWorld))]
    public async Task The_update_policy_changes_matches_by_external_id_and_VAT_id_and_undo_puts_back_what_nobody_changed_since(string db)
    {
        var w = await worlds.GetAsync(db);
        var client = w.Client(w.SalesA);
        var tag = "upd-" + Guid.CreateVersion7().ToString("N")[^8..];
        var k1 = "K-" + tag;
        var (oldId, _) = await client.CreateOrganizationAsync(new { name = "Alt GmbH", externalId = k1, tags = new[] { tag } });
        var (vatId, _) = await client.CreateOrganizationAsync(new { name = "Steuer AG", vatId = "DE 136 695 976", tags = new[] { tag } });
        var csv = $"Kundennummer,Firma,USt-IdNr.,Ort,Land,Branche\n{k1},Neu GmbH,,Hamburg,DE,Handel\n,Steuer AG,DE136695976,,,Chemie\nK2-{tag},Zweite GmbH,,Köln,DE,\n";
        var id = (await UploadAsync(client, "organizations", "firmen.csv", Encoding.UTF8.GetBytes(csv))).GetProperty("id").GetGuid();
        await OkJsonAsync(await client.PutAsync($"/api/v1/imports/{id}", Json(new { duplicatePolicy = "update", tag })));
        var done = await StepAsync(client, id, "run", "completed");
        Assert.Equal((1, 2), (done.GetProperty("created").GetInt32(), done.GetProperty("updated").GetInt32()));
        var updated = await OkJsonAsync(await client.GetAsync($"/api/v1/organizations/{oldId}"));
        Assert.Equal(("Neu GmbH", "Hamburg", "Handel"), (updated.GetProperty("name").GetString(), updated.GetProperty("addresses")[0].GetProperty("city").GetString(), updated.GetProperty("industry").GetString()));
        Assert.Equal("Chemie", (await OkJsonAsync(await client.GetAsync($"/api/v1/organizations/{vatId}"))).GetProperty("industry").GetString());

        // Someone changes the new organisation after the import: undo leaves it and says so.
        var created = (await OkJsonAsync(await client.GetAsync($"/api/v1/organizations?q=Zweite&tag={tag}"))).GetProperty("items")[0];
        var etag = (await client.GetAsync($"/api/v1/organizations/{created.GetProperty("id")}")).Headers.ETag!.Tag;
        await OkJsonAsync(await client.PatchAsync($"/api/v1/organizations/{created.GetProperty("id")}", new { industry = "Maschinenbau" }, etag));
        var undone = await StepAsync(client, id, "undo", "undone");
        Assert.Equal(1, undone.GetProperty("kept").GetInt32());
        var back = await OkJsonAsync(await client.GetAsync($"/api/v1/organizations/{oldId}"));
        Assert.Equal("Alt GmbH", back.GetProperty("name").GetString());
        Assert.Empty(back.GetProperty("addresses").EnumerateArray());
        Assert.Equal(JsonValueKind.Null, (await OkJsonAsync(await client.GetAsync($"/api/v1/organizations/{vatId}"))).GetProperty("industry").ValueKind);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/v1/organizations/{created.GetProperty("id")}")).StatusCode);

        // Skip leaves matches alone (all three exist now: the changed one was kept); an order import cannot update.
        var again = (await UploadAsync(client, "organizations", "firmen.csv", Encoding.UTF8.GetBytes(csv))).GetProperty("id").GetGuid();
        await OkJsonAsync(await client.PutAsync($"/api/v1/imports/{again}", Json(new { duplicatePolicy = "skip" })));
        var skipped = await StepAsync(client, again, "run", "completed");
        Assert.Equal((0, 3), (skipped.GetProperty("created").GetInt32(), skipped.GetProperty("skipped").GetInt32()));
        var orders = (await UploadAsync(client, "orders", "auftraege.csv", "Auftragsnummer;Kundennummer;Datum\n1;2;2026-01-01\n"u8.ToArray())).GetProperty("id").GetGuid();
        var refused = await client.PutAsync($"/api/v1/imports/{orders}", Json(new { duplicatePolicy = "update" }));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.True((await refused.ReadJsonAsync()).GetProperty("errors").TryGetProperty("duplicatePolicy", out _));
    }

    [Theory, MemberData(nameof(ApiWorld.Databases), MemberType = typeof(ApiWorld))]
    public async Task A_row_repeating_an_earlier_rows_key_in_the_same_file_finds_that_record_whether_the_batch_has_a_bad_row_or_not(string db)
    {
        var w = await worlds.GetAsync(db);
        var client = w.Client(w.SalesA);
        // A clean file is written batch by batch in one save; a batch with a bad row goes row by row. Both must end the same.
        foreach (var bad in new[] { false, true })
        {
            var tag = "dup-" + Guid.CreateVersion7().ToString("N")[^8..];
            var lines = new List<string>
            {
                "Kontaktnummer;Vorname;Nachname;E-Mail;Ort;Land",
                $"{tag}-1;Anna;Erst;anna@{tag}.example;Berlin;DE",
                $"{tag}-2;Bert;Zwei;bert@{tag}.example;Bonn;DE",
                $"{tag}-1;Anna;Erst;anna@{tag}.example;Hamburg;DE",
                $";Berta;Zwei;BERT@{tag}.example;Köln;DE",
            };
            if (bad) lines.Add($"{tag}-3;Carl;;carl@{tag}.example;Ulm;DE");
            var id = (await UploadAsync(client, "people", "kontakte.csv", Encoding.UTF8.GetBytes(string.Join("\n", lines) + "\n"))).GetProperty("id").GetGuid();
            await OkJsonAsync(await client.PutAsync($"/api/v1/imports/{id}", Json(new { duplicatePolicy = "update", tag })));
            var done = await StepAsync(client, id, "run", "completed");
            Assert.Equal((2, 2, bad ? 1 : 0), (done.GetProperty("created").GetInt32(), done.GetProperty("updated").GetInt32(), done.GetProperty("failed").GetInt32()));
            var people = (await OkJsonAsync(await client.GetAsync($"/api/v1/people?tag={tag}"))).GetProperty("items").EnumerateArray()
                .Select(p => (p.GetProperty("firstName").GetString(), p.GetProperty("lastName").GetString(), p.GetProperty("city").GetString())).Order().ToArray();
            Assert.Equal([("Anna", "Erst", "Hamburg"), ("Berta", "Zwei", "Köln")], people);

            // Skip: the file's own repeats are skipped like stored records (all four rows match now).
            var again = (await UploadAsync(client, "people", "kontakte.csv", Encoding.UTF8.GetBytes(string.Join("\n", lines) + "\n"))).GetProperty("id").GetGuid();
            await OkJsonAsync(await client.PutAsync($"/api/v1/imports/{again}", Json(new { duplicatePolicy = "skip", tag })));
            var skipped = await StepAsync(client, again, "run", "completed");
            Assert.Equal((0, 4), (skipped.GetProperty("created").GetInt32(), skipped.GetProperty("skipped").GetInt32()));

            // Undo of the first import, newest row first, removes both people it created.
            var undone = await StepAsync(client, id, "undo", "undone");
            Assert.Equal(0, undone.GetProperty("kept").GetInt32());
            Assert.Equal(0, await CountAsync(client, "people", tag));
        }
    }

    [Theory, MemberData(nameof(ApiWorld.Databases), MemberType = typeof(ApiWorld))]
    public async Task Products_from_Excel_and_orders_with_lines_create_missing_customers_and_reach_the_analytics(string db)
    {
        var w = await worlds.GetAsync(db);
        var client = w.Client(w.SalesA);
        var tag = "ord-" + Guid.CreateVersion7().ToString("N")[^8..];
        var sku = tag.ToUpperInvariant();
        using var xlsx = new MemoryStream();
        MiniExcelLibs.MiniExcel.SaveAs(xlsx, new[]
        {
            new Dictionary<string, object?> { ["Artikelnummer"] = sku + "-A", ["Bezeichnung"] = "Wartung", ["Warengruppe"] = "Service", ["MwSt"] = 19 },
            new Dictionary<string, object?> { ["Artikelnummer"] = sku + "-B", ["Bezeichnung"] = "Sensor", ["Warengruppe"] = "Hardware", ["MwSt"] = 0.07 },
        });
        var products = (await UploadAsync(client, "products", "artikel.xlsx", xlsx.ToArray())).GetProperty("id").GetGuid();
        var imported = await StepAsync(client, products, "run", "completed");
        Assert.Equal(2, imported.GetProperty("created").GetInt32());
        var sensor = (await OkJsonAsync(await client.GetAsync($"/api/v1/products?q={sku}-B"))).GetProperty("items")[0];
        Assert.Equal(7m, sensor.GetProperty("vatRate").GetDecimal());

        var csv = string.Join("\n", "Auftragsnummer;Kundennummer;Kunde;Datum;Artikelnummer;Menge;Betrag",
            $"A1-{tag};C1-{tag};Erste Kunde GmbH;15.01.2026;{sku}-A;2;1.200,00",
            $"A1-{tag};C1-{tag};Erste Kunde GmbH;15.01.2026;{sku}-B;1;99,50",
            $"A2-{tag};C2-{tag};Zweite Kunde GmbH;20260301;{sku}-B;3;298,50",
            $"A3-{tag};C1-{tag};Erste Kunde GmbH;02.04.2026;NICHT-DA;1;10",
            $"A4-{tag};C1-{tag};Erste Kunde GmbH;03.05.2026;{sku}-A;1;600") + "\n";
        var id = (await UploadAsync(client, "orders", "auftraege.csv", Encoding.UTF8.GetBytes(csv))).GetProperty("id").GetGuid();
        await OkJsonAsync(await client.PutAsync($"/api/v1/imports/{id}", Json(new { createMissingCustomers = true, tag })));
        var done = await StepAsync(client, id, "run", "completed");
        Assert.Equal((3, 1), (done.GetProperty("created").GetInt32(), done.GetProperty("failed").GetInt32()));
        var report = await OkJsonAsync(await client.GetAsync($"/api/v1/imports/{id}/errors"));
        Assert.Contains("Artikelnummer: ", report.GetProperty("items")[0].GetProperty("errors")[0].GetString());
        var customers = (await OkJsonAsync(await client.GetAsync($"/api/v1/organizations?tag={tag}"))).GetProperty("items");
        Assert.Equal(["Erste Kunde GmbH", "Zweite Kunde GmbH"], customers.EnumerateArray().Select(c => c.GetProperty("name").GetString()).Order().ToArray());
        async Task<List<JsonElement>> OrdersAsync()
        {
            var all = new List<JsonElement>();
            foreach (var c in customers.EnumerateArray())
                all.AddRange((await OkJsonAsync(await client.GetAsync($"/api/v1/orders?organizationId={c.GetProperty("id")}"))).GetProperty("items").EnumerateArray());
            return all;
        }
        var orders = await OrdersAsync();
        Assert.Equal(3, orders.Count);
        var first = orders.Single(o => o.GetProperty("orderDate").GetString() == "2026-01-15");
        Assert.Equal(1299.5m, first.GetProperty("net").GetDecimal());
        var cohorts = (await OkJsonAsync(await client.GetAsync($"/api/v1/insights/cohorts?tag={tag}&asOf=2026-06-30"))).GetProperty("items");
        Assert.Equal(2, cohorts.EnumerateArray().Sum(c => c.GetProperty("size").GetInt32()));

        // Rerunning the same file with skip finds the orders by their numbers and creates nothing.
        var again = (await UploadAsync(client, "orders", "auftraege.csv", Encoding.UTF8.GetBytes(csv))).GetProperty("id").GetGuid();
        await OkJsonAsync(await client.PutAsync($"/api/v1/imports/{again}", Json(new { createMissingCustomers = true, tag })));
        var second = await StepAsync(client, again, "run", "completed");
        Assert.Equal((0, 3), (second.GetProperty("created").GetInt32(), second.GetProperty("skipped").GetInt32()));
        var undone = await StepAsync(client, id, "undo", "undone");
        Assert.Empty(await OrdersAsync());
        Assert.Equal(0, undone.GetProperty("kept").GetInt32());
    }

    [Theory, MemberData(nameof(ApiWorld.Databases), MemberType = typeof(ApiWorld))]
    public async Task vCards_3_and_4_import_as_people_and_a_card_exported_by_Motiv_comes_back_the_same(string db)
    {
        var w = await worlds.GetAsync(db);
        var client = w.Client(w.SalesA);
        var tag = "vcf-" + Guid.CreateVersion7().ToString("N")[^8..];
        var source = (await OkJsonAsync(await client.PostAsync("/api/v1/people", Json(new
        {
            firstName = "Vera", lastName = "Visitenkarte; Söhne", academicTitle = "Dr.", emails = new[] { new { address = $"vera@{tag}.example" } },
            phones = new[] { new { number = "+49 30 1234567", type = "mobile" } }, birthday = "1980-02-29", notes = "Zeile 1\nZeile 2, mit Komma",
        })), HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var exported = await client.GetStringAsync($"/api/v1/people/{source}/vcard");
        var v3 = string.Join("\r\n", "BEGIN:VCARD", "VERSION:3.0", "FN:Otto Outlook", "N:Outlook;Otto;;;", $"EMAIL;TYPE=INTERNET,WORK:otto@{tag}.example",
            "TEL;TYPE=WORK,VOICE:089 12345", "ADR;TYPE=WORK:;;Marienplatz 1;München;;80331;Deutschland", "ORG:Outlook GmbH;Vertrieb", "TITLE:Leiter",
            "CATEGORIES:messe,kunde", "NOTE:lange Notiz die umgebrochen", " wird", "END:VCARD", "BEGIN:VCARD", "VERSION:3.0", $"FN:Nur Name", $"EMAIL:nur@{tag}.example", "END:VCARD") + "\r\n";
        // Motiv's own card first: its e-mail matches the stored person and is skipped.
        var upload = await UploadAsync(client, "people", "kontakte.vcf", Encoding.UTF8.GetBytes(exported.Replace("END:VCARD", "") + "END:VCARD\r\n" + v3));
        var id = upload.GetProperty("id").GetGuid();
        Assert.Equal("vcard", upload.GetProperty("format").GetString());
        Assert.Equal(upload.GetProperty("header").EnumerateArray().Select(h => h.GetString()), upload.GetProperty("mapping").EnumerateArray().Select(m => m.GetString()));
        await OkJsonAsync(await client.PutAsync($"/api/v1/imports/{id}", Json(new { tag, createMissingCustomers = true })));
        var done = await StepAsync(client, id, "run", "completed");
        Assert.Equal((2, 1, 0), (done.GetProperty("created").GetInt32(), done.GetProperty("skipped").GetInt32(), done.GetProperty("failed").GetInt32()));
        var people = (await OkJsonAsync(await client.GetAsync($"/api/v1/people?tag={tag}"))).GetProperty("items").EnumerateArray().ToList();
        var otto = await OkJsonAsync(await client.GetAsync($"/api/v1/people/{people.Single(p => p.GetProperty("lastName").GetString() == "Outlook").GetProperty("id")}"));
        Assert.Equal("Otto", otto.GetProperty("firstName").GetString());
        Assert.Equal("+498912345", otto.GetProperty("phones")[0].GetProperty("number").GetString());
        Assert.Equal(("München", "DE", "80331"), (otto.GetProperty("addresses")[0].GetProperty("city").GetString(), otto.GetProperty("addresses")[0].GetProperty("country").GetString(),
            otto.GetProperty("addresses")[0].GetProperty("postalCode").GetString()));
        Assert.Equal(("Outlook GmbH", "Leiter", "Vertrieb"), (otto.GetProperty("employments")[0].GetProperty("organizationName").GetString(),
            otto.GetProperty("employments")[0].GetProperty("position").GetString(), otto.GetProperty("employments")[0].GetProperty("department").GetString()));
        Assert.Equal("lange Notiz die umgebrochenwird", otto.GetProperty("notes").GetString());
        Assert.Contains("messe", otto.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Contains(people, p => p.GetProperty("lastName").GetString() == "Name" && p.GetProperty("firstName").GetString() == "Nur");

        // The card Motiv wrote, imported with "create", gives the same person again.
        var again = (await UploadAsync(client, "people", "vera.vcf", Encoding.UTF8.GetBytes(exported))).GetProperty("id").GetGuid();
        await OkJsonAsync(await client.PutAsync($"/api/v1/imports/{again}", Json(new { duplicatePolicy = "create", tag })));
        await StepAsync(client, again, "run", "completed");
        var copyId = (await OkJsonAsync(await client.GetAsync($"/api/v1/people?tag={tag}&q=Visitenkarte"))).GetProperty("items")[0].GetProperty("id");
        var copy = await OkJsonAsync(await client.GetAsync($"/api/v1/people/{copyId}"));
        Assert.Equal(("Vera", "Visitenkarte; Söhne", "Dr.", "1980-02-29"), (copy.GetProperty("firstName").GetString(), copy.GetProperty("lastName").GetString(),
            copy.GetProperty("academicTitle").GetString(), copy.GetProperty("birthday").GetString()));
        Assert.Equal("Zeile 1\nZeile 2, mit Komma", copy.GetProperty("notes").GetString());
        Assert.Equal("+49301234567", copy.GetProperty("phones")[0].GetProperty("number").GetString());
        Assert.Equal("mobile", copy.GetProperty("phones")[0].GetProperty("type").GetString());
    }

    [Theory, MemberData(nameof(ApiWorld.Databases), MemberType = typeof(ApiWorld))]
    public async Task One_multipart_request_uploads_maps_and_starts_an_import_and_refused_options_leave_nothing(string db)
    {
        var w = await worlds.GetAsync(db);
        var client = w.Client(w.SalesA);
        var tag = "mp-" + Guid.CreateVersion7().ToString("N")[^8..];
        var csv = Encoding.UTF8.GetBytes($"Nr,Vorname,Name,Mail\n1,Mia,Multi,mia@{tag}.example\n2,Max,Multi,max@{tag}.example\n");
        MultipartFormDataContent Form(params (string Name, string Value)[] fields)
        {
            var form = new MultipartFormDataContent();
            var file = new ByteArrayContent(csv);
            file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
            form.Add(file, "file", "kontakte.csv");
            foreach (var (name, value) in fields) form.Add(new StringContent(value), name);
            return form;
        }
        var before = await w.Factory.FingerprintAsync();
        var refused = await client.PostAsync("/api/v1/imports", Form(("entity", "people"), ("duplicatePolicy", "sometimes")));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.True((await refused.ReadJsonAsync()).GetProperty("errors").TryGetProperty("duplicatePolicy", out _));
        var badColumn = await client.PostAsync("/api/v1/imports", Form(("entity", "people"), ("mapping", "Gehalt=notes")));
        Assert.Contains("Gehalt", (await badColumn.ReadJsonAsync()).GetProperty("errors").GetProperty("mapping")[0].GetString());
        Assert.Equal(before, await w.Factory.FingerprintAsync());

        var started = await client.PostAsync("/api/v1/imports", Form(("entity", "people"), ("mapping", "Nr=externalId;Mail=email"), ("duplicatePolicy", "update"),
            ("tag", tag), ("createMissingCustomers", "false"), ("dryRun", "false")));
        var job = await OkJsonAsync(started, HttpStatusCode.Accepted);
        Assert.Equal(["externalId", "firstName", "lastName", "email"], job.GetProperty("mapping").EnumerateArray().Select(m => m.GetString()).ToArray());
        Assert.Equal("update", job.GetProperty("duplicatePolicy").GetString());
        var id = job.GetProperty("id").GetGuid();
        for (var i = 0; i < 300 && (await OkJsonAsync(await client.GetAsync($"/api/v1/imports/{id}"))).GetProperty("status").GetString() != "completed"; i++) await Task.Delay(100);
        Assert.Equal(2, await CountAsync(client, "people", tag));
    }

    [Fact]
    public async Task Files_that_are_not_tables_are_refused()
    {
        var w = await worlds.GetAsync(TestDatabase.Sqlite);
        var client = w.Client(w.SalesA);
        var before = await w.Factory.FingerprintAsync();
        var exe = await client.PostAsync("/api/v1/imports?entity=people&fileName=tool.csv", new ByteArrayContent([0x4D, 0x5A, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00]));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, exe.StatusCode);
        Assert.True((await exe.ReadJsonAsync()).GetProperty("errors").TryGetProperty("file", out _));
        var entity = await client.PostAsync("/api/v1/imports?entity=salaries", new ByteArrayContent("a,b\n1,2\n"u8.ToArray()));
        Assert.True((await entity.ReadJsonAsync()).GetProperty("errors").TryGetProperty("entity", out _));
        Assert.Equal(before, await w.Factory.FingerprintAsync());
    }
}
