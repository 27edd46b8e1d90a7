using System.Net;

namespace LabNet.Simulator.Traffic;

/// <summary>A pod the traffic generator can send from or to: where it is and what its labels say.</summary>
/// <param name="Key">Changes whenever anything policy or Hubble shows about the pod changes (uid and resourceVersion).</param>
/// <param name="AddressModeled">True when the pod had no IP in the API and the generator gave it one from the pod CIDR.</param>
public sealed record TrafficPod(
    string Namespace,
    string Name,
    IReadOnlyDictionary<string, string> Labels,
    IPAddress Ip,
    string? NodeName,
    string? Workload,
    string ServiceAccount,
    string Key,
    bool AddressModeled = false)
{
    public string? Label(string key) => Labels.GetValueOrDefault(key);
}

/// <summary>A Service: its name, namespace, selector and ports.</summary>
public sealed record TrafficService(string Namespace, string Name, IReadOnlyDictionary<string, string> Selector, IReadOnlyList<int> Ports)
{
    public bool Selects(TrafficPod pod) =>
        pod.Namespace == Namespace && Selector.Count > 0 && Selector.All(s => pod.Labels.TryGetValue(s.Key, out var v) && v == s.Value);
}

/// <summary>One cluster's pods and Services at one moment, as the traffic generator sees them.</summary>
public sealed record TrafficTopology(IReadOnlyList<TrafficPod> Pods, IReadOnlyList<TrafficService> Services)
{
    public IEnumerable<TrafficPod> PodsWith(string @namespace, string labelKey, string labelValue) =>
        Pods.Where(p => p.Namespace == @namespace && p.Label(labelKey) == labelValue);

    public TrafficService? Service(string @namespace, string name) =>
        Services.FirstOrDefault(s => s.Namespace == @namespace && s.Name == name);

    public IReadOnlyList<TrafficPod> Backends(TrafficService service) => Pods.Where(service.Selects).ToArray();
}
