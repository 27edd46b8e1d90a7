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

    private const string CoreDns = """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: coredns, namespace: kube-system, labels: {k8s-app: kube-dns}}
        spec:
          replicas: 1
          selector: {matchLabels: {k8s-app: kube-dns}}
          template:
            metadata: {labels: {k8s-app: kube-dns}}
            spec:
              dnsPolicy: Default
              containers: [{name: coredns, image: "registry.k8s.io/coredns/coredns:v1.11.3", args: [-conf, /etc/coredns/Corefile]}]
        """;

    // Egress only to kube-dns, through Cilium's DNS proxy, which answers only for the API server's name.
    private const string ClientDnsOnlyForTheApiServer = """
        apiVersion: cilium.io/v2
        kind: CiliumNetworkPolicy
        metadata: {name: client-dns, namespace: shop}
        spec:
          endpointSelector: {matchLabels: {app: client}}
          egress:
            - toEndpoints: [{matchLabels: {k8s:io.kubernetes.pod.namespace: kube-system, k8s-app: kube-dns}}]
              toPorts: [{ports: [{port: "53", protocol: ANY}], rules: {dns: [{matchName: kubernetes.default.svc.cluster.local}]}}]
        """;

    // Egress default deny: not even DNS.
    private const string ClientLockedDown = """
        apiVersion: cilium.io/v2
        kind: CiliumNetworkPolicy
        metadata: {name: client-dns, namespace: shop}
        spec:
          endpointSelector: {matchLabels: {app: client}}
          egress: [{}]
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
        var kubectl = await StagingWithShopAsync();
        kubectl.WriteFile("policy.yaml", WebOnlyFromFrontend);

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
        var drop = Assert.Single(Flows("staging"), f => f.EventType.Type == HubbleEventTypes.Drop);
        Assert.Equal(("client", "web", DropReason.PolicyDenied, TrafficDirection.Ingress),
            (drop.Source.Workloads.Single().Name, drop.Destination.Workloads.Single().Name, drop.DropReasonDesc, drop.TrafficDirection));

        Assert.Equal(0, (await kubectl.RunAsync("delete", "-f", "policy.yaml")).ExitCode);
        await Eventually.WaitForAsync(() => Task.FromResult(engines.Find("staging")?.Policies.Count ?? -1), n => n == 0, Patience);

        var allowedAgain = await Curl(kubectl);
        Assert.True(allowedAgain.ExitCode == 0, allowedAgain.ToString());
    }

    [Fact]
    public async Task A_staging_pods_lookup_is_refused_by_cilium_dns_proxy_or_dropped_by_its_egress_policy_and_curl_cannot_resolve()
    {
        var kubectl = await StagingWithShopAsync("staging-dns");
        var engines = server.Services.GetRequiredService<CiliumPolicyEngines>();

        kubectl.WriteFile("dns.yaml", ClientDnsOnlyForTheApiServer);
        Assert.Equal(0, (await kubectl.RunAsync("apply", "-f", "dns.yaml")).ExitCode);
        await Eventually.WaitForAsync(() => Task.FromResult(engines.Find("staging-dns")?.Revision ?? 0), r => r > 0, Patience);
        var refused = await Curl(kubectl);
        Assert.Equal((6, "curl: (6) Could not resolve host: web\ncommand terminated with exit code 6\n"), (refused.ExitCode, refused.Stderr));
        var request = Assert.Single(Flows("staging-dns"), f => f.L7?.Dns is { } dns && f.L7.Type == L7FlowType.Request);
        Assert.Equal(("web.shop.svc.cluster.local.", Verdict.Dropped), (request.L7.Dns.Query, request.Verdict));
        Assert.Contains(Flows("staging-dns"), f => f.L7?.Dns is { Rcode: 5 } && f.L7.Type == L7FlowType.Response);

        kubectl.WriteFile("dns.yaml", ClientLockedDown);
        var revision = engines.Find("staging-dns")!.Revision;
        Assert.Equal(0, (await kubectl.RunAsync("apply", "-f", "dns.yaml")).ExitCode);
        await Eventually.WaitForAsync(() => Task.FromResult(engines.Find("staging-dns")!.Revision), r => r > revision, Patience);
        var unanswered = await Curl(kubectl);
        Assert.Equal((28, "curl: (28) Resolving timed out after 2000 milliseconds\ncommand terminated with exit code 28\n"), (unanswered.ExitCode, unanswered.Stderr));
        Assert.Contains(Flows("staging-dns"), f => f.EventType.Type == HubbleEventTypes.Drop && f.L4?.UDP?.DestinationPort == 53 && f.Source.PodName.StartsWith("client-", StringComparison.Ordinal));
    }

    private List<Flow> Flows(string cluster) =>
        server.Services.GetRequiredService<HubbleClusters>().Find(cluster)!.Rings.SelectMany(r => r.Snapshot().Events).Select(e => e.Flow).ToList();

    /// <summary>The staging cluster with CoreDNS and the shop (web behind a Service, a client), rolled out; kubectl for it.</summary>
    private async Task<Kubectl> StagingWithShopAsync(string name = "staging")
    {
        var kubectl = Kubectl.ForServer(Staging(name).Server);
        kubectl.WriteFile("coredns.yaml", CoreDns);
        kubectl.WriteFile("shop.yaml", Shop);
        Assert.Equal(0, (await kubectl.RunAsync("apply", "-f", "coredns.yaml", "-f", "shop.yaml")).ExitCode);
        foreach (var (ns, deployment) in new[] { ("kube-system", "coredns"), ("shop", "web"), ("shop", "client") })
        {
            var rollout = await kubectl.RunAsync("rollout", "status", $"deployment/{deployment}", "-n", ns, "--timeout=20s");
            Assert.True(rollout.ExitCode == 0, rollout.ToString());
        }

        return kubectl;
    }

    private static Task<ProcessResult> Curl(Kubectl kubectl) =>
        kubectl.RunAsync("exec", "deploy/client", "-n", "shop", "--", "curl", "-s", "-S", "--max-time", "2", "http://web");

    /// <summary>A staging cluster as the lab builds it: two Ready nodes, Cilium's CRDs and cluster-pool IPAM, kube-dns.</summary>
    private IClusterApi Staging(string name)
    {
        var api = server.Registry.Create(new ClusterBootstrap(name, "10.30.0.0/16", "10.98.0.0/16", "v1.31.14", "staging-master", "192.168.65.20"));
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
