namespace LabNet.Benchmarks.CanaryQuality;

/// <summary>
/// Latency of one version: log-normal (median, sigma) plus a constant shift, one request at a time. The default
/// (median 20 ms, sigma 0.6) has a p99 of about 81 ms.
/// </summary>
public sealed record LatencyModel(double MedianMs = 20, double Sigma = 0.6, double ShiftMs = 0)
{
    /// <summary>The model's exact p99, for reports.</summary>
    public double P99Ms => ShiftMs + (MedianMs * Math.Exp(Sigma * 2.326347874));

    /// <summary>One request's latency in nanoseconds (Box-Muller from two draws of <paramref name="random"/>).</summary>
    public long SampleNanos(Random random)
    {
        var u1 = 1 - random.NextDouble();
        var u2 = random.NextDouble();
        var gaussian = Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
        return (long)((ShiftMs + (MedianMs * Math.Exp(Sigma * gaussian))) * 1e6);
    }
}
