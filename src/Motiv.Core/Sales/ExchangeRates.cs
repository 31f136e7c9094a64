using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Motiv.Core.Access;
using Motiv.Core.Common;
using Motiv.Core.Data;

namespace Motiv.Core.Sales;

/// <summary>How much one unit of <see cref="Currency"/> was worth in the base currency on <see cref="Date"/>.</summary>
public sealed class ExchangeRate
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public string Currency { get; set; } = "";
    public DateOnly Date { get; set; }
    public decimal Rate { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

public sealed record ExchangeRateInput(string? Currency, DateOnly? Date, decimal? Rate);

public sealed record ExchangeRateDto(Guid Id, string Currency, DateOnly Date, decimal Rate);

/// <summary>An amount converted to the base currency, saying at which rate of which day.</summary>
public sealed record Converted(Money Original, Money Base, decimal Rate, DateOnly RateDate);

/// <summary>
/// Exchange rates per day and the one conversion rule: an amount converts at the latest rate on or before
/// the relevant date; without such a rate the conversion is refused, never guessed.
/// </summary>
public sealed class ExchangeRateService(IDbContextFactory<MotivDbContext> dbFactory, ICurrentUser currentUser, IOptions<SalesOptions> options, TimeProvider clock)
{
    public string BaseCurrency => options.Value.BaseCurrency;

    public async Task<IReadOnlyList<ExchangeRateDto>> ListAsync(string? currency, CancellationToken ct = default)
    {
        if (!currentUser.Scope.IsAuthenticated) throw new AccessDeniedException(Text.Get("Access.SignIn"));
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var q = db.ExchangeRates.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(currency)) q = q.Where(r => r.Currency == currency.Trim().ToUpperInvariant());
        return await q.OrderBy(r => r.Currency).ThenByDescending(r => r.Date).Take(1000)
            .Select(r => new ExchangeRateDto(r.Id, r.Currency, r.Date, r.Rate)).ToListAsync(ct);
    }

    /// <summary>Stores (or replaces) the rate of a currency on a day. Administrators only.</summary>
    public async Task<ExchangeRateDto> SetAsync(ExchangeRateInput input, CancellationToken ct = default)
    {
        if (!currentUser.Scope.CanAdminister) throw new AccessDeniedException(Text.Get("Access.AdministratorsOnly"));
        var errors = new FieldErrors();
        var currency = input.Currency?.Trim().ToUpperInvariant();
        if (!Money.IsKnownCurrency(currency)) errors.Add("currency", Text.Get("Validation.Currency"));
        else if (currency == BaseCurrency) errors.Add("currency", Text.Get("Validation.BaseCurrency", BaseCurrency));
        if (input.Date is null) errors.Add("date", Text.Get("Validation.Required"));
        if (input.Rate is not { } rate || rate <= 0) errors.Add("rate", Text.Get("Validation.Positive"));
        errors.ThrowIfAny();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await db.ExchangeRates.FirstOrDefaultAsync(r => r.Currency == currency && r.Date == input.Date, ct)
            ?? db.ExchangeRates.Add(new ExchangeRate { Currency = currency!, Date = input.Date!.Value, CreatedAt = clock.GetUtcNow() }).Entity;
        row.Rate = input.Rate!.Value;
        await db.SaveChangesAsync(ct);
        return new ExchangeRateDto(row.Id, row.Currency, row.Date, row.Rate);
    }

    /// <summary>
    /// Imports rates from CSV with the columns currency, date (yyyy-MM-dd) and rate, separated by comma or semicolon, with an
    /// optional header line; a decimal comma is accepted with semicolons. All or nothing: any bad line refuses the whole file,
    /// naming the line. Administrators only.
    /// </summary>
    public async Task<int> ImportCsvAsync(TextReader csv, CancellationToken ct = default)
    {
        if (!currentUser.Scope.CanAdminister) throw new AccessDeniedException(Text.Get("Access.AdministratorsOnly"));
        var errors = new FieldErrors();
        var rows = new Dictionary<(string, DateOnly), decimal>();
        var number = 0;
        while (await csv.ReadLineAsync(ct) is { } line)
        {
            number++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            if (number > 100_000) { errors.Add("file", Text.Get("Validation.MaxEntries", 100_000)); break; }
            var separator = line.Contains(';') ? ';' : ',';
            var cells = line.Split(separator).Select(c => c.Trim().Trim('"')).ToArray();
            if (number == 1 && cells.Length > 0 && cells[0].Equals("currency", StringComparison.OrdinalIgnoreCase)) continue;
            var currency = cells.ElementAtOrDefault(0)?.ToUpperInvariant();
            var culture = separator == ';' ? CultureInfo.GetCultureInfo("de-DE") : CultureInfo.InvariantCulture;
            if (cells.Length != 3 || !Money.IsKnownCurrency(currency) || currency == BaseCurrency
                || !DateOnly.TryParseExact(cells[1], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
                || !decimal.TryParse(cells[2], NumberStyles.Number, culture, out var rate) || rate <= 0)
            {
                errors.Add($"line {number}", Text.Get("Validation.RateLine", number));
                continue;
            }
            rows[(currency!, date)] = rate;
        }
        if (rows.Count == 0 && !errors.Any) errors.Add("file", Text.Get("Validation.Required"));
        errors.ThrowIfAny();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var currencies = rows.Keys.Select(k => k.Item1).Distinct().ToList();
        var existing = await db.ExchangeRates.Where(r => currencies.Contains(r.Currency)).ToListAsync(ct);
        foreach (var ((currency, date), rate) in rows)
        {
            var row = existing.FirstOrDefault(r => r.Currency == currency && r.Date == date)
                ?? db.ExchangeRates.Add(new ExchangeRate { Currency = currency, Date = date, CreatedAt = clock.GetUtcNow() }).Entity;
            row.Rate = rate;
        }
        await db.SaveChangesAsync(ct);
        return rows.Count;
    }

    /// <summary>The amount in the base currency at the rate of <paramref name="date"/> (or the latest before it).</summary>
    public async Task<Converted> ToBaseAsync(Money amount, DateOnly date, CancellationToken ct = default)
    {
        if (amount.Currency == BaseCurrency) return new Converted(amount, amount, 1m, date);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rate = await db.ExchangeRates.AsNoTracking().Where(r => r.Currency == amount.Currency && r.Date <= date)
            .OrderByDescending(r => r.Date).FirstOrDefaultAsync(ct)
            ?? throw ValidationException.For("currency", Text.Get("Validation.NoRate", amount.Currency, date.ToString("d", CultureInfo.CurrentCulture)));
        return Convert(amount, rate.Rate, rate.Date, BaseCurrency);
    }

    /// <summary>The pure rule: multiply, round commercially in the base currency.</summary>
    public static Converted Convert(Money amount, decimal rate, DateOnly rateDate, string baseCurrency) =>
        new(amount, new Money(Money.Round(amount.Amount * rate, baseCurrency), baseCurrency), rate, rateDate);
}
