namespace LabNet.Simulator.Cilium.Labels;

/// <summary>The operators of a Kubernetes label selector's <c>matchExpressions</c>.</summary>
public enum SelectorOperator
{
    In,
    NotIn,
    Exists,
    DoesNotExist,
}

/// <summary>One requirement of a label selector, on a source-qualified key (<c>any</c> when the key has no prefix).</summary>
public sealed record LabelRequirement(string Source, string Key, SelectorOperator Operator, IReadOnlyList<string> Values)
{
    public bool Matches(LabelSet labels)
    {
        var present = labels.TryGetValue(Source, Key, out var value);
        return Operator switch
        {
            SelectorOperator.In => present && Contains(value),
            // Kubernetes semantics: NotIn is satisfied by an absent key.
            SelectorOperator.NotIn => !present || !Contains(value),
            SelectorOperator.Exists => present,
            SelectorOperator.DoesNotExist => !present,
            _ => false,
        };
    }

    /// <summary>Whether this requirement is about the pod's namespace (which stops Cilium from adding its own).</summary>
    public bool IsNamespaceKey =>
        Key == IdentityLabelKeys.PodNamespace && (Source == LabelSources.K8s || Source == LabelSources.Any)
        || Key.StartsWith(IdentityLabelKeys.NamespaceLabelPrefix, StringComparison.Ordinal);

    private bool Contains(string value)
    {
        foreach (var candidate in Values)
        {
            if (string.Equals(candidate, value, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    public override string ToString()
    {
        var key = Source == LabelSources.Any ? Key : $"{Source}:{Key}";
        return Operator switch
        {
            SelectorOperator.In when Values.Count == 1 => $"{key}={Values[0]}",
            SelectorOperator.In => $"{key} in ({string.Join(',', Values)})",
            SelectorOperator.NotIn => $"{key} notin ({string.Join(',', Values)})",
            SelectorOperator.Exists => key,
            _ => $"!{key}",
        };
    }
}

/// <summary>Label keys Cilium derives for Kubernetes pods.</summary>
public static class IdentityLabelKeys
{
    public const string PodNamespace = "io.kubernetes.pod.namespace";
    public const string NamespaceLabelPrefix = "io.cilium.k8s.namespace.labels.";
    public const string Cluster = "io.cilium.k8s.policy.cluster";
    public const string ServiceAccount = "io.cilium.k8s.policy.serviceaccount";
}
