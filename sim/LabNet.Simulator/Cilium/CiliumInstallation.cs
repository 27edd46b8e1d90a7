using LabNet.Simulator.Kubernetes;

namespace LabNet.Simulator.Cilium;

/// <summary>Whether a cluster runs Cilium, read from its API as the agents leave it: Cilium's policy CRDs are registered.</summary>
public static class CiliumInstallation
{
    public const string NetworkPolicyCrd = "ciliumnetworkpolicies.cilium.io";
    public const string ClusterwideNetworkPolicyCrd = "ciliumclusterwidenetworkpolicies.cilium.io";

    public static bool IsInstalled(IClusterApi api) =>
        api.Get("apiextensions.k8s.io/v1", "CustomResourceDefinition", null, NetworkPolicyCrd) is not null
        && api.Get("apiextensions.k8s.io/v1", "CustomResourceDefinition", null, ClusterwideNetworkPolicyCrd) is not null;

    /// <summary>Whether a change is the registration of one of the CRDs <see cref="IsInstalled"/> looks for.</summary>
    public static bool IsPolicyCrd(ClusterObjectChange change) =>
        change.Object["kind"]?.GetValue<string>() == "CustomResourceDefinition"
        && change.Object["metadata"]?["name"]?.GetValue<string>() is NetworkPolicyCrd or ClusterwideNetworkPolicyCrd;
}
