using System.Text.Json.Nodes;
using LabNet.Simulator.Clock;
using LabNet.Simulator.Kubeadm;

namespace LabNet.Simulator.Helm.Charts;

/// <summary>
/// cilium/cilium 1.16.5. Its agents (a DaemonSet, host network) must reach the API server before anything else: with
/// kube-proxy absent, only <c>k8sServiceHost</c>/<c>k8sServicePort</c> give them a way, otherwise they dial the
/// kubernetes Service VIP nobody serves and crash-loop. Healthy agents make every node Ready and hand each node a pod
/// CIDR from <c>ipam.operator.clusterPoolIPv4PodCIDRList</c> (cluster-pool IPAM, CiliumNode objects).
/// </summary>
public sealed class CiliumChart : HelmChart
{
    public override string Name => "cilium";

    public override string Version => "1.16.5";

    public override string AppVersion => "1.16.5";

    public static readonly IReadOnlyList<CustomResourceDefinitions.Spec> Crds =
    [
        new("cilium.io", "CiliumNetworkPolicy", "ciliumnetworkpolicies", ["cnp", "ciliumnp"], true, ["v2"], ["cilium", "ciliumpolicy"]),
        new("cilium.io", "CiliumClusterwideNetworkPolicy", "ciliumclusterwidenetworkpolicies", ["ccnp"], false, ["v2"], ["cilium", "ciliumpolicy"]),
        new("cilium.io", "CiliumEndpoint", "ciliumendpoints", ["cep", "ciliumep"], true, ["v2"], ["cilium"]),
        new("cilium.io", "CiliumIdentity", "ciliumidentities", ["ciliumid"], false, ["v2"], ["cilium"]),
        new("cilium.io", "CiliumNode", "ciliumnodes", ["cn", "ciliumn"], false, ["v2"], ["cilium"]),
        new("cilium.io", "CiliumExternalWorkload", "ciliumexternalworkloads", ["cew"], false, ["v2"], ["cilium"]),
        new("cilium.io", "CiliumLocalRedirectPolicy", "ciliumlocalredirectpolicies", ["clrp"], true, ["v2"], ["cilium", "ciliumpolicy"]),
        new("cilium.io", "CiliumEnvoyConfig", "ciliumenvoyconfigs", ["cec"], true, ["v2"], ["cilium"]),
        new("cilium.io", "CiliumClusterwideEnvoyConfig", "ciliumclusterwideenvoyconfigs", ["ccec"], false, ["v2"], ["cilium"]),
        new("cilium.io", "CiliumLoadBalancerIPPool", "ciliumloadbalancerippools", ["ippools", "ippool", "lbippool", "lbippools"], false, ["v2alpha1"], ["cilium"]),
        new("cilium.io", "CiliumNodeConfig", "ciliumnodeconfigs", [], true, ["v2alpha1"], ["cilium"]),
        new("cilium.io", "CiliumCIDRGroup", "ciliumcidrgroups", ["ccg"], false, ["v2alpha1"], ["cilium", "ciliumpolicy"]),
        new("cilium.io", "CiliumL2AnnouncementPolicy", "ciliuml2announcementpolicies", ["l2announcement"], false, ["v2alpha1"], ["cilium"]),
        new("cilium.io", "CiliumPodIPPool", "ciliumpodippools", ["cpip"], false, ["v2alpha1"], ["cilium"]),
    ];

    public override JsonObject Defaults() => HelmValues.FromYaml("""
        kubeProxyReplacement: "false"
        k8sServiceHost: ""
        k8sServicePort: ""
        cluster:
          name: default
          id: 0
        ipam:
          mode: cluster-pool
          operator:
            clusterPoolIPv4PodCIDRList: ["10.0.0.0/8"]
            clusterPoolIPv4MaskSize: 24
        routingMode: tunnel
        tunnelProtocol: vxlan
        operator:
          replicas: 2
        hubble:
          enabled: true
          relay:
            enabled: false
          ui:
            enabled: false
            service:
              type: ClusterIP
              nodePort: 31235
          metrics:
            enabled: null
        """);

    public override TimeSpan RolloutTime(ModeledDurations durations) => durations.CiliumRollout;

    private static List<string> PodCidrs(JsonObject values) =>
        HelmValues.Get(values, "ipam.operator.clusterPoolIPv4PodCIDRList") switch
        {
            JsonArray list => list.Select(i => i?.ToString() ?? "").Where(s => s.Length > 0).ToList(),
            JsonValue single => single.ToString().Split([',', ' '], StringSplitOptions.RemoveEmptyEntries).ToList(),
            _ => ["10.0.0.0/8"],
        };

    /// <summary>Why the agents cannot start with these values in this cluster, or null if they can.</summary>
    public static string? AgentFailure(ChartContext context)
    {
        var values = context.Values;
        var host = HelmValues.String(values, "k8sServiceHost");
        var port = HelmValues.String(values, "k8sServicePort");
        var kubeProxy = context.Api.Get("apps/v1", "DaemonSet", "kube-system", "kube-proxy") is not null;
        if (host.Length == 0)
        {
            if (kubeProxy && !HelmValues.Truthy(values, "kubeProxyReplacement"))
            {
                return null;
            }

            var vip = ClusterObjects.AddressIn(context.Api.Bootstrap.ServiceCidr, 1);
            return $"level=error msg=\"Unable to contact k8s api-server\" error=\"Get \\\"https://{vip}:443/api/v1/namespaces/kube-system\\\": dial tcp {vip}:443: i/o timeout\" ipAddr=\"https://{vip}:443\" subsys=k8s-client";
        }

        var serving = context.Cluster?.ServingAddress;
        var endpointHost = context.Cluster?.ControlPlaneEndpoint is { } endpoint ? endpoint[..endpoint.LastIndexOf(':')] : null;
        if (serving is null || (host != serving && host != context.Api.Bootstrap.ControlPlaneNode && host != endpointHost) || (port.Length > 0 && port != "6443"))
        {
            var target = $"{host}:{(port.Length > 0 ? port : "443")}";
            return $"level=error msg=\"Unable to contact k8s api-server\" error=\"Get \\\"https://{target}/api/v1/namespaces/kube-system\\\": dial tcp {target}: i/o timeout\" ipAddr=\"https://{target}\" subsys=k8s-client";
        }

        return null;
    }

    public override ChartRollout Apply(ChartContext context)
    {
        var api = context.Api;
        var ns = context.Namespace;
        var values = context.Values;
        foreach (var crd in Crds)
        {
            api.Apply(CustomResourceDefinitions.Build(crd, WorkloadObjects.Labels(("io.cilium.k8s.crd.schema.version", "1.29.1"))));
        }

        var cidrs = PodCidrs(values);
        var hubble = HelmValues.Truthy(values, "hubble.enabled");
        api.Apply(Kubeadm.ClusterObjects.ConfigMap("cilium-config", ns, new Dictionary<string, string>
        {
            ["cluster-name"] = HelmValues.String(values, "cluster.name", "default"),
            ["cluster-id"] = HelmValues.String(values, "cluster.id", "0"),
            ["ipam"] = HelmValues.String(values, "ipam.mode", "cluster-pool"),
            ["cluster-pool-ipv4-cidr"] = string.Join(' ', cidrs),
            ["cluster-pool-ipv4-mask-size"] = HelmValues.String(values, "ipam.operator.clusterPoolIPv4MaskSize", "24"),
            ["kube-proxy-replacement"] = HelmValues.Truthy(values, "kubeProxyReplacement") ? "true" : "false",
            ["bpf-lb-sock-hostns-only"] = HelmValues.Truthy(values, "socketLB.hostNamespaceOnly") ? "true" : "false",
            ["k8s-service-host"] = HelmValues.String(values, "k8sServiceHost"),
            ["k8s-service-port"] = HelmValues.String(values, "k8sServicePort"),
            ["routing-mode"] = HelmValues.String(values, "routingMode", "tunnel"),
            ["tunnel-protocol"] = HelmValues.String(values, "tunnelProtocol", "vxlan"),
            ["enable-hubble"] = hubble ? "true" : "false",
            ["hubble-listen-address"] = ":4244",
            ["hubble-metrics"] = HelmValues.Get(values, "hubble.metrics.enabled") is JsonArray metrics ? string.Join(' ', metrics.Select(m => m?.ToString())) : "",
            ["enable-policy"] = "default",
            ["enable-l7-proxy"] = "true",
        }));
        api.Apply(WorkloadObjects.ServiceAccount("cilium", ns));
        api.Apply(WorkloadObjects.ServiceAccount("cilium-operator", ns));

        var failure = AgentFailure(context);
        var nodes = api.List("v1", "Node");
        var agentLabels = WorkloadObjects.Labels(("k8s-app", "cilium"), ("app.kubernetes.io/name", "cilium-agent"), ("app.kubernetes.io/part-of", "cilium"));
        var image = $"quay.io/cilium/cilium:v{AppVersion}";
        // Only the DaemonSet controller creates agents, one per node. Every install or upgrade restarts them against the
        // new cilium-config (the chart's config checksum changes): the controller replaces the pods it owns.
        var agentTemplate = WorkloadObjects.PodTemplate(agentLabels, "cilium-agent", image, hostNetwork: true);
        // The chart's agent tolerates every taint: it must run on control planes and on nodes that are not Ready yet.
        agentTemplate["spec"]!["tolerations"] = new JsonArray(new JsonObject { ["operator"] = "Exists" });
        api.Apply(WorkloadObjects.DaemonSet("cilium", ns, agentLabels, agentTemplate, nodes.Count, failure is null ? nodes.Count : 0));
        foreach (var old in AgentPods(api, ns))
        {
            api.Delete("v1", "Pod", ns, old["metadata"]!["name"]!.GetValue<string>());
        }

        if (failure is not null)
        {
            // The agents the controller starts crash on their first API call.
            AwaitStartedAgents(api, ns, nodes);
            MarkAgentsFailing(api, ns, failure, context.Now);
        }

        var operatorLabels = WorkloadObjects.Labels(("io.cilium/app", "operator"), ("name", "cilium-operator"), ("app.kubernetes.io/part-of", "cilium"));
        var operatorReplicas = (int)(HelmValues.Get(values, "operator.replicas")?.GetValue<long>() ?? 2);
        api.Apply(WorkloadObjects.Deployment("cilium-operator", ns, operatorLabels, operatorReplicas,
            WorkloadObjects.PodTemplate(operatorLabels, "cilium-operator", $"quay.io/cilium/operator-generic:v{AppVersion}", hostNetwork: true)));

        if (hubble)
        {
            api.Apply(WorkloadObjects.Service("hubble-peer", ns, WorkloadObjects.Labels(("k8s-app", "cilium")), "ClusterIP", ("peer-service", 443, 4244, null)));
        }

        if (hubble && HelmValues.Truthy(values, "hubble.relay.enabled"))
        {
            var relayLabels = WorkloadObjects.Labels(("k8s-app", "hubble-relay"), ("app.kubernetes.io/name", "hubble-relay"), ("app.kubernetes.io/part-of", "cilium"));
            api.Apply(WorkloadObjects.ServiceAccount("hubble-relay", ns));
            api.Apply(WorkloadObjects.Deployment("hubble-relay", ns, relayLabels, 1,
                WorkloadObjects.PodTemplate(relayLabels, "hubble-relay", $"quay.io/cilium/hubble-relay:v{AppVersion}", ports: new JsonArray(new JsonObject { ["name"] = "grpc", ["containerPort"] = 4245 }))));
            api.Apply(WorkloadObjects.Service("hubble-relay", ns, relayLabels, "ClusterIP", ("grpc", 80, 4245, null)));
        }

        if (hubble && HelmValues.Truthy(values, "hubble.ui.enabled"))
        {
            var uiLabels = WorkloadObjects.Labels(("k8s-app", "hubble-ui"), ("app.kubernetes.io/name", "hubble-ui"), ("app.kubernetes.io/part-of", "cilium"));
            var type = HelmValues.String(values, "hubble.ui.service.type", "ClusterIP");
            int? nodePort = type == "NodePort" && int.TryParse(HelmValues.String(values, "hubble.ui.service.nodePort"), out var np) ? np : null;
            // The UI's pod: nginx serving the frontend, and the backend that talks to hubble-relay.
            var uiPod = WorkloadObjects.PodTemplate(uiLabels, "frontend", "quay.io/cilium/hubble-ui:v0.13.1", ports: new JsonArray(new JsonObject { ["name"] = "http", ["containerPort"] = 8081 }));
            ((JsonArray)uiPod["spec"]!["containers"]!).Add(new JsonObject
            {
                ["name"] = "backend",
                ["image"] = "quay.io/cilium/hubble-ui-backend:v0.13.1",
                ["env"] = new JsonArray(new JsonObject { ["name"] = "FLOWS_API_ADDR", ["value"] = "hubble-relay:80" }),
                ["ports"] = new JsonArray(new JsonObject { ["name"] = "grpc", ["containerPort"] = 8090 }),
            });
            api.Apply(WorkloadObjects.Deployment("hubble-ui", ns, uiLabels, 1, uiPod));
            api.Apply(WorkloadObjects.Service("hubble-ui", ns, uiLabels, type, ("http", 80, 8081, nodePort)));
        }

        return new ChartRollout(failure is null, failure);
    }

    private static IEnumerable<JsonObject> AgentPods(Kubernetes.IClusterApi api, string @namespace) =>
        api.List("v1", "Pod", @namespace).Where(p => p["metadata"]?["labels"]?["k8s-app"]?.GetValue<string>() == "cilium");

    /// <summary>
    /// Waits (briefly, in wall time) until the DaemonSet controller has started an agent on every node whose kubelet
    /// reports, so that their crash can be recorded on the pods <c>kubectl get pods</c> shows.
    /// </summary>
    private static void AwaitStartedAgents(Kubernetes.IClusterApi api, string @namespace, IReadOnlyList<JsonObject> nodes)
    {
        var reporting = nodes.Count(n => n["status"]?["conditions"]?.AsArray()
            .FirstOrDefault(c => c?["type"]?.GetValue<string>() == "Ready")?["status"]?.GetValue<string>() is not "Unknown");
        var deadline = Environment.TickCount64 + (long)AgentStartTimeout.TotalMilliseconds;
        while (AgentPods(api, @namespace).Count(p => p["status"]?["phase"]?.GetValue<string>() == "Running") < reporting
            && Environment.TickCount64 < deadline)
        {
            Thread.Sleep(2);
        }
    }

    private static readonly TimeSpan AgentStartTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Restarted agents that cannot reach the API: CrashLoopBackOff with the reason as their last message.</summary>
    public static void MarkAgentsFailing(Kubernetes.IClusterApi api, string @namespace, string failure, DateTimeOffset now)
    {
        var stamp = ClusterObjects.Timestamp(now);
        foreach (var pod in AgentPods(api, @namespace))
        {
            if (pod["status"]?["containerStatuses"]?[0] is not JsonObject status)
            {
                continue;
            }

            status["ready"] = false;
            status["started"] = false;
            status["restartCount"] = (status["restartCount"]?.GetValue<int>() ?? 0) + 3;
            status["state"] = new JsonObject { ["waiting"] = new JsonObject { ["reason"] = "CrashLoopBackOff", ["message"] = $"back-off 40s restarting failed container=cilium-agent pod={pod["metadata"]!["name"]}_{@namespace}" } };
            status["lastState"] = new JsonObject { ["terminated"] = new JsonObject { ["exitCode"] = 1, ["reason"] = "Error", ["message"] = failure, ["finishedAt"] = stamp } };
            pod["status"]!["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = "False", ["lastTransitionTime"] = stamp });
            api.Apply(pod);
        }
    }

    public override void Complete(ChartContext context, ChartRollout rollout)
    {
        if (!rollout.Healthy || context.Cluster is not { } cluster)
        {
            return;
        }

        var cidrs = PodCidrs(context.Values);
        var nodes = context.Api.List("v1", "Node");
        List<string> order;
        lock (cluster.Sync)
        {
            order = [.. cluster.Nodes];
        }

        foreach (var node in nodes)
        {
            var name = node["metadata"]!["name"]!.GetValue<string>();
            var index = Math.Max(0, order.IndexOf(name));
            context.Api.Apply(new JsonObject
            {
                ["apiVersion"] = "cilium.io/v2",
                ["kind"] = "CiliumNode",
                ["metadata"] = new JsonObject { ["name"] = name, ["labels"] = new JsonObject { ["kubernetes.io/hostname"] = name } },
                ["spec"] = new JsonObject
                {
                    ["addresses"] = new JsonArray(node["status"]?["addresses"]?.AsArray().Where(a => a?["type"]?.GetValue<string>() == "InternalIP")
                        .Select(a => (JsonNode)new JsonObject { ["type"] = "InternalIP", ["ip"] = a!["address"]!.GetValue<string>() }).ToArray() ?? []),
                    ["ipam"] = new JsonObject { ["podCIDRs"] = new JsonArray(ClusterObjects.PodSubnet(cidrs[0], index)) },
                },
            });
        }

        cluster.NetworkReady = true;
        // From now on the kubelets can set up pod sandboxes: cluster-pool IPAM hands each pod an address of its node's CIDR.
        context.Api.PodNetwork = new Cilium.CiliumPodNetwork(context.Api);
        foreach (var node in nodes)
        {
            var ready = node["status"]?["conditions"]?.AsArray().FirstOrDefault(c => c?["type"]?.GetValue<string>() == "Ready")?["status"]?.GetValue<string>();
            if (ready != "Unknown")
            {
                ClusterObjects.SetNodeReady(context.Api, node["metadata"]!["name"]!.GetValue<string>(), "True", context.Now);
            }
        }
    }

    /// <summary>The agents' pods go with their DaemonSet (the garbage collector's work, done at once here).</summary>
    public override void Uninstall(ChartContext context)
    {
        base.Uninstall(context);
        foreach (var pod in AgentPods(context.Api, context.Namespace).ToList())
        {
            context.Api.Delete("v1", "Pod", context.Namespace, pod["metadata"]!["name"]!.GetValue<string>());
        }
    }

    public override IEnumerable<(string ApiVersion, string Kind, string? Namespace, string Name)> Rendered(ChartContext context)
    {
        var ns = context.Namespace;
        var hubble = HelmValues.Truthy(context.Values, "hubble.enabled");
        IEnumerable<(string, string, string?, string)> objects =
        [
            ("v1", "ConfigMap", ns, "cilium-config"),
            ("v1", "ServiceAccount", ns, "cilium"),
            ("v1", "ServiceAccount", ns, "cilium-operator"),
            ("apps/v1", "DaemonSet", ns, "cilium"),
            ("apps/v1", "Deployment", ns, "cilium-operator"),
        ];
        if (hubble)
        {
            objects = objects.Append(("v1", "Service", ns, "hubble-peer"));
        }

        if (hubble && HelmValues.Truthy(context.Values, "hubble.relay.enabled"))
        {
            objects = objects.Concat([("apps/v1", "Deployment", ns, "hubble-relay"), ("v1", "Service", ns, "hubble-relay"), ("v1", "ServiceAccount", ns, "hubble-relay")]);
        }

        if (hubble && HelmValues.Truthy(context.Values, "hubble.ui.enabled"))
        {
            objects = objects.Concat([("apps/v1", "Deployment", ns, "hubble-ui"), ("v1", "Service", ns, "hubble-ui")]);
        }

        return objects;
    }

    public override string Notes(ChartContext context) =>
        $"You have successfully installed Cilium{(HelmValues.Truthy(context.Values, "hubble.enabled") ? " with Hubble" : "")}{(HelmValues.Truthy(context.Values, "hubble.relay.enabled") ? " Relay" : "")}{(HelmValues.Truthy(context.Values, "hubble.ui.enabled") ? " and Hubble UI" : "")}.\n\n" +
        $"Your release version is {AppVersion}.\n\nFor any further help, visit https://docs.cilium.io/en/v1.16/gettinghelp\n";
}
