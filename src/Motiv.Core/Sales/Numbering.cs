using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Motiv.Core.Data;

namespace Motiv.Core.Sales;

/// <summary>The last number given out per kind of document ("quote", "order") and year.</summary>
public sealed class NumberSequence
{
    public string Kind { get; set; } = "";
    public int Year { get; set; }
    public int Last { get; set; }
}

/// <summary>
/// Gapless document numbers per year. The counter is raised inside the caller's transaction, which holds its row lock
/// (PostgreSQL) or the write lock (SQLite) until commit: concurrent creations wait for each other instead of sharing a
/// number, and a rolled-back creation gives its number back.
/// </summary>
public static partial class Numbering
{
    public static async Task<int> NextAsync(MotivDbContext db, string kind, int year, CancellationToken ct)
    {
        if (db.Database.CurrentTransaction is null) throw new InvalidOperationException("Numbers are taken inside the transaction that stores the document.");
        var connection = db.Database.GetDbConnection();
        await using var insert = connection.CreateCommand();
        insert.Transaction = db.Database.CurrentTransaction.GetDbTransaction();
        insert.CommandText = "INSERT INTO number_sequences (\"Kind\", \"Year\", \"Last\") VALUES (@kind, @year, 0) ON CONFLICT DO NOTHING";
        AddParameters(insert, kind, year);
        await insert.ExecuteNonQueryAsync(ct);
        await using var next = connection.CreateCommand();
        next.Transaction = insert.Transaction;
        next.CommandText = "UPDATE number_sequences SET \"Last\" = \"Last\" + 1 WHERE \"Kind\" = @kind AND \"Year\" = @year RETURNING \"Last\"";
        AddParameters(next, kind, year);
        return Convert.ToInt32(await next.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);
    }

    private static void AddParameters(System.Data.Common.DbCommand command, string kind, int year)
    {
        var k = command.CreateParameter();
        k.ParameterName = "@kind";
        k.Value = kind;
        command.Parameters.Add(k);
        var y = command.CreateParameter();
        y.ParameterName = "@year";
        y.Value = year;
        command.Parameters.Add(y);
    }

    /// <summary>Formats a number by a pattern such as "AN-{year}-{number:0000}".</summary>
    public static string Format(string pattern, int year, int number) =>
        Placeholder().Replace(pattern, m => m.Groups[1].Value == "year"
            ? year.ToString(CultureInfo.InvariantCulture)
            : number.ToString(m.Groups[2].Success ? m.Groups[2].Value : "0", CultureInfo.InvariantCulture));

    public static bool IsValidPattern(string pattern) => pattern.Contains("{number", StringComparison.Ordinal) && pattern.Length <= 40;

    [GeneratedRegex(@"\{(year|number)(?::(0+))?\}")]
    private static partial Regex Placeholder();
}
