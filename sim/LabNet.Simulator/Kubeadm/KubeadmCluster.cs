using LabNet.Simulator.Kubernetes;

namespace LabNet.Simulator.Kubeadm;

/// <summary>
/// What the twin remembers about a cluster kubeadm made, beyond its API objects: which VM is its control plane, its
/// CA (for the discovery hash), the address its API server serves on now, its nodes, and whether a CNI runs.
/// </summary>
public sealed class KubeadmCluster(ClusterBootstrap bootstrap, IClusterApi api, string masterVm, string caCertificatePem)
{
    public ClusterBootstrap Bootstrap { get; } = bootstrap;

    public string Name => Bootstrap.Name;

    public IClusterApi Api { get; } = api;

    public string MasterVm { get; } = masterVm;

    public string CaCertificatePem { get; } = caCertificatePem;

    public string CaHash { get; } = Pki.CaHash(caCertificatePem);

    /// <summary>The address the API server listens on now; null while it does not serve.</summary>
    public string? ServingAddress { get; set; } = bootstrap.AdvertiseAddress;

    /// <summary>Nodes in the order they registered (the controller-manager hands out pod CIDRs in this order).</summary>
    public List<string> Nodes { get; } = [];

    /// <summary>VM name of each node.</summary>
    public Dictionary<string, string> NodeVms { get; } = new(StringComparer.Ordinal);

    /// <summary><c>--control-plane-endpoint</c> (host:port) when init had one: join lines name it instead of the IP.</summary>
    public string? ControlPlaneEndpoint { get; set; }

    /// <summary>Set once a CNI's agents run on the nodes (Cilium installed and healthy).</summary>
    public bool NetworkReady { get; set; }

    public Lock Sync { get; } = new();
}
