namespace LabNet.Simulator.Cilium.Engine;

/// <summary>Helm <c>policyEnforcementMode</c> / agent <c>--enable-policy</c>.</summary>
public enum PolicyEnforcementMode
{
    /// <summary>An endpoint is default-deny in a direction only once a rule selecting it has that direction.</summary>
    Default,

    /// <summary>Every pod is default-deny in both directions, selected or not.</summary>
    Always,

    /// <summary>No policy is enforced: everything is forwarded.</summary>
    Never,
}
