namespace LabNet.Simulator.Workloads;

/// <summary>
/// How one version of a service answers: the share of requests that fail with 503, and a log-normal latency given by
/// its median and 99th percentile.
/// </summary>
public sealed record VersionBehaviour(double ErrorRate, double LatencyMedianMs, double LatencyP99Ms)
{
    // z of the 99th percentile of the standard normal distribution.
    private const double Z99 = 2.326347874;

    [System.Text.Json.Serialization.JsonIgnore]
    public double Sigma => Math.Log(LatencyP99Ms / LatencyMedianMs) / Z99;

    /// <summary>One service time from the log-normal distribution (Box-Muller from two draws of <paramref name="random"/>).</summary>
    public TimeSpan SampleLatency(Random random)
    {
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        var gaussian = Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
        return TimeSpan.FromMilliseconds(LatencyMedianMs * Math.Exp(Sigma * gaussian));
    }

    public IEnumerable<string> Validate()
    {
        if (!double.IsFinite(ErrorRate) || ErrorRate is < 0 or > 1)
        {
            yield return $"errorRate: {ErrorRate} is not a share; use 0 to 1.";
        }

        if (!double.IsFinite(LatencyMedianMs) || LatencyMedianMs <= 0 || LatencyMedianMs > 600_000)
        {
            yield return $"latencyMedianMs: {LatencyMedianMs} must be above 0 and at most 600000.";
        }

        if (!double.IsFinite(LatencyP99Ms) || LatencyP99Ms < LatencyMedianMs || LatencyP99Ms > 600_000)
        {
            yield return $"latencyP99Ms: {LatencyP99Ms} must be at least latencyMedianMs ({LatencyMedianMs}) and at most 600000.";
        }
    }
}
