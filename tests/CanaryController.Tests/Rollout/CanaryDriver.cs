using LabNet.Canary;
using LabNet.Benchmarks.CanaryQuality;
using LabNet.CanaryController.Analysis;
using LabNet.CanaryController.Mesh;
using LabNet.CanaryController.Resources;
using LabNet.CanaryController.Rollout;
using LabNet.Traffic;
using Microsoft.Extensions.Time.Testing;

namespace LabNet.CanaryController.Tests.Rollout;

/// <summary>
/// Drives a <see cref="CanaryStateMachine"/> the way the controller loop will: a fake clock, the seed's httpbin mesh whose
/// weighted route follows the weights written, and contiguous traffic windows since <c>status.observedUntil</c>, each
/// request with a latency in the version's histogram (<see cref="Latencies"/>).
/// </summary>
internal sealed class CanaryDriver
{
    public static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    public CanaryDriver(CanarySpec? spec = null, MeshSnapshot? mesh = null)
    {
        Spec = spec ?? Fixtures.FastSpec;
        Mesh = mesh ?? HttpbinMesh.Seed;
        Machine = new CanaryStateMachine(Clock);
    }

    public FakeTimeProvider Clock { get; } = new(Start);

    public CanaryStateMachine Machine { get; set; }

    public CanarySpec Spec { get; set; }

    public CanaryStatus Status { get; set; } = new();

    public MeshSnapshot Mesh { get; set; }

    /// <summary>When false, weight writes are "lost" (the VirtualService does not change).</summary>
    public bool WritesTakeEffect { get; set; } = true;

    public List<CanaryTickResult> History { get; } = [];

    public IEnumerable<CanaryAction> AllActions => History.SelectMany(result => result.Actions);

    public IEnumerable<RouteWeights> AllWeightWrites => AllActions.OfType<SetRouteWeights>().Select(write => write.Weights);

    public CanaryTickResult Tick(TrafficObservation? observation = null, CanaryCommand? command = null)
    {
        var result = Machine.Tick(new CanaryTickInput(Spec, Status, Mesh, observation, command));
        foreach (var write in result.Actions.OfType<SetRouteWeights>())
        {
            if (WritesTakeEffect)
            {
                Mesh = HttpbinMesh.WithCanaryWeight(write.Weights.CanaryWeight);
            }
        }

        Status = result.Status;
        History.Add(result);
        return result;
    }

    public CanaryTickResult Command(CanaryCommand command) => Tick(null, command);

    /// <summary>
    /// One window of traffic ending <paramref name="after"/> from now (default 5 s). Every request takes
    /// <see cref="TypicalLatencyMs"/>, except that a version given a p99 has 2% of its requests that slow.
    /// </summary>
    public CanaryTickResult Traffic(
        long stableRequests,
        long stableErrors,
        long canaryRequests,
        long canaryErrors,
        TimeSpan? after = null,
        double? stableP99Ms = null,
        double? canaryP99Ms = null,
        long canaryProbeRequests = 0)
    {
        var from = Status.ObservedUntil ?? Clock.GetUtcNow();
        Clock.Advance(after ?? TimeSpan.FromSeconds(5));
        return Tick(new TrafficWindow(
            from,
            Clock.GetUtcNow(),
            new VersionTraffic { Version = "v1", Requests = stableRequests, Status5xx = stableErrors, Latency = Latencies(stableRequests, stableP99Ms) },
            new VersionTraffic { Version = "v2", Requests = canaryRequests, Status5xx = canaryErrors, ProbeRequests = canaryProbeRequests, Latency = Latencies(canaryRequests, canaryP99Ms) }));
    }

    public const double TypicalLatencyMs = 20;

    /// <summary><paramref name="requests"/> latencies of <see cref="TypicalLatencyMs"/>, 2% of them <paramref name="p99Ms"/> when given (so the p99 falls in its bucket).</summary>
    public static LatencyHistogram Latencies(long requests, double? p99Ms = null)
    {
        var histogram = new LatencyHistogramBuilder();
        var slow = p99Ms is null ? 0 : (long)Math.Ceiling(requests * 0.02);
        for (var i = 0; i < requests; i++)
        {
            histogram.AddNanos((long)((i < slow ? p99Ms!.Value : TypicalLatencyMs) * 1e6));
        }

        return histogram.ToHistogram();
    }

    /// <summary>A healthy 5 s window of <paramref name="total"/> requests split by the current weight, no errors.</summary>
    public CanaryTickResult Healthy(long total = 250)
    {
        var canary = total * Status.CanaryWeight / 100;
        return Traffic(total - canary, 0, canary, 0);
    }

    public CanaryTickResult Unavailable(TimeSpan after, string reason = "connection refused")
    {
        Clock.Advance(after);
        return Tick(new MetricsUnavailable(reason));
    }

    /// <summary>Initialises and passes the header probe, leaving the canary at the first step (20).</summary>
    public void StartRamp()
    {
        Tick();
        Traffic(240, 0, 60, 0);
        Assert.Equal(CanaryPhase.Progressing, Status.Phase);
        Assert.Equal(20, Status.CanaryWeight);
    }
}
