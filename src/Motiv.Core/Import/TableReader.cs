using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using MiniExcelLibs;
using Motiv.Core.Common;
using Sylvan.Data.Csv;

namespace Motiv.Core.Import;

/// <summary>
/// Reads a CSV or XLSX file row by row without loading it: the header first, then each data row as text cells.
/// CSV: encoding from the byte-order mark, else UTF-8 when the start is valid UTF-8, else Windows-1252 (what German
/// Excel writes); the delimiter (; , tab |) is the one the header uses most. XLSX: the first sheet, read as a stream.
/// </summary>
public static class TableReader
{
    public const int MaxColumns = 200;

    static TableReader() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    /// <summary>"xlsx" when the file is a ZIP container, "vcard" for vCards, "csv" for other text; null for anything else (a program, an image).</summary>
    public static string? Sniff(string path)
    {
        using var file = File.OpenRead(path);
        var head = new byte[8192];
        var n = file.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        if (n >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) return "xlsx";
        var span = head.AsSpan(0, n);
        var text = Encoding.UTF8.GetString(span).TrimStart('\uFEFF', ' ', '\r', '\n', '\t');
        if (text.StartsWith("BEGIN:VCARD", StringComparison.OrdinalIgnoreCase)) return "vcard";
        var utf16 = n >= 2 && ((head[0] == 0xFF && head[1] == 0xFE) || (head[0] == 0xFE && head[1] == 0xFF));
        return !utf16 && span.Contains((byte)0) ? null : "csv";
    }

    public static async Task<IReadOnlyList<string>> HeaderAsync(string path, string format, CancellationToken ct)
    {
        await foreach (var row in RowsAsync(path, format, 0, ct)) return row.Values.Select((v, i) => string.IsNullOrWhiteSpace(v) ? $"#{i + 1}" : v.Trim()).ToList();
        return [];
    }

    /// <summary>
    /// The rows after <paramref name="skip"/> data rows, the header included as row 1 when nothing is skipped. Row
    /// numbers count as a spreadsheet does (a quoted cell spanning lines is still one row).
    /// </summary>
    public static IAsyncEnumerable<(int Row, string?[] Values)> RowsAsync(string path, string format, int skip, CancellationToken ct) => format switch
    {
        "xlsx" => XlsxRows(path, skip, ct),
        "vcard" => VCardRows(path, skip, ct),
        _ => CsvRows(path, skip, ct),
    };

    /// <summary>A vCard file as a table: a header of the people import's field names, then one row per card.</summary>
    private static async IAsyncEnumerable<(int, string?[])> VCardRows(string path, int skip, [EnumeratorCancellation] CancellationToken ct)
    {
        await Task.Yield();
        if (skip == 0) yield return (1, [.. Analytics.VCardReader.Header]);
        using var reader = new StreamReader(path, DetectEncoding(path), detectEncodingFromByteOrderMarks: true);
        var row = 1;
        foreach (var card in Analytics.VCardReader.Read(reader))
        {
            ct.ThrowIfCancellationRequested();
            row++;
            if (row - 1 <= skip) continue;
            yield return (row, card);
        }
    }

    private static async IAsyncEnumerable<(int, string?[])> CsvRows(string path, int skip, [EnumeratorCancellation] CancellationToken ct)
    {
        var encoding = DetectEncoding(path);
        var delimiter = DetectDelimiter(path, encoding);
        using var text = new StreamReader(path, encoding, detectEncodingFromByteOrderMarks: true, new FileStreamOptions { BufferSize = 1 << 16, Options = FileOptions.SequentialScan });
        await using var csv = await CsvDataReader.CreateAsync(text, new CsvDataReaderOptions
        {
            Delimiter = delimiter, HasHeaders = false, BufferSize = 1 << 16, MaxBufferSize = 1 << 24, ResultSetMode = ResultSetMode.SingleResult,
        }, ct);
        var row = 0;
        while (await csv.ReadAsync(ct))
        {
            row++;
            if (row > 1 && row - 1 <= skip) continue;
            if (row == 1 && skip > 0) continue;
            var values = new string?[Math.Min(csv.RowFieldCount, MaxColumns)];
            for (var i = 0; i < values.Length; i++) values[i] = csv.GetString(i);
            yield return (row, values);
        }
    }

    private static async IAsyncEnumerable<(int, string?[])> XlsxRows(string path, int skip, [EnumeratorCancellation] CancellationToken ct)
    {
        await Task.Yield();
        var row = 0;
        foreach (IDictionary<string, object?> cells in MiniExcel.Query(path, useHeaderRow: false, excelType: ExcelType.XLSX))
        {
            ct.ThrowIfCancellationRequested();
            row++;
            if (row == 1 && skip > 0) continue;
            if (row > 1 && row - 1 <= skip) continue;
            yield return (row, cells.Values.Take(MaxColumns).Select(Cell).ToArray());
        }
    }

    /// <summary>A spreadsheet cell as text: dates as ISO dates (with the time when there is one), numbers invariant.</summary>
    private static string? Cell(object? value) => value switch
    {
        null => null,
        DateTime d => d.TimeOfDay == TimeSpan.Zero ? d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : d.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture),
        double x => x.ToString("R", CultureInfo.InvariantCulture),
        decimal m => m.ToString(CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    /// <summary>The byte-order mark's encoding; else UTF-8 if the first 64 KiB are valid UTF-8; else Windows-1252.</summary>
    public static Encoding DetectEncoding(string path)
    {
        using var file = File.OpenRead(path);
        var head = new byte[1 << 16];
        var n = file.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        if (n >= 3 && head[0] == 0xEF && head[1] == 0xBB && head[2] == 0xBF) return new UTF8Encoding(false);
        if (n >= 2 && head[0] == 0xFF && head[1] == 0xFE) return Encoding.Unicode;
        if (n >= 2 && head[0] == 0xFE && head[1] == 0xFF) return Encoding.BigEndianUnicode;
        // A character cut at the end of the sample is not an error: leave its last bytes out.
        var end = n;
        for (var i = Math.Max(0, n - 3); i < n; i++) if (head[i] >= 0xC0) end = i;
        try
        {
            new UTF8Encoding(false, throwOnInvalidBytes: true).GetCharCount(head, 0, end);
            return new UTF8Encoding(false);
        }
        catch (DecoderFallbackException)
        {
            return Encoding.GetEncoding(1252);
        }
    }

    /// <summary>The delimiter the header line uses most, outside quotes: semicolon, comma, tab or bar (comma when none).</summary>
    public static char DetectDelimiter(string path, Encoding encoding)
    {
        using var reader = new StreamReader(path, encoding, detectEncodingFromByteOrderMarks: true);
        var counts = new Dictionary<char, int> { [';'] = 0, [','] = 0, ['\t'] = 0, ['|'] = 0 };
        var quoted = false;
        int c;
        var read = 0;
        while ((c = reader.Read()) >= 0 && read++ < 65536)
        {
            if (c == '"') quoted = !quoted;
            else if (!quoted && c is '\n' or '\r') break;
            else if (!quoted && counts.ContainsKey((char)c)) counts[(char)c]++;
        }
        var best = counts.OrderByDescending(k => k.Value).First();
        return best.Value == 0 ? ',' : best.Key;
    }

    /// <summary>"de" when the file uses semicolons (as German spreadsheets write CSV), else "en"; spreadsheets' numbers are typed anyway.</summary>
    public static string SuggestNumberFormat(string path, string format) =>
        format == "csv" && DetectDelimiter(path, DetectEncoding(path)) == ';' ? "de" : "en";
}

/// <summary>Reads cells in the formats people type: numbers in German or English style, dates as ISO, German or compact (yyyyMMdd).</summary>
public static class CellValues
{
    private static readonly string[] DateFormats = ["yyyy-MM-dd", "d.M.yyyy", "d.M.yy", "yyyyMMdd", "yyyy-MM-ddTHH:mm:ss", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm", "d.M.yyyy HH:mm", "d.M.yyyy H:mm"];

    public static decimal? Decimal(FieldErrors errors, string field, string? text, string numberFormat)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var t = text.Trim().Replace(" ", "", StringComparison.Ordinal).Replace("\u00a0", "", StringComparison.Ordinal).TrimEnd('€', '%').Trim();
        var culture = numberFormat == "de" ? CultureInfo.GetCultureInfo("de-DE") : CultureInfo.InvariantCulture;
        // A spreadsheet's typed number arrives invariant ("12.5") even in a German import.
        if (numberFormat == "de" && !t.Contains(',', StringComparison.Ordinal) && t.Count(ch => ch == '.') == 1 && t.Split('.')[1].Length != 3) culture = CultureInfo.InvariantCulture;
        if (decimal.TryParse(t, NumberStyles.Number, culture, out var d)) return d;
        errors.Add(field, Text.Get("Validation.Number"));
        return null;
    }

    public static int? Int(FieldErrors errors, string field, string? text, string numberFormat)
    {
        var d = Decimal(errors, field, text, numberFormat);
        if (d is null) return null;
        if (d != Math.Truncate(d.Value) || d is > int.MaxValue or < int.MinValue)
        {
            errors.Add(field, Text.Get("Validation.Number"));
            return null;
        }
        return (int)d.Value;
    }

    public static DateTimeOffset? Moment(FieldErrors errors, string field, string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var t = text.Trim();
        if (DateTimeOffset.TryParse(t, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var iso) && t.Contains('-', StringComparison.Ordinal))
            return iso;
        if (DateTime.TryParseExact(t, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var d))
            return new DateTimeOffset(d, TimeSpan.Zero);
        errors.Add(field, Text.Get("Validation.Date"));
        return null;
    }

    public static DateOnly? Date(FieldErrors errors, string field, string? text) =>
        Moment(errors, field, text) is { } m ? DateOnly.FromDateTime(m.UtcDateTime) : null;

    public static bool? Bool(FieldErrors errors, string field, string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        switch (text.Trim().ToLowerInvariant())
        {
            case "1" or "true" or "yes" or "y" or "ja" or "j" or "x" or "wahr": return true;
            case "0" or "false" or "no" or "n" or "nein" or "falsch" or "-": return false;
            default:
                errors.Add(field, Text.Get("Validation.Choice"));
                return null;
        }
    }

    /// <summary>An enum value by its name or one of the given words (German and English), case-insensitive.</summary>
    public static T? Choice<T>(FieldErrors errors, string field, string? text, IReadOnlyDictionary<string, T>? words = null) where T : struct, Enum
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var t = text.Trim();
        if (words is not null && words.TryGetValue(t.ToLowerInvariant(), out var w)) return w;
        if (Enum.TryParse<T>(t, ignoreCase: true, out var v) && Enum.IsDefined(v) && !int.TryParse(t, out _)) return v;
        errors.Add(field, Text.Get("Validation.Choice"));
        return null;
    }

    public static List<string> List(string? text) =>
        string.IsNullOrWhiteSpace(text) ? [] : [.. text.Split([',', ';', '|'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
}
