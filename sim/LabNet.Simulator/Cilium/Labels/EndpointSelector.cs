namespace LabNet.Simulator.Cilium.Labels;

/// <summary>
/// A compiled label selector (<c>matchLabels</c> and <c>matchExpressions</c>, all ANDed). An empty selector selects
/// everything; the parser adds the namespace requirement Cilium adds, so by the time a selector is here it means exactly
/// what Cilium would evaluate.
/// </summary>
public sealed record EndpointSelector(IReadOnlyList<LabelRequirement> Requirements)
{
    public static readonly EndpointSelector All = new([]);

    public bool Matches(LabelSet labels)
    {
        foreach (var requirement in Requirements)
        {
            if (!requirement.Matches(labels))
            {
                return false;
            }
        }

        return true;
    }

    public bool HasNamespaceRequirement => Requirements.Any(r => r.IsNamespaceKey);

    public bool HasReservedRequirement => Requirements.Any(r => r.Source == LabelSources.Reserved);

    public EndpointSelector With(LabelRequirement requirement) => new([.. Requirements, requirement]);

    public override string ToString() => Requirements.Count == 0 ? "{}" : string.Join(",", Requirements);
}
