using System.Net;
using LabNet.Simulator.Cilium.Labels;

namespace LabNet.Simulator.Cilium.Identity;

/// <summary>
/// A Cilium security identity: a number standing for a set of labels. Policy is compiled per identity, and Hubble shows
/// the number and the labels of both ends of every flow.
/// </summary>
/// <param name="Id">The numeric identity (1-255 reserved, 256+ cluster-allocated, 16777217+ node-local CIDR identities).</param>
/// <param name="Labels">The labels the identity stands for.</param>
/// <param name="Prefix">For an identity outside the cluster: the CIDR it stands for (0.0.0.0/0 for plain <c>world</c>).</param>
public sealed record SecurityIdentity(uint Id, LabelSet Labels, IPNetwork? Prefix = null)
{
    public bool IsReserved => Id < ReservedIdentities.FirstClusterIdentity;

    /// <summary>Outside the cluster: <c>world</c> or a CIDR identity. Only these are matched by CIDR rules.</summary>
    public bool IsWorld => Prefix is not null;

    /// <summary>A Kubernetes pod (it carries the pod-namespace label); only these are selected by endpointSelectors.</summary>
    public bool IsPod => Labels.Contains(LabelSources.K8s, IdentityLabelKeys.PodNamespace);

    public override string ToString() => $"{Id} ({Labels})";
}
