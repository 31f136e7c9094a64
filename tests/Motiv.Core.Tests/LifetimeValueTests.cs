using MathNet.Numerics.Distributions;
using Motiv.Core.Analytics;

namespace Motiv.Core.Tests;

public sealed class LifetimeValueTests
{
    /// <summary>Published by Fader, Hardie and Lee (2005) for the CDNOW sample (calibration 39 weeks).</summary>
    private static readonly BgNbdParameters Cdnow = new(0.243, 4.414, 0.793, 2.426, double.NaN);

    [Fact]
    public void Same_day_purchases_count_once_and_spend_is_the_mean_of_the_repeat_days()
    {
        var id = Guid.CreateVersion7();
        var purchases = new[]
        {
            new Purchase(id, new DateOnly(2026, 1, 1), 10m), new Purchase(id, new DateOnly(2026, 1, 1), 5m),
            new Purchase(id, new DateOnly(2026, 1, 15), 20m), new Purchase(id, new DateOnly(2026, 1, 15), 20m), new Purchase(id, new DateOnly(2026, 1, 29), 30m),
            new Purchase(id, new DateOnly(2026, 3, 1), 99m),
        };
        var h = Assert.Single(CustomerHistories.Summarise(purchases, new DateOnly(2026, 2, 12), 7));
        Assert.Equal(2, h.Frequency);
        Assert.Equal(4, h.Recency, 9);
        Assert.Equal(6, h.Age, 9);
        Assert.Equal(35, h.MonetaryValue, 9);
        Assert.Equal(85m, h.Total);
    }

    [Fact]
    public void The_hypergeometric_series_matches_its_closed_form() =>
        Assert.Equal(-Math.Log(1 - 0.6) / 0.6, BgNbd.Hypergeometric2F1(1, 1, 2, 0.6), 12);

    [Fact]
    public void Expected_purchases_and_alive_reproduce_the_published_check_values()
    {
        // The paper's example: x = 2, t_x = 30.43, T = 38.86 → 1.226 purchases in the next 39 weeks.
        Assert.Equal(1.226, BgNbd.ExpectedPurchases(Cdnow, 2, 30.43, 38.86, 39), 3);
        Assert.Equal(1, BgNbd.ProbabilityAlive(Cdnow, 0, 0, 38.86));
        // Someone who bought often and then fell silent is less likely alive than someone who bought just now.
        Assert.True(BgNbd.ProbabilityAlive(Cdnow, 6, 10, 38) < BgNbd.ProbabilityAlive(Cdnow, 6, 37, 38));
        var manual = 1 / (1 + 0.793 / (2.426 + 2 - 1) * Math.Pow((4.414 + 38.86) / (4.414 + 30.43), 0.243 + 2));
        Assert.Equal(manual, BgNbd.ProbabilityAlive(Cdnow, 2, 30.43, 38.86), 12);
    }

    [Fact]
    public void Bg_nbd_recovers_the_parameters_of_simulated_customers()
    {
        var truth = new BgNbdParameters(0.5, 6, 0.8, 2.5, double.NaN);
        var random = new Random(20261127);
        var customers = new List<CustomerHistory>();
        for (var i = 0; i < 6000; i++)
        {
            var rate = Gamma.Sample(random, truth.R, truth.Alpha);
            var dropout = Beta.Sample(random, truth.A, truth.B);
            var age = 20 + random.NextDouble() * 32;
            double time = 0, last = 0;
            var x = 0;
            while (true)
            {
                time += Exponential.Sample(random, rate);
                if (time > age) break;
                x++;
                last = time;
                if (random.NextDouble() < dropout) break;
            }
            customers.Add(new CustomerHistory(Guid.Empty, x, last, age, 0, default, default, 0));
        }
        var fit = BgNbd.Fit(customers);
        // The fit's own (grouped) sum is the likelihood of every customer added up.
        var each = BgNbd.LogLikelihood(fit, customers);
        Assert.Equal(each, fit.LogLikelihood, Math.Abs(each) * 1e-9);
        // The maximum is at least as likely as the truth, and the estimates are close to it.
        Assert.True(fit.LogLikelihood >= BgNbd.LogLikelihood(truth, customers) - 1e-6);
        Assert.InRange(fit.R / fit.Alpha, truth.R / truth.Alpha * 0.9, truth.R / truth.Alpha * 1.1);
        Assert.InRange(fit.R, truth.R * 0.75, truth.R * 1.25);
        Assert.InRange(fit.A / (fit.A + fit.B), 0.8 * truth.A / (truth.A + truth.B), 1.2 * truth.A / (truth.A + truth.B));
    }

    [Fact]
    public void Gamma_gamma_recovers_the_parameters_of_simulated_spend_and_shrinks_towards_the_mean()
    {
        var truth = new GammaGammaParameters(6, 4, 15, double.NaN);
        var random = new Random(1127);
        var customers = new List<CustomerHistory>();
        for (var i = 0; i < 4000; i++)
        {
            var scale = Gamma.Sample(random, truth.Q, truth.V);
            var x = 1 + random.Next(8);
            var mean = Enumerable.Range(0, x).Average(_ => Gamma.Sample(random, truth.P, scale));
            customers.Add(new CustomerHistory(Guid.Empty, x, 1, 2, mean, default, default, 0));
        }
        var fit = GammaGamma.Fit(customers);
        var each = customers.Sum(c => GammaGamma.LogLikelihood(fit.P, fit.Q, fit.V, c.Frequency, c.MonetaryValue));
        Assert.Equal(each, fit.LogLikelihood, Math.Abs(each) * 1e-9);
        Assert.True(fit.LogLikelihood >= customers.Sum(c => GammaGamma.LogLikelihood(truth.P, truth.Q, truth.V, c.Frequency, c.MonetaryValue)) - 1e-6);
        var populationMean = truth.P * truth.V / (truth.Q - 1);
        Assert.InRange(fit.P * fit.V / (fit.Q - 1), populationMean * 0.9, populationMean * 1.1);
        // One purchase of 100 says less than ten: the expectation stays nearer the population mean.
        Assert.True(GammaGamma.ExpectedSpend(fit, 1, 100) < GammaGamma.ExpectedSpend(fit, 10, 100));
        Assert.InRange(GammaGamma.ExpectedSpend(fit, 1, 100), populationMean, 100);
    }
}
