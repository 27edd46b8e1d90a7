using LabNet.Simulator.Clock;
using LabNet.Simulator.Kubeadm;

namespace LabNet.Simulator.Helm.Charts;

/// <summary>
/// Cilium's agents reach the API at cilium-config's k8s-service-host; once the control plane moved, restarted agents
/// dial the old address and crash-loop, and the nodes lose their network until the value is fixed (helm upgrade).
/// </summary>
public sealed class CiliumApiServerAddress(SimulationClock clock, ILogger<CiliumApiServerAddress> logger) : IControlPlaneObserver
{
    public void OnServing(KubeadmCluster cluster, string address)
    {
        var config = cluster.Api.List("v1", "ConfigMap").FirstOrDefault(c => c["metadata"]?["name"]?.GetValue<string>() == "cilium-config");
        var host = config?["data"]?["k8s-service-host"]?.GetValue<string>();
        if (!cluster.NetworkReady || host is null || !System.Net.IPAddress.TryParse(host, out _) || host == address)
        {
            return;
        }

        var port = config!["data"]?["k8s-service-port"]?.GetValue<string>() is { Length: > 0 } p ? p : "443";
        cluster.NetworkReady = false;
        var ns = config["metadata"]!["namespace"]!.GetValue<string>();
        var message = $"level=error msg=\"Unable to contact k8s api-server\" error=\"Get \\\"https://{host}:{port}/api/v1/namespaces/kube-system\\\": dial tcp {host}:{port}: connect: no route to host\" ipAddr=\"https://{host}:{port}\" subsys=k8s-client";
        CiliumChart.MarkAgentsFailing(cluster.Api, ns, message, clock.Now);
        logger.LogInformation("Cluster {Cluster}: Cilium still names the old API server address {Old}; its agents crash-loop", cluster.Name, host);
        foreach (var node in cluster.Api.List("v1", "Node"))
        {
            var name = node["metadata"]!["name"]!.GetValue<string>();
            ClusterObjects.SetNodeReady(cluster.Api, name, "False", clock.Now);
        }
    }
}
