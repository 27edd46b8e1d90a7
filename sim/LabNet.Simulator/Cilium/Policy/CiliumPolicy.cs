namespace LabNet.Simulator.Cilium.Policy;

/// <summary>An imported policy object: its identity in the API and the rules it contributes.</summary>
public sealed record CiliumPolicy(PolicyKind Kind, string Name, string? Namespace, IReadOnlyList<PolicyRule> Rules, PolicyReference Reference)
{
    public PolicyKey Key => new(Kind, Namespace ?? "", Name);
}

/// <summary>How a policy is addressed: kind, namespace ("" when cluster-wide) and name.</summary>
public readonly record struct PolicyKey(PolicyKind Kind, string Namespace, string Name)
{
    public override string ToString() => Namespace.Length == 0 ? $"{Kind}/{Name}" : $"{Kind} {Namespace}/{Name}";
}
