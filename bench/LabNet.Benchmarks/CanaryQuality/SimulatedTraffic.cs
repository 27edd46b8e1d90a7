extern alias FlowCollectorService;

using FlowCollectorService::LabNet.FlowCollector.Flows;
using FlowCollectorService::LabNet.FlowCollector.Metrics;
using FlowCollectorService::LabNet.FlowCollector.Traffic;

namespace LabNet.Benchmarks.CanaryQuality;

/// <summary>
/// A scenario's requests to httpbin, one second at a time, split between v1 and v2 by the weight in effect, each with
/// its status and latency drawn from the version's model, recorded as the server's Hubble response flow into the
/// FlowCollector's <see cref="TrafficRecorder"/> (which files it under the clock's current second).
/// </summary>
public sealed class SimulatedTraffic
{
    private readonly TrafficScenario scenario;
    private readonly TrafficRecorder recorder;
    private readonly Random random;
    private readonly List<(int EffectiveAtSecond, int CanaryWeight)> writes = [];
    private readonly FlowRecord stableFlow = Response("v1");
    private readonly FlowRecord canaryFlow = Response("v2");

    public SimulatedTraffic(TrafficScenario scenario, int seed, TrafficRecorder recorder)
    {
        this.scenario = scenario;
        this.recorder = recorder;
        random = new Random(seed);
    }

    /// <summary>First second in which the canary received weighted traffic.</summary>
    public int? FirstWeightedSecond { get; private set; }

    /// <summary>First second of the canary's fault (its bad behaviour starts then), once weighted traffic has started.</summary>
    public int? FaultSecond => FirstWeightedSecond + scenario.FaultStartsAfterSeconds;

    /// <summary>Records a weight write at <paramref name="second"/>; it takes effect after the routing delay.</summary>
    public void WriteWeight(int second, int canaryWeight) => writes.Add((second + scenario.RoutingDelaySeconds, canaryWeight));

    /// <summary>The requests of second <paramref name="second"/>, recorded now.</summary>
    public void SimulateSecond(int second)
    {
        var weight = EffectiveWeight(second) / 100.0;
        if (weight > 0 && FirstWeightedSecond is null)
        {
            FirstWeightedSecond = second;
        }

        var faulty = FaultSecond is { } fault && second >= fault;
        var requests = (int)Math.Round(scenario.RequestsPerSecond);
        for (var i = 0; i < requests; i++)
        {
            var toCanary = random.NextDouble() < weight;
            var (flow, errorRate, latency) = toCanary && faulty
                ? (canaryFlow, scenario.CanaryErrorRate, scenario.CanaryLatency)
                : (toCanary ? canaryFlow : stableFlow, scenario.StableErrorRate, scenario.StableLatency);
            flow.HttpCode = random.NextDouble() < errorRate ? 503 : 200;
            flow.LatencyNs = latency.SampleNanos(random);
            recorder.Record(flow);
        }
    }

    private int EffectiveWeight(int second)
    {
        var weight = 0;
        foreach (var (effectiveAt, canaryWeight) in writes)
        {
            if (effectiveAt <= second)
            {
                weight = canaryWeight;
            }
        }

        return weight;
    }

    /// <summary>An HTTP response of httpbin at <paramref name="version"/> to nginx-web, as the server's proxy reports it.</summary>
    private static FlowRecord Response(string version)
    {
        var flow = new FlowRecord
        {
            Verdict = HubbleLabels.VerdictForwarded,
            L7 = L7Protocol.HTTP,
            L7Type = HubbleLabels.L7Response,
            TrafficDirection = HubbleLabels.DirectionIngress,
            HttpMethod = "GET",
        };
        flow.Source.Namespace = HttpbinMesh.Namespace;
        flow.Source.App = "httpbin";
        flow.Source.Version = version;
        flow.Destination.Namespace = HttpbinMesh.Namespace;
        flow.Destination.App = "nginx-web";
        return flow;
    }
}
