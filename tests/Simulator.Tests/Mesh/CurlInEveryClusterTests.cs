using System.Text.Json.Nodes;
using LabNet.Hubble.FlowApi;
using LabNet.Simulator.Cilium;
using LabNet.Simulator.Helm.Charts;
using LabNet.Simulator.Hubble;
using LabNet.Simulator.Hubble.Flows;
using LabNet.Simulator.Kubernetes;
using LabNet.Simulator.Tests.Kubernetes;
using Microsoft.Extensions.DependencyInjection;

namespace LabNet.Simulator.Tests.Mesh;

/// <summary>
/// curl in a pod obeys the CiliumNetworkPolicies of the pod's own cluster, on every cluster of the lab, not only where the
/// demo runs: the real kubectl against a staging cluster of the running simulator.
/// </summary>
[Collection(SimulatorServerCollection.Name)]
public sealed class CurlInEveryClusterTests(SimulatorServer server)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private const string Shop = """
        apiVersion: v1
        kind: Namespace
        metadata: {name: shop}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, namespace: shop}
        spec:
          replicas: 1
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec:
              containers: [{name: nginx, image: "nginx:alpine", ports: [{containerPort: 80}]}]
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: web, namespace: shop}
        spec:
          selector: {app: web}
          ports: [{port: 80, targetPort: 80}]
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: client, namespace: shop}
        spec:
          replicas: 1
          selector: {matchLabels: {app: client}}
          template:
            metadata: {labels: {app: client}}
            spec:
              containers: [{name: nginx, image: "nginx:alpine"}]
        """;

    private const string WebOnlyFromFrontend = """
        apiVersion: cilium.io/v2
        kind: CiliumNetworkPolicy
        metadata: {name: web-only-from-frontend, namespace: shop}
        spec:
          endpointSelector: {matchLabels: {app: web}}
          ingress:
            - fromEndpoints: [{matchLabels: {app: frontend}}]
              toPorts: [{ports: [{port: "80", protocol: TCP}]}]
        """;

    [Fact]
    public async Task Curl_from_a_staging_pod_is_refused_by_a_staging_cilium_network_policy_and_allowed_without_it()
    {
        var staging = Staging();
        var kubectl = Kubectl.ForServer(staging.Server);
        kubectl.WriteFile("shop.yaml", Shop);
        kubectl.WriteFile("policy.yaml", WebOnlyFromFrontend);
        Assert.Equal(0, (await kubectl.RunAsync("apply", "-f", "shop.yaml")).ExitCode);
        foreach (var deployment in new[] { "web", "client" })
        {
            var rollout = await kubectl.RunAsync("rollout", "status", $"deployment/{deployment}", "-n", "shop", "--timeout=20s");
            Assert.True(rollout.ExitCode == 0, rollout.ToString());
        }

        var allowed = await Curl(kubectl);
        Assert.True(allowed.ExitCode == 0, allowed.ToString());
        Assert.Contains("Welcome to nginx!", allowed.Stdout, StringComparison.Ordinal);

        var applied = await kubectl.RunAsync("apply", "-f", "policy.yaml");
        Assert.True(applied.ExitCode == 0, applied.ToString());
        var engines = server.Services.GetRequiredService<CiliumPolicyEngines>();
        await Eventually.WaitForAsync(() => Task.FromResult(engines.Find("staging")?.Policies.Count ?? 0), n => n == 1, Patience);

        var refused = await Curl(kubectl);
        Assert.Equal(28, refused.ExitCode);
        Assert.StartsWith("curl: (28) ", refused.Stderr, StringComparison.Ordinal);
        var flows = server.Services.GetRequiredService<HubbleClusters>().Find("staging")!.Rings.SelectMany(r => r.Snapshot().Events).Select(e => e.Flow).ToList();
        var drop = Assert.Single(flows, f => f.EventType.Type == HubbleEventTypes.Drop);
        Assert.Equal(("client", "web", DropReason.PolicyDenied, TrafficDirection.Ingress),
            (drop.Source.Workloads.Single().Name, drop.Destination.Workloads.Single().Name, drop.DropReasonDesc, drop.TrafficDirection));

        Assert.Equal(0, (await kubectl.RunAsync("delete", "-f", "policy.yaml")).ExitCode);
        await Eventually.WaitForAsync(() => Task.FromResult(engines.Find("staging")?.Policies.Count ?? -1), n => n == 0, Patience);

        var allowedAgain = await Curl(kubectl);
        Assert.True(allowedAgain.ExitCode == 0, allowedAgain.ToString());
    }

    private static Task<ProcessResult> Curl(Kubectl kubectl) =>
        kubectl.RunAsync("exec", "deploy/client", "-n", "shop", "--", "curl", "-s", "-S", "--max-time", "2", "http://web");

    /// <summary>A staging cluster as the lab builds it: two Ready nodes, Cilium's CRDs and cluster-pool IPAM, kube-dns.</summary>
    private IClusterApi Staging()
    {
        var api = server.Registry.Create(new ClusterBootstrap("staging", "10.30.0.0/16", "10.98.0.0/16", "v1.31.14", "staging-master", "192.168.65.20"));
        foreach (var crd in CiliumChart.Crds)
        {
            api.Apply(CustomResourceDefinitions.Build(crd));
        }

        foreach (var (node, ip, podCidr, controlPlane) in new[] { ("staging-master", "192.168.65.20", "10.30.0.0/24", true), ("staging-worker1", "192.168.65.21", "10.30.1.0/24", false) })
        {
            api.Apply(SimulatorServer.NodeObject(node, ip, controlPlane, ready: true, podCidr));
            api.Apply(new JsonObject
            {
                ["apiVersion"] = "cilium.io/v2",
                ["kind"] = "CiliumNode",
                ["metadata"] = new JsonObject { ["name"] = node },
                ["spec"] = new JsonObject { ["ipam"] = new JsonObject { ["podCIDRs"] = new JsonArray(podCidr) } },
            });
        }

        api.PodNetwork = new CiliumPodNetwork(api);
        api.Apply(SimulatorServer.KubeDnsService("10.98.0.10"));
        return api;
    }
}
