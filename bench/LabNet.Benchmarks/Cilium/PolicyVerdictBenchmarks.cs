using System.Net;
using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using LabNet.Simulator.Cilium.Engine;
using LabNet.Simulator.Cilium.Identity;
using LabNet.Simulator.Cilium.Policy;

namespace LabNet.Benchmarks.Cilium;

/// <summary>
/// Policy verdicts per second with 10, 1,000 and 10,000 rules over the same 400 pods (20 namespaces x 20 apps) and a
/// realistic mix of rules (L3, L3/L4, L4-only, L7 HTTP, entities, CIDR, deny). The verdict must cost the same however
/// many rules there are (the seed's eBPF-hash-map claim): compare the ratio of the three means. A clusterwide baseline
/// policy puts every pod under enforcement at every size, so the comparison is between equally enforced endpoints.
/// </summary>
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
public class PolicyVerdictBenchmarks
{
    private const int Namespaces = 20;
    private const int AppsPerNamespace = 20;
    private const int Queries = 4096;

    private static readonly int[] Ports = [80, 443, 5432, 6379, 8080, 9090];

    private CiliumPolicyEngine _engine = null!;
    private (SecurityIdentity Source, SecurityIdentity Destination, IpProtocol Protocol, int Port)[] _queries = [];

    [Params(10, 1_000, 10_000)]
    public int Rules { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _engine = new CiliumPolicyEngine(new CiliumPolicyEngineOptions { ClusterName = "bench" });
        var random = new Random(20261126);

        var pods = new List<SecurityIdentity>();
        for (var ns = 0; ns < Namespaces; ns++)
        {
            for (var app = 0; app < AppsPerNamespace; app++)
            {
                var labels = new Dictionary<string, string> { ["app"] = $"svc-{app}", ["tier"] = app % 3 == 0 ? "frontend" : "backend", ["version"] = $"v{app % 2 + 1}" };
                pods.Add(_engine.IdentityOf(new PodEndpoint($"ns-{ns}", $"svc-{app}-0", labels)));
            }
        }

        // Rule 0 is a clusterwide baseline (default deny both ways; ingress from frontend pods, egress DNS), as real
        // clusters have: every pod is enforced at every rule count, so only the number of rules varies.
        _engine.ApplyAll([Baseline(), .. Enumerable.Range(1, Rules - 1).Select(i => GeneratePolicy(i, random))]);

        var world = Enumerable.Range(0, 16)
            .Select(i => _engine.IdentityOf(new WorldEndpoint(IPAddress.Parse($"203.0.{i}.{i + 1}"))))
            .ToArray();

        _queries = new (SecurityIdentity, SecurityIdentity, IpProtocol, int)[Queries];
        for (var i = 0; i < Queries; i++)
        {
            var source = i % 8 == 0 ? world[random.Next(world.Length)] : pods[random.Next(pods.Count)];
            var destination = i % 16 == 1 ? world[random.Next(world.Length)] : pods[random.Next(pods.Count)];
            var protocol = i % 10 == 0 ? IpProtocol.Udp : IpProtocol.Tcp;
            _queries[i] = (source, destination, protocol, Ports[random.Next(Ports.Length)]);
        }

        // Compile every identity's tables before measuring: the steady state is what the datapath sees.
        Verdicts();
    }

    [Benchmark(OperationsPerInvoke = Queries)]
    public int Verdicts()
    {
        var forwarded = 0;
        foreach (var (source, destination, protocol, port) in _queries)
        {
            if (_engine.Decide(source, destination, protocol, port).IsForwarded)
            {
                forwarded++;
            }
        }

        return forwarded;
    }

    private static JsonObject GeneratePolicy(int index, Random random)
    {
        var ns = $"ns-{random.Next(Namespaces)}";
        var subject = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = $"svc-{random.Next(AppsPerNamespace)}" } };
        var port = Ports[random.Next(Ports.Length)].ToString(System.Globalization.CultureInfo.InvariantCulture);
        var peer = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = $"svc-{random.Next(AppsPerNamespace)}" } };
        var ports = new JsonArray(new JsonObject { ["ports"] = new JsonArray(new JsonObject { ["port"] = port, ["protocol"] = "TCP" }) });

        JsonObject spec = (index % 10) switch
        {
            // L3/L4 from a peer app in the same namespace.
            0 or 1 or 2 => Ingress(subject, new JsonObject { ["fromEndpoints"] = new JsonArray(peer), ["toPorts"] = ports }),
            // L3/L4 with L7 HTTP GET on a path.
            3 => Ingress(subject, new JsonObject
            {
                ["fromEndpoints"] = new JsonArray(peer),
                ["toPorts"] = new JsonArray(new JsonObject
                {
                    ["ports"] = new JsonArray(new JsonObject { ["port"] = port, ["protocol"] = "TCP" }),
                    ["rules"] = new JsonObject { ["http"] = new JsonArray(new JsonObject { ["method"] = "GET", ["path"] = "/api/.*" }) },
                }),
            }),
            // Cross-namespace peer by tier.
            4 => Ingress(subject, new JsonObject
            {
                ["fromEndpoints"] = new JsonArray(new JsonObject
                {
                    ["matchLabels"] = new JsonObject { ["io.kubernetes.pod.namespace"] = $"ns-{random.Next(Namespaces)}", ["tier"] = "frontend" },
                }),
            }),
            // L4-only.
            5 => Ingress(subject, new JsonObject { ["toPorts"] = ports }),
            // Entities.
            6 => Ingress(subject, new JsonObject { ["fromEntities"] = new JsonArray("world", "cluster"), ["toPorts"] = ports }),
            // Egress to a CIDR set (one of a few dozen prefixes, as real policies share them).
            7 => CidrEgress(subject, random.Next(16)),
            // Egress to peers with matchExpressions.
            8 => Egress(subject, new JsonObject
            {
                ["toEndpoints"] = new JsonArray(new JsonObject
                {
                    ["matchExpressions"] = new JsonArray(new JsonObject { ["key"] = "version", ["operator"] = "In", ["values"] = new JsonArray("v1") }),
                }),
                ["toPorts"] = ports,
            }),
            // Deny.
            _ => new JsonObject
            {
                ["endpointSelector"] = subject,
                ["ingressDeny"] = new JsonArray(new JsonObject { ["fromEndpoints"] = new JsonArray(peer), ["toPorts"] = ports }),
            },
        };

        return new JsonObject
        {
            ["apiVersion"] = "cilium.io/v2",
            ["kind"] = "CiliumNetworkPolicy",
            ["metadata"] = new JsonObject { ["name"] = $"generated-{index}", ["namespace"] = ns },
            ["spec"] = spec,
        };
    }

    private static JsonObject Baseline() => new()
    {
        ["apiVersion"] = "cilium.io/v2",
        ["kind"] = "CiliumClusterwideNetworkPolicy",
        ["metadata"] = new JsonObject { ["name"] = "baseline" },
        ["spec"] = new JsonObject
        {
            ["endpointSelector"] = new JsonObject(),
            ["ingress"] = new JsonArray(new JsonObject
            {
                ["fromEndpoints"] = new JsonArray(new JsonObject
                {
                    ["matchLabels"] = new JsonObject { ["io.cilium.k8s.policy.serviceaccount"] = "default", ["tier"] = "frontend" },
                }),
            }),
            ["egress"] = new JsonArray(new JsonObject
            {
                ["toEndpoints"] = new JsonArray(new JsonObject
                {
                    ["matchLabels"] = new JsonObject { ["io.kubernetes.pod.namespace"] = "kube-system", ["k8s-app"] = "kube-dns" },
                }),
                ["toPorts"] = new JsonArray(new JsonObject { ["ports"] = new JsonArray(new JsonObject { ["port"] = "53", ["protocol"] = "ANY" }) }),
            }),
        },
    };

    private static JsonObject CidrEgress(JsonObject subject, int block) => Egress(subject, new JsonObject
    {
        ["toCIDRSet"] = new JsonArray(new JsonObject
        {
            ["cidr"] = $"203.0.{block}.0/24",
            ["except"] = new JsonArray($"203.0.{block}.128/25"),
        }),
    });

    private static JsonObject Ingress(JsonObject subject, JsonObject rule) =>
        new() { ["endpointSelector"] = subject, ["ingress"] = new JsonArray(rule) };

    private static JsonObject Egress(JsonObject subject, JsonObject rule) =>
        new() { ["endpointSelector"] = subject, ["egress"] = new JsonArray(rule) };
}
