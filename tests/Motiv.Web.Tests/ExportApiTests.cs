using static Motiv.Web.Tests.Api;

namespace Motiv.Web.Tests;

/// <summary>CSV export of lists: streamed, obeying access control and filters, safe against formula injection; both databases.</summary>
public sealed class ExportApiTests(ApiWorld worlds) : IClassFixture<ApiWorld>
{
    [Theory, MemberData(nameof(ApiWorld.Databases), MemberType = typeof(ApiWorld))]
    public async Task Exports_what_the_list_shows_neutralises_formulas_and_keeps_raw_for_administrators(string db)
    {
        var w = await worlds.GetAsync(db);
        var tag = "export-" + Guid.CreateVersion7().ToString("N")[^6..];
        var client = w.Client(w.SalesA);
        await OkJsonAsync(await client.PostAsync("/api/v1/people", Json(new { firstName = "=HYPERLINK(\"http://evil\")", lastName = "Formel", tags = new[] { tag }, visibility = "private" })), HttpStatusCode.Created);
        for (var i = 0; i < 205; i++)
            await OkJsonAsync(await client.PostAsync("/api/v1/people", Json(new { firstName = "Eva", lastName = $"Export {i:D3}", tags = new[] { tag }, visibility = "private" })), HttpStatusCode.Created);

        var response = await client.PostAsync("/api/v1/exports", Json(new { entity = "people", filters = new Dictionary<string, string> { ["tag"] = tag } }));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        Assert.StartsWith("attachment", response.Content.Headers.ContentDisposition!.ToString());
        var lines = (await response.Content.ReadAsStringAsync()).TrimStart('\uFEFF').Split("\r\n".ToCharArray(), StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("id,firstName,lastName,academicTitle,email,phone,city,country,tags,updatedAt", lines[0]);
        Assert.Equal(207, lines.Length); // header + 206 rows over two pages
        Assert.Contains(lines, l => l.Contains("\"'=HYPERLINK(\"\"http://evil\"\")\"", StringComparison.Ordinal));

        // Someone else sees none of these private people; the raw export is for administrators.
        var other = await (await w.Client(w.SalesB).PostAsync("/api/v1/exports", Json(new { entity = "people", filters = new Dictionary<string, string> { ["tag"] = tag } }))).Content.ReadAsStringAsync();
        Assert.Single(other.TrimStart('\uFEFF').Split("\r\n".ToCharArray(), StringSplitOptions.RemoveEmptyEntries));
        var before = await w.Factory.FingerprintAsync();
        Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsync("/api/v1/exports", Json(new { entity = "people", raw = true }))).StatusCode);
        Assert.Equal(before, await w.Factory.FingerprintAsync());
        var raw = await (await w.Client(w.Admin).PostAsync("/api/v1/exports", Json(new { entity = "people", raw = true, filters = new Dictionary<string, string> { ["tag"] = tag } }))).Content.ReadAsStringAsync();
        Assert.Contains("\"=HYPERLINK(\"\"http://evil\"\")\"", raw);

        // The same list as XLSX: every value a text cell, never a formula.
        var xlsx = await client.PostAsync("/api/v1/exports", Json(new { entity = "people", format = "xlsx", filters = new Dictionary<string, string> { ["tag"] = tag } }));
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", xlsx.Content.Headers.ContentType!.MediaType);
        var bytes = await xlsx.Content.ReadAsByteArrayAsync();
        var sheet = MiniExcelLibs.MiniExcel.Query(new MemoryStream(bytes), useHeaderRow: true, excelType: MiniExcelLibs.ExcelType.XLSX).Cast<IDictionary<string, object>>().ToList();
        Assert.Equal(206, sheet.Count);
        Assert.Contains(sheet, r => (string)r["firstName"] == "=HYPERLINK(\"http://evil\")");
        using (var zip = new System.IO.Compression.ZipArchive(new MemoryStream(bytes)))
        {
            var xml = await new StreamReader(zip.GetEntry("xl/worksheets/sheet1.xml")!.Open()).ReadToEndAsync();
            Assert.DoesNotContain("<x:f>", xml);
            Assert.DoesNotContain("<f>", xml);
        }

        var bad = await client.PostAsync("/api/v1/exports", Json(new { entity = "invoices", filters = new Dictionary<string, string> { ["salary"] = "1" } }));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.StatusCode);
        var errors = (await bad.ReadJsonAsync()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("entity", out _));
        Assert.Equal(before, await w.Factory.FingerprintAsync());
    }

    [Theory, MemberData(nameof(ApiWorld.Databases), MemberType = typeof(ApiWorld))]
    public async Task Deals_orders_products_and_leads_export_too_and_a_saved_view_exports_with_its_filters(string db)
    {
        var w = await worlds.GetAsync(db);
        var client = w.Client(w.SalesA);
        var tag = "xv-" + Guid.CreateVersion7().ToString("N")[^8..];
        var pipelineId = (await OkJsonAsync(await client.GetAsync("/api/v1/pipelines"))).GetProperty("items")[0].GetProperty("id").GetGuid();
        var (orgId, _) = await client.CreateOrganizationAsync(new { name = Unique("Export AG") });
        foreach (var title in new[] { "=2+3 Anlage", "Wartung" })
            await OkJsonAsync(await client.PostAsync("/api/v1/deals", Json(new { title, organizationId = orgId, amount = 1234.5, pipelineId, tags = new[] { tag } })), HttpStatusCode.Created);
        await OkJsonAsync(await client.PostAsync("/api/v1/deals", Json(new { title = "Ohne Schlagwort", organizationId = orgId, amount = 1, pipelineId })), HttpStatusCode.Created);
        var view = await OkJsonAsync(await client.PostAsync("/api/v1/views", Json(new { recordType = "deal", name = Unique("Export"), filters = new { tag } })), HttpStatusCode.Created);

        var csv = await (await client.PostAsync("/api/v1/exports", Json(new { viewId = view.GetProperty("id").GetGuid() }))).Content.ReadAsStringAsync();
        var lines = csv.TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("id,title,organization,amount,currency,expectedCloseDate,probability,status,tags,updatedAt", lines[0]);
        Assert.Equal(3, lines.Length);
        Assert.Contains(lines, l => l.Contains(",'=2+3 Anlage,", StringComparison.Ordinal) && l.Contains(",1234.5,EUR,", StringComparison.Ordinal));

        await OkJsonAsync(await client.PostAsync("/api/v1/orders", Json(new
        {
            organizationId = orgId, orderDate = "2026-11-02", lines = new[] { new { name = "Beratung", unit = "h", quantity = 2, unitPrice = 100, vatRate = 19 } },
        })), HttpStatusCode.Created);
        var orders = await (await client.PostAsync("/api/v1/exports", Json(new { entity = "orders", format = "csv", filters = new Dictionary<string, string> { ["organizationId"] = orgId.ToString() } })))
            .Content.ReadAsStringAsync();
        var orderLines = orders.TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, orderLines.Length);
        Assert.EndsWith(",2026-11-02," + orderLines[1].Split(',')[4] + ",EUR,200,238,200", orderLines[1]);

        var before = await w.Factory.FingerprintAsync();
        var bad = await client.PostAsync("/api/v1/exports", Json(new { entity = "deals", filters = new Dictionary<string, string> { ["city"] = "Hamburg" } }));
        Assert.True((await bad.ReadJsonAsync()).GetProperty("errors").TryGetProperty("filters.city", out _));
        Assert.Equal(HttpStatusCode.NotFound, (await w.Client(w.SalesB).PostAsync("/api/v1/exports", Json(new { viewId = view.GetProperty("id").GetGuid() }))).StatusCode);
        Assert.Equal(before, await w.Factory.FingerprintAsync());
    }

    [Theory, MemberData(nameof(ApiWorld.Databases), MemberType = typeof(ApiWorld))]
    public async Task A_person_comes_as_a_vcard_for_those_who_may_read_them(string db)
    {
        var w = await worlds.GetAsync(db);
        var client = w.Client(w.SalesA);
        var id = (await OkJsonAsync(await client.PostAsync("/api/v1/people", Json(new
        {
            firstName = "Vera", lastName = "Visitenkarte", emails = new[] { new { address = "vera@kunde.example" } }, visibility = "private",
        })), HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var response = await client.GetAsync($"/api/v1/people/{id}/vcard");
        Assert.Equal("text/vcard", response.Content.Headers.ContentType!.MediaType);
        var card = await response.Content.ReadAsStringAsync();
        Assert.Contains("FN:Vera Visitenkarte\r\n", card);
        Assert.Contains("EMAIL;TYPE=work:vera@kunde.example\r\n", card);
        Assert.Equal(HttpStatusCode.NotFound, (await w.Client(w.SalesB).GetAsync($"/api/v1/people/{id}/vcard")).StatusCode);
    }
}
