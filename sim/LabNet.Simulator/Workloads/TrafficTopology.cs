using System.Net;

namespace LabNet.Simulator.Workloads;

/// <summary>A pod the traffic generator can send from or to: where it is and what its labels say.</summary>
/// <param name="Key">Changes whenever anything policy or Hubble shows about the pod changes (uid and resourceVersion).</param>
/// <param name="AddressModeled">True when the pod had no IP in the API and the generator gave it one from the pod CIDR.</param>
/// <param name="HasSidecar">The pod runs Istio's <c>istio-proxy</c> container (injected at creation).</param>
/// <param name="Image">The image of the pod's application container (the first one that is not <c>istio-proxy</c>).</param>
/// <param name="NamedPorts">The containers' named ports (a Service's <c>targetPort: http</c> resolves through them).</param>
/// <param name="HostNetwork">The pod uses its node's network (<c>hostNetwork: true</c>): its IP is the node's.</param>
/// <param name="UsesClusterDns">The pod's resolv.conf names kube-dns (dnsPolicy ClusterFirst, or ClusterFirstWithHostNet).</param>
/// <param name="Ready">The pod's Ready condition is True (a Service's endpoints hold only ready pods).</param>
/// <param name="Probes">The kubelet's network probes of the pod's containers (liveness and readiness).</param>
public sealed record TrafficPod(
    string Namespace,
    string Name,
    IReadOnlyDictionary<string, string> Labels,
    IPAddress Ip,
    string? NodeName,
    string? Workload,
    string ServiceAccount,
    string Key,
    bool AddressModeled = false,
    bool HasSidecar = false,
    string? Image = null,
    IReadOnlyDictionary<string, int>? NamedPorts = null,
    bool HostNetwork = false,
    bool UsesClusterDns = true,
    bool Ready = true,
    IReadOnlyList<PodProbe>? Probes = null)
{
    public string? Label(string key) => Labels.GetValueOrDefault(key);

    /// <summary>
    /// The pod's Cilium endpoint ID as Hubble shows it: stable per namespace/name (FNV-1a), 1 to 4095, so every flow of
    /// the pod, from the generator or from curl, carries the same one.
    /// </summary>
    public uint CiliumEndpointId
    {
        get
        {
            uint hash = 2166136261;
            foreach (var c in Namespace + "/" + Name)
            {
                hash = unchecked((hash ^ c) * 16777619);
            }

            return 1 + hash % 4095;
        }
    }
}

/// <summary>A Service: its name, namespace, selector and ports.</summary>
/// <param name="ClusterIp">Null for a headless Service (or when the API has not allocated one).</param>
/// <param name="TargetPorts">Per entry of <paramref name="Ports"/>: the target port, a number or a container port name; null means the same number.</param>
public sealed record TrafficService(
    string Namespace,
    string Name,
    IReadOnlyDictionary<string, string> Selector,
    IReadOnlyList<int> Ports,
    IPAddress? ClusterIp = null,
    IReadOnlyList<string?>? TargetPorts = null)
{
    /// <summary>The fully qualified name (<c>httpbin.demo.svc.cluster.local</c>), what Istio calls the host.</summary>
    public string Fqdn { get; } = $"{Name}.{Namespace}.svc.cluster.local";

    /// <summary>The container port a Service port reaches on <paramref name="pod"/>; null when the port is not the Service's or the name is unknown.</summary>
    public int? TargetPortOn(int port, TrafficPod pod)
    {
        for (var i = 0; i < Ports.Count; i++)
        {
            if (Ports[i] != port)
            {
                continue;
            }

            var target = TargetPorts is { } targets && i < targets.Count ? targets[i] : null;
            if (target is null)
            {
                return port;
            }

            if (int.TryParse(target, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number))
            {
                return number;
            }

            return pod.NamedPorts?.TryGetValue(target, out var named) == true ? named : null;
        }

        return null;
    }

    public bool Selects(TrafficPod pod) =>
        pod.Namespace == Namespace && Selector.Count > 0 && Selector.All(s => pod.Labels.TryGetValue(s.Key, out var v) && v == s.Value);
}

/// <summary>One cluster's pods, Services and nodes at one moment, as the traffic generator sees them.</summary>
public sealed record TrafficTopology(IReadOnlyList<TrafficPod> Pods, IReadOnlyList<TrafficService> Services, IReadOnlyList<TrafficNode>? Nodes = null)
{
    public IEnumerable<TrafficPod> PodsWith(string @namespace, string labelKey, string labelValue) =>
        Pods.Where(p => p.Namespace == @namespace && p.Label(labelKey) == labelValue);

    public TrafficService? Service(string @namespace, string name) =>
        Services.FirstOrDefault(s => s.Namespace == @namespace && s.Name == name);

    public IReadOnlyList<TrafficPod> Backends(TrafficService service) => Pods.Where(service.Selects).ToArray();
}
