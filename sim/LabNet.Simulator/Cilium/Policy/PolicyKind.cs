namespace LabNet.Simulator.Cilium.Policy;

/// <summary>The kinds of policy objects the simulated Cilium agent imports.</summary>
public enum PolicyKind
{
    CiliumNetworkPolicy,
    CiliumClusterwideNetworkPolicy,
    NetworkPolicy,
}
