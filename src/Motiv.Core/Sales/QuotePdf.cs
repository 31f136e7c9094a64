using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Motiv.Core.Common;
using Motiv.Core.Data;
using PdfSharp.Drawing;
using PdfSharp.Drawing.Layout;
using PdfSharp.Fonts;
using PdfSharp.Pdf;

namespace Motiv.Core.Sales;

/// <summary>A quote as a PDF in its language (German or English) with the company's letterhead from the settings.</summary>
public sealed class QuotePdf(IDbContextFactory<MotivDbContext> dbFactory, QuoteService quotes)
{
    private const double Left = 56, Right = 539, PageBottom = 770;

    static QuotePdf() => FontSetup.EnsureInstalled();

    public async Task<(byte[] Content, string FileName)> RenderAsync(Guid quoteId, CancellationToken ct = default)
    {
        var quote = await quotes.GetAsync(quoteId, ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var company = await SettingsService.ReadAsync<CompanyProfile>(db, SettingsService.CompanyKey, ct) ?? new CompanyProfile { Name = "Motiv" };
        var address = await db.Organizations.AsNoTracking().Where(o => o.Id == quote.OrganizationId).Select(o => o.Addresses).FirstOrDefaultAsync(ct);
        var culture = CultureInfo.GetCultureInfo(quote.Language == "de" ? "de-DE" : "en-GB");
        var name = quote.Revision > 1 ? $"{quote.Number}-R{quote.Revision}.pdf" : $"{quote.Number}.pdf";
        return (Render(quote, company, address?.FirstOrDefault(), culture), name);
    }

    /// <summary>Renders in the quote's language: texts, numbers, dates and country names follow <paramref name="culture"/>, not the reader's.</summary>
    internal static byte[] Render(QuoteDto quote, CompanyProfile company, Customers.PostalAddress? address, CultureInfo culture)
    {
        var (previous, previousUi) = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = culture;
        try
        {
            return Draw(quote, company, address, culture);
        }
        finally
        {
            (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = (previous, previousUi);
        }
    }

    private static byte[] Draw(QuoteDto quote, CompanyProfile company, Customers.PostalAddress? address, CultureInfo culture)
    {
        var de = culture.TwoLetterISOLanguageName == "de";
        string M(decimal amount) => amount.ToString("N2", culture) + " " + quote.Currency;
        string D(DateOnly date) => date.ToString(de ? "dd.MM.yyyy" : "d MMMM yyyy", culture);

        using var document = new PdfDocument();
        document.Info.Title = Text.Get("Quote.Title", quote.Number);
        document.Info.Author = company.Name;
        var regular = new XFont(FontSetup.Family, 9.5, XFontStyleEx.Regular);
        var small = new XFont(FontSetup.Family, 7.5, XFontStyleEx.Regular);
        var bold = new XFont(FontSetup.Family, 9.5, XFontStyleEx.Bold);
        var title = new XFont(FontSetup.Family, 16, XFontStyleEx.Bold);

        PdfPage page = null!;
        XGraphics gfx = null!;
        var y = 0d;
        void NewPage()
        {
            gfx?.Dispose();
            page = document.AddPage();
            page.Size = PdfSharp.PageSize.A4;
            gfx = XGraphics.FromPdfPage(page);
            Footer(gfx, company, small);
            y = 60;
        }
        void Line(string text, XFont font, double x = Left, double width = Right - Left, XStringFormat? format = null)
        {
            gfx.DrawString(text, font, XBrushes.Black, new XRect(x, y, width, 12), format ?? XStringFormats.TopLeft);
        }

        NewPage();
        if (company.Logo is { } logo)
        {
            using var stream = new MemoryStream(Convert.FromBase64String(logo));
            using var image = XImage.FromStream(stream);
            var height = 48d;
            var width = Math.Min(180, image.PixelWidth * height / Math.Max(1, image.PixelHeight));
            gfx.DrawImage(image, Right - width, 40, width, height);
        }
        Line(company.Name, bold);
        y += 30;
        var sender = string.Join(" · ", new[] { company.Name, company.Street, $"{company.PostalCode} {company.City}".Trim() }.Where(s => !string.IsNullOrWhiteSpace(s)));
        gfx.DrawString(sender, small, XBrushes.Gray, new XRect(Left, y, 260, 10), XStringFormats.TopLeft);
        y += 14;
        foreach (var row in new[] { quote.OrganizationName, quote.PersonName is null ? null : Text.Get("Pdf.Attention", quote.PersonName), address?.Street,
                     address is null ? null : $"{address.PostalCode} {address.City}".Trim(), address is null || address.Country == company.Country ? null : new RegionInfo(address.Country).DisplayName })
        {
            if (string.IsNullOrWhiteSpace(row)) continue;
            Line(row, regular, width: 260);
            y += 13;
        }
        var infoTop = 100d;
        foreach (var (label, value) in new[]
                 {
                     (Text.Get("Pdf.QuoteNumber"), quote.Revision > 1 ? $"{quote.Number} (Rev. {quote.Revision})" : quote.Number),
                     (Text.Get("Field.quoteDate"), D(quote.QuoteDate)),
                     (Text.Get("Field.validUntil"), D(quote.ValidUntil)),
                 })
        {
            gfx.DrawString(label, regular, XBrushes.Black, new XRect(360, infoTop, 90, 12), XStringFormats.TopLeft);
            gfx.DrawString(value, regular, XBrushes.Black, new XRect(440, infoTop, 99, 12), XStringFormats.TopRight);
            infoTop += 13;
        }
        y = Math.Max(y, infoTop) + 30;
        Line(Text.Get("Quote.Title", quote.Number), title);
        y += 28;
        void Paragraph(string text, XFont font)
        {
            foreach (var row in Wrap(gfx, text, font, Right - Left).ToList())
            {
                if (y > PageBottom) NewPage();
                Line(row, font);
                y += 12;
            }
        }
        if (quote.Introduction is { } intro)
        {
            Paragraph(intro, regular);
            y += 8;
        }

        // Line items
        var columns = new (string Label, double X, double Width, XStringFormat Format)[]
        {
            (Text.Get("Line.Position"), Left, 28, XStringFormats.TopLeft),
            (Text.Get("Line.Name"), Left + 30, 190, XStringFormats.TopLeft),
            (Text.Get("Line.Quantity"), Left + 222, 60, XStringFormats.TopRight),
            (Text.Get("Line.UnitPrice"), Left + 284, 72, XStringFormats.TopRight),
            (Text.Get("Line.Discount"), Left + 358, 36, XStringFormats.TopRight),
            (Text.Get("Line.Vat"), Left + 396, 28, XStringFormats.TopRight),
            (Text.Get("Line.Net"), Left + 426, Right - Left - 426, XStringFormats.TopRight),
        };
        void Header()
        {
            foreach (var c in columns) gfx.DrawString(c.Label, bold, XBrushes.Black, new XRect(c.X, y, c.Width, 12), c.Format);
            y += 14;
            gfx.DrawLine(XPens.Black, Left, y, Right, y);
            y += 4;
        }
        Header();
        foreach (var l in quote.Lines)
        {
            var text = l.Sku is null ? l.Name : $"{l.Name} ({l.Sku})";
            var lines = Wrap(gfx, text, regular, columns[1].Width).Concat(l.Description is null ? [] : Wrap(gfx, l.Description, small, columns[1].Width)).ToList();
            if (y + lines.Count * 12 > PageBottom - 40) { NewPage(); Header(); }
            var values = new[]
            {
                l.Position.ToString(culture), "", l.Quantity.ToString("0.####", culture) + " " + l.Unit, l.UnitPrice.ToString("N2", culture),
                l.DiscountPercent == 0 ? "" : l.DiscountPercent.ToString("0.##", culture) + " %", l.VatRate.ToString("0.##", culture) + " %", l.Net.ToString("N2", culture),
            };
            for (var i = 0; i < columns.Length; i++)
                if (i != 1) gfx.DrawString(values[i], regular, XBrushes.Black, new XRect(columns[i].X, y, columns[i].Width, 12), columns[i].Format);
            foreach (var (row, i) in lines.Select((r, i) => (r, i)))
                gfx.DrawString(row, i == 0 || l.Description is null ? regular : small, XBrushes.Black, new XRect(columns[1].X, y + i * 12, columns[1].Width, 12), XStringFormats.TopLeft);
            y += lines.Count * 12 + 4;
        }
        gfx.DrawLine(XPens.Black, Left, y, Right, y);
        y += 6;

        // Totals: net, VAT per rate, gross
        var totals = new List<(string, string, XFont)> { (Text.Get("Quote.TotalNet"), M(quote.Net), regular) };
        totals.AddRange(quote.VatByRate.Select(v => (Text.Get("Quote.VatOn", v.Rate.ToString("0.##", culture) + " %", v.Net.ToString("N2", culture)), M(v.Vat), regular)));
        totals.Add((Text.Get("Quote.TotalGross"), M(quote.Gross), bold));
        if (y + totals.Count * 13 > PageBottom - 20) NewPage();
        foreach (var (label, value, font) in totals)
        {
            gfx.DrawString(label, font, XBrushes.Black, new XRect(300, y, 140, 12), XStringFormats.TopLeft);
            gfx.DrawString(value, font, XBrushes.Black, new XRect(440, y, Right - 440, 12), XStringFormats.TopRight);
            y += 13;
        }
        y += 16;
        if (quote.Terms is { } terms)
        {
            if (y > PageBottom - 60) NewPage();
            Line(Text.Get("Field.terms"), bold);
            y += 14;
            Paragraph(terms, regular);
        }
        gfx.Dispose();
        using var output = new MemoryStream();
        document.Save(output, closeStream: false);
        return output.ToArray();
    }

    /// <summary>Breaks text into rows that fit <paramref name="width"/>, keeping the author's line breaks.</summary>
    private static IEnumerable<string> Wrap(XGraphics gfx, string text, XFont font, double width)
    {
        foreach (var paragraph in text.Replace("\r", "", StringComparison.Ordinal).Split('\n'))
        {
            var row = "";
            foreach (var word in paragraph.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                var candidate = row.Length == 0 ? word : row + " " + word;
                if (row.Length > 0 && gfx.MeasureString(candidate, font).Width > width)
                {
                    yield return row;
                    row = word;
                }
                else row = candidate;
            }
            yield return row;
        }
    }

    private static void Footer(XGraphics gfx, CompanyProfile c, XFont font)
    {
        var columns = new[]
        {
            string.Join("\n", new[] { c.Name, c.Street, $"{c.PostalCode} {c.City}".Trim() }.Where(s => !string.IsNullOrWhiteSpace(s))),
            string.Join("\n", new[] { c.Phone is null ? null : Text.Get("Field.phone") + " " + c.Phone, c.Email, c.Website }.Where(s => s is not null)),
            string.Join("\n", new[] { c.VatId is null ? null : Text.Get("Field.vatId") + " " + c.VatId, c.TaxNumber is null ? null : Text.Get("Field.taxNumber") + " " + c.TaxNumber, c.Register, c.ManagingDirectors is null ? null : Text.Get("Field.managingDirectors") + ": " + c.ManagingDirectors }.Where(s => s is not null)),
            string.Join("\n", new[] { c.BankName, c.Iban is null ? null : "IBAN " + c.Iban, c.Bic is null ? null : "BIC " + c.Bic }.Where(s => s is not null)),
        };
        gfx.DrawLine(XPens.LightGray, Left, 785, Right, 785);
        var formatter = new XTextFormatter(gfx);
        var width = (Right - Left) / columns.Length;
        for (var i = 0; i < columns.Length; i++)
            formatter.DrawString(columns[i], font, XBrushes.Gray, new XRect(Left + i * width, 789, width - 6, 45), XStringFormats.TopLeft);
    }
}

/// <summary>PDFsharp finds no system fonts on its own: Motiv brings DejaVu Sans Condensed (free licence) as an embedded resource.</summary>
internal static class FontSetup
{
    public const string Family = "Motiv Sans";
    private static readonly Lock Gate = new();

    public static void EnsureInstalled()
    {
        lock (Gate)
        {
            if (GlobalFontSettings.FontResolver is EmbeddedFonts) return;
            GlobalFontSettings.FontResolver = new EmbeddedFonts();
        }
    }

    private sealed class EmbeddedFonts : IFontResolver
    {
        public FontResolverInfo? ResolveTypeface(string familyName, bool bold, bool italic) =>
            new(bold ? "DejaVuSansCondensed-Bold" : "DejaVuSansCondensed", false, italic);

        public byte[]? GetFont(string faceName)
        {
            using var stream = typeof(FontSetup).Assembly.GetManifestResourceStream($"Motiv.Fonts.{faceName}.ttf");
            if (stream is null) return null;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            return copy.ToArray();
        }
    }
}
