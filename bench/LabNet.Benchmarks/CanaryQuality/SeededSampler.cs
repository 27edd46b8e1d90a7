namespace LabNet.Benchmarks.CanaryQuality;

/// <summary>
/// Binomial and multinomial draws from one seeded <see cref="Random"/>, so a run is reproducible from its seed.
/// Traffic is simulated as counts per second (not individual requests): a second's errors are one binomial draw.
/// </summary>
public sealed class SeededSampler(int seed)
{
    private readonly Random random = new(seed);

    public long Binomial(long n, double p)
    {
        if (n <= 0 || p <= 0)
        {
            return 0;
        }

        if (p >= 1)
        {
            return n;
        }

        if (p > 0.5)
        {
            return n - Binomial(n, 1 - p);
        }

        if (n * p > 40)
        {
            // Normal approximation where the exact inversion would underflow; fine for counts this large.
            var draw = (n * p) + (Math.Sqrt(n * p * (1 - p)) * StandardNormal());
            return Math.Clamp((long)Math.Round(draw), 0, n);
        }

        // Inversion: walk the pmf from 0 (expected n*p steps).
        var u = random.NextDouble();
        var pmf = Math.Pow(1 - p, n);
        var cdf = pmf;
        long k = 0;
        var odds = p / (1 - p);
        while (u > cdf && k < n)
        {
            pmf *= odds * (n - k) / (k + 1);
            k++;
            cdf += pmf;
        }

        return k;
    }

    /// <summary>Splits <paramref name="n"/> over buckets with the given probabilities (conditional binomials), adding to <paramref name="counts"/>.</summary>
    public void AddMultinomial(long n, IReadOnlyList<double> probabilities, long[] counts)
    {
        var left = n;
        var mass = 1.0;
        for (var i = 0; i < probabilities.Count - 1 && left > 0; i++)
        {
            var p = mass <= 0 ? 0 : Math.Clamp(probabilities[i] / mass, 0, 1);
            var drawn = Binomial(left, p);
            counts[i] += drawn;
            left -= drawn;
            mass -= probabilities[i];
        }

        counts[^1] += left;
    }

    private double StandardNormal()
    {
        // Box-Muller.
        var u1 = 1 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
