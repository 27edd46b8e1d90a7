namespace LabNet.Simulator.Cilium.Engine;

/// <summary>Hubble's <c>flow.Verdict</c> values that policy decides (same names and numbers as flow.proto).</summary>
public enum FlowVerdict
{
    VerdictUnknown = 0,
    Forwarded = 1,
    Dropped = 2,

    /// <summary>Sent to the proxy: the policy-verdict event of a connection an L7 rule redirects.</summary>
    Redirected = 5,
}

/// <summary>Hubble's <c>flow.TrafficDirection</c> (same numbers as flow.proto).</summary>
public enum TrafficDirection
{
    TrafficDirectionUnknown = 0,
    Ingress = 1,
    Egress = 2,
}

/// <summary>The policy drop reasons of Hubble's <c>flow.DropReason</c>, with their numbers.</summary>
public enum DropReason
{
    DropReasonUnknown = 0,

    /// <summary>No allow rule matched while the endpoint is default-deny ("Policy denied").</summary>
    PolicyDenied = 133,

    /// <summary>An explicit ingressDeny/egressDeny rule matched ("Policy denied by denylist").</summary>
    PolicyDeny = 181,
}

/// <summary>
/// Which kind of map entry decided a policy verdict: Hubble's <c>policy_match_type</c> (pkg/monitor/api: 0 none,
/// 1 L3-Only, 2 L3-L4, 3 L4-Only, 4 all, 5 L3-Proto, 6 Proto-Only).
/// </summary>
public enum PolicyMatchType : uint
{
    None = 0,
    L3Only = 1,
    L3L4 = 2,
    L4Only = 3,
    All = 4,
    L3Proto = 5,
    ProtoOnly = 6,
}
