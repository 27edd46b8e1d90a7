namespace LabNet.Simulator.Cilium.Policy;

/// <summary>
/// What Hubble's <c>flow.Policy</c> says about the policy that allowed or denied a flow (fields 1-5: name, namespace,
/// labels, revision, kind).
/// </summary>
public sealed record PolicyReference(string Name, string Namespace, IReadOnlyList<string> Labels, ulong Revision, string Kind)
{
    /// <summary>The labels Cilium derives for an imported policy (<c>k8s:io.cilium.k8s.policy.*</c>).</summary>
    public static PolicyReference For(PolicyKind kind, string name, string? @namespace, string? uid, ulong revision)
    {
        var labels = new List<string>
        {
            $"k8s:io.cilium.k8s.policy.derived-from={kind}",
            $"k8s:io.cilium.k8s.policy.name={name}",
        };
        if (@namespace is not null)
        {
            labels.Add($"k8s:io.cilium.k8s.policy.namespace={@namespace}");
        }

        if (!string.IsNullOrEmpty(uid))
        {
            labels.Add($"k8s:io.cilium.k8s.policy.uid={uid}");
        }

        return new PolicyReference(name, @namespace ?? "", labels, revision, kind.ToString());
    }

    public override string ToString() => Namespace.Length == 0 ? $"{Kind}/{Name}" : $"{Kind} {Namespace}/{Name}";
}
