namespace LabNet.Simulator.Cilium.Engine;

/// <summary>Agent settings that change policy evaluation.</summary>
public sealed record CiliumPolicyEngineOptions
{
    /// <summary>Helm <c>cluster.name</c>: pods carry it as <c>k8s:io.cilium.k8s.policy.cluster</c>, and the <c>cluster</c> entity matches it.</summary>
    public string ClusterName { get; init; } = "default";

    /// <summary>
    /// Cilium's <c>allow-localhost</c>: traffic from the endpoint's own node (<c>reserved:host</c>, e.g. kubelet probes)
    /// is always allowed at ingress. On by default, as in a Kubernetes install.
    /// </summary>
    public bool AllowLocalhost { get; init; } = true;

    /// <summary>Helm <c>policyEnforcementMode</c>; <c>default</c> unless set.</summary>
    public PolicyEnforcementMode EnforcementMode { get; init; } = PolicyEnforcementMode.Default;
}
