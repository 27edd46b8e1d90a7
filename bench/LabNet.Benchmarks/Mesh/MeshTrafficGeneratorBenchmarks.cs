using BenchmarkDotNet.Attributes;
using LabNet.Benchmarks.Hubble;
using LabNet.Simulator.Hubble.Relay;
using LabNet.Simulator.Mesh;
using LabNet.Simulator.Tests.Cilium;
using LabNet.Simulator.Traffic;
using LabNet.Simulator.Workloads;

namespace LabNet.Benchmarks.Mesh;

/// <summary>
/// The generator's demo mix (as <see cref="TrafficGeneratorBenchmarks"/>) with every demo pod behind a sidecar and the
/// shipped Istio config, so the 10,000 HTTP requests per step take the mesh's path (VirtualService 80/20, subsets,
/// outlier detection, PeerAuthentication); the baseline is the same mix without the mesh.
/// </summary>
[MemoryDiagnoser]
public class MeshTrafficGeneratorBenchmarks
{
    private const int ConnectionsPerStep = 20_000;
    private static readonly DateTimeOffset Start = new(2026, 11, 26, 8, 0, 0, TimeSpan.Zero);

    private TrafficGenerator _plain = null!;
    private TrafficGenerator _mesh = null!;
    private TrafficTopology _topology = null!;
    private TrafficTopology _sidecarTopology = null!;
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
        _topology = DemoTrafficSetup.Topology();
        _sidecarTopology = _topology with
        {
            Pods = _topology.Pods.Select(p => p.Namespace == "demo" ? p with { HasSidecar = true, Image = p.Workload?.StartsWith("httpbin", StringComparison.Ordinal) == true ? "kong/httpbin:latest" : null } : p).ToArray(),
        };
        var istio = ShippedIstio();
        _plain = new TrafficGenerator("dev", DemoTrafficSetup.PolicyEngine(), new HubbleClusterFlows("dev", 4095, Start, 1, ["dev-master", "dev-worker1"]), settings, new UniformServiceRouter(), 20261126);
        var engine = DemoTrafficSetup.PolicyEngine();
        var hubble = new HubbleClusterFlows("dev", 4095, Start, 1, ["dev-master", "dev-worker1"]);
        _mesh = new TrafficGenerator("dev", engine, hubble, settings, new UniformServiceRouter(), 20261126,
            new ClusterDataPlane("dev", () => istio, engine, hubble, settings, new ClientSidecars()));
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = ConnectionsPerStep)]
    public int WithoutMesh()
    {
        _now += TimeSpan.FromSeconds(1);
        return _plain.Step(_topology, _now, TimeSpan.FromSeconds(1));
    }

    [Benchmark(OperationsPerInvoke = ConnectionsPerStep)]
    public int ThroughTheMesh()
    {
        _now += TimeSpan.FromSeconds(1);
        return _mesh.Step(_sidecarTopology, _now, TimeSpan.FromSeconds(1));
    }

    private static IstioConfigSnapshot ShippedIstio()
    {
        var errors = new List<string>();
        var directory = Path.Combine(FindRepositoryRoot(), "manifests", "istio");
        var objects = Directory.GetFiles(directory, "*.yaml").Order().SelectMany(f => YamlManifests.Parse(File.ReadAllText(f))).ToArray();
        string KindOf(System.Text.Json.Nodes.JsonObject o) => o["kind"]!.GetValue<string>();
        return new IstioConfigSnapshot(
            1,
            installed: true,
            IstioConfigSnapshot.DefaultRootNamespace,
            objects.Where(o => KindOf(o) == "VirtualService").Select(o => IstioConfigParser.VirtualService(o, errors)).ToArray(),
            objects.Where(o => KindOf(o) == "DestinationRule").Select(o => IstioConfigParser.DestinationRule(o, errors)).ToArray(),
            objects.Where(o => KindOf(o) == "PeerAuthentication").Select(o => IstioConfigParser.PeerAuthentication(o, errors)).ToArray(),
            [],
            errors);
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (Directory.Exists(Path.Combine(dir.FullName, "manifests", "istio")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("manifests/istio not found; run the benchmarks from the repository.");
    }
}
