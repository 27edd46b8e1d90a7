using System.Net;
using System.Text.Json.Nodes;
using LabNet.Hubble.FlowApi;
using LabNet.Simulator.Cilium.Engine;
using LabNet.Simulator.Cilium.Policy;
using LabNet.Simulator.Hubble.Relay;
using LabNet.Simulator.Mesh;
using LabNet.Simulator.Tests.Cilium;
using LabNet.Simulator.Traffic;
using LabNet.Simulator.Workloads;

namespace LabNet.Simulator.Tests.Mesh;

/// <summary>
/// The demo on <c>dev</c> with Istio running: nginx-web (sidecar), httpbin v1 x2 and v2 x1 (sidecars), a bare curl pod
/// without sidecar; Istio config from a cluster API, Cilium policy from a manifest directory (or none), one data plane.
/// </summary>
internal sealed class MeshLab
{
    public const string ShippedIstio = "manifests/istio";
    public const string OriginalIstio = "manifests/original/istio";
    public static readonly DateTimeOffset Start = new(2026, 11, 26, 8, 0, 0, TimeSpan.Zero);

    public static readonly TrafficPod Nginx = Pod("nginx-web-7d4b9c8f6-abcde", "10.20.1.10", true, "nginx:alpine", ("app", "nginx-web"));
    public static readonly TrafficPod HttpbinV1a = Pod("httpbin-5f8d7b6c4-v1aaa", "10.20.1.20", true, "kong/httpbin:latest", ("app", "httpbin"), ("version", "v1"));
    public static readonly TrafficPod HttpbinV1b = Pod("httpbin-5f8d7b6c4-v1bbb", "10.20.1.22", true, "kong/httpbin:latest", ("app", "httpbin"), ("version", "v1"));
    public static readonly TrafficPod HttpbinV2 = Pod("httpbin-v2-6b7c8d9e0-v2bbb", "10.20.1.21", true, "kong/httpbin:latest", ("app", "httpbin"), ("version", "v2"));
    public static readonly TrafficPod BareCurl = Pod("test", "10.20.1.80", false, "curlimages/curl", ("run", "test"));
    public static readonly TrafficService Httpbin = new("demo", "httpbin", new Dictionary<string, string> { ["app"] = "httpbin" }, [80], IPAddress.Parse("10.97.12.7"), ["80"]);
    public static readonly TrafficService NginxWeb = new("demo", "nginx-web", new Dictionary<string, string> { ["app"] = "nginx-web" }, [80], IPAddress.Parse("10.97.30.80"), ["80"]);

    public MeshLab(string? policyDirectory, string? istioDirectory, bool istioRunning = true)
    {
        Policy = policyDirectory is null ? new CiliumPolicyEngine(new CiliumPolicyEngineOptions { ClusterName = "dev" }) : DemoLab.With(policyDirectory).Engine;
        if (istioRunning)
        {
            Api.Apply(new JsonObject
            {
                ["apiVersion"] = "apps/v1",
                ["kind"] = "Deployment",
                ["metadata"] = new JsonObject { ["namespace"] = "istio-system", ["name"] = "istiod" },
                ["status"] = new JsonObject { ["availableReplicas"] = 1 },
            });
        }

        if (istioDirectory is not null)
        {
            foreach (var obj in YamlManifests.LoadDirectory(istioDirectory))
            {
                Api.Apply(obj);
            }
        }

        Istio = new IstioConfigWatch(Api);
        DataPlane = new ClusterDataPlane("dev", () => Istio.Current, Policy, Hubble, SettingsStore, Sidecars);
    }

    public InMemoryClusterApi Api { get; } = new();

    public IstioConfigWatch Istio { get; }

    public CiliumPolicyEngine Policy { get; }

    public HubbleClusterFlows Hubble { get; } = new("dev", 100_000, Start, 1);

    public ClientSidecars Sidecars { get; } = new();

    public ClusterDataPlane DataPlane { get; }

    public TrafficSettingsStore SettingsStore { get; } = new(new() { Versions = new() { ["v1"] = new VersionBehaviour(0, 8, 40), ["v2"] = new VersionBehaviour(0, 10, 60) } });

    /// <summary>The settings the data plane (and a generator given <see cref="SettingsStore"/>) use from the next request on.</summary>
    public TrafficSettings Settings
    {
        get => SettingsStore.Current;
        set => Assert.Empty(SettingsStore.TryUpdate(value));
    }

    public Random Random { get; } = new(20261126);

    public List<TrafficPod> Pods { get; } = [Nginx, HttpbinV1a, HttpbinV1b, HttpbinV2, BareCurl];

    /// <summary>Every flow the cluster's Hubble recorded, node by node.</summary>
    public IReadOnlyList<Flow> Flows => [.. Hubble.Rings.SelectMany(r => r.Snapshot().Events).Select(e => e.Flow)];

    public TrafficTopology Topology => new(Pods, [Httpbin, NginxWeb]);

    public MeshResponse Get(TrafficPod client, string path = "/get", DateTimeOffset? at = null, IReadOnlyDictionary<string, string>? headers = null, string method = "GET")
    {
        var topology = Topology;
        var request = new HttpRequestInfo(method, path, "httpbin", headers);
        var extra = headers?.Select(h => KeyValuePair.Create(h.Key, h.Value)).ToArray();
        return DataPlane.Send(new MeshRequest(client, Httpbin, topology.Backends(Httpbin), 80, request, at ?? Start) { ExtraHeaders = extra, WantBody = true }, topology, Random);
    }

    public static TrafficPod Pod(string name, string ip, bool sidecar, string image, params (string Key, string Value)[] labels) =>
        new("demo", name, labels.ToDictionary(l => l.Key, l => l.Value), IPAddress.Parse(ip), "dev-worker1", labels.FirstOrDefault(l => l.Key == "app").Value, "default", "demo/" + name, false, sidecar, image);
}
