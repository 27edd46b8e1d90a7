using BenchmarkDotNet.Attributes;
using LabNet.Simulator.Hubble.Relay;
using LabNet.Simulator.Traffic;
using LabNet.Simulator.Workloads;

namespace LabNet.Benchmarks.Hubble;

/// <summary>
/// Simulated requests per second on one core: one generator step of 20,000 connections in the demo's mix (half of them
/// HTTP through the L7 proxy), each judged by Cilium and turned into Hubble flows in the node ring. Target: 20,000/s.
/// </summary>
[MemoryDiagnoser]
public class TrafficGeneratorBenchmarks
{
    private const int ConnectionsPerStep = 20_000;
    private static readonly DateTimeOffset Start = new(2026, 11, 26, 8, 0, 0, TimeSpan.Zero);

    private TrafficGenerator _generator = null!;
    private TrafficTopology _topology = null!;
    private DateTimeOffset _now = Start;

    [GlobalSetup]
    public void Setup()
    {
        var settings = new TrafficSettingsStore(new TrafficSettings
        {
            Rates = new Dictionary<string, double>
            {
                [TrafficScenarios.NginxToHttpbin] = 10_000,
                [TrafficScenarios.ExternalToNginx] = 5_000,
                [TrafficScenarios.NginxToRedis] = 3_000,
                [TrafficScenarios.KeycloakToPostgres] = 1_000,
                [TrafficScenarios.Dns] = 1_000,
            },
        });
        var hubble = new HubbleClusterFlows("dev", 4095, Start, 1, ["dev-master", "dev-worker1"]);
        _generator = new TrafficGenerator("dev", DemoTrafficSetup.PolicyEngine(), hubble, settings, new UniformServiceRouter(), 20261126);
        _topology = DemoTrafficSetup.Topology();
    }

    [Benchmark(OperationsPerInvoke = ConnectionsPerStep)]
    public int GenerateOneSecondOfDemoTraffic()
    {
        _now += TimeSpan.FromSeconds(1);
        return _generator.Step(_topology, _now, TimeSpan.FromSeconds(1));
    }
}
