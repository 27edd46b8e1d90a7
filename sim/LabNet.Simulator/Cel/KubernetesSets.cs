namespace LabNet.Simulator.Cel;

/// <summary>cel-go's sets extension, which Kubernetes enables: <c>sets.contains</c>, <c>sets.equivalent</c>, <c>sets.intersects</c> on lists.</summary>
public sealed class KubernetesSets : ICelLibrary
{
    public IReadOnlySet<string> GlobalFunctions { get; } = new HashSet<string> { "sets.contains", "sets.equivalent", "sets.intersects" };

    public object? Invoke(string function, object? target, object[] args)
    {
        if (target is not null || args is not [CelList a, CelList b])
        {
            return null;
        }

        return function switch
        {
            "sets.contains" => ContainsAll(a, b),
            "sets.equivalent" => ContainsAll(a, b) && ContainsAll(b, a),
            "sets.intersects" => b.Any(item => Contains(a, item)),
            _ => null,
        };
    }

    private static bool ContainsAll(CelList list, CelList items) => items.All(item => Contains(list, item));

    private static bool Contains(CelList list, object item) => list.Any(element => CelEquality.AreEqual(element, item));
}
