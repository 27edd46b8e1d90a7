namespace LabNet.Benchmarks.CanaryQuality;

/// <summary>
/// Latency of one version: log-normal (median, sigma) plus a constant shift, as probabilities of histogram buckets.
/// The default (median 20 ms, sigma 0.6) has a p99 of about 81 ms.
/// </summary>
public sealed record LatencyModel(double MedianMs = 20, double Sigma = 0.6, double ShiftMs = 0)
{
    /// <summary>Bucket upper bounds in milliseconds, finer than Prometheus' defaults around typical p99s.</summary>
    public static IReadOnlyList<double> BucketBoundsMs { get; } =
        [1, 2, 5, 10, 15, 20, 25, 30, 40, 50, 60, 75, 100, 125, 150, 200, 250, 300, 350, 400, 500, 750, 1000, 1500, 2000, 5000, 10000];

    public double[] BucketProbabilities()
    {
        var probabilities = new double[BucketBoundsMs.Count + 1];
        var previous = 0.0;
        for (var i = 0; i < BucketBoundsMs.Count; i++)
        {
            var cdf = Cdf(BucketBoundsMs[i]);
            probabilities[i] = Math.Max(cdf - previous, 0);
            previous = cdf;
        }

        probabilities[^1] = Math.Max(1 - previous, 0);
        return probabilities;
    }

    /// <summary>The model's exact p99, for reports.</summary>
    public double P99Ms => ShiftMs + (MedianMs * Math.Exp(Sigma * 2.326347874));

    private double Cdf(double ms)
    {
        var x = ms - ShiftMs;
        return x <= 0 ? 0 : NormalCdf(Math.Log(x / MedianMs) / Sigma);
    }

    private static double NormalCdf(double z) => 0.5 * Erfc(-z / Math.Sqrt(2));

    /// <summary>Complementary error function (Numerical Recipes' Chebyshev fit, relative error below 1.2e-7).</summary>
    private static double Erfc(double x)
    {
        var z = Math.Abs(x);
        var t = 1 / (1 + (0.5 * z));
        double[] coefficients = [-1.26551223, 1.00002368, 0.37409196, 0.09678418, -0.18628806, 0.27886807, -1.13520398, 1.48851587, -0.82215223, 0.17087277];
        var poly = 0.0;
        for (var i = coefficients.Length - 1; i >= 1; i--)
        {
            poly = (poly + coefficients[i]) * t;
        }

        var r = t * Math.Exp(-(z * z) + coefficients[0] + poly);
        return x >= 0 ? r : 2 - r;
    }
}
