namespace LabNet.Simulator.Cilium.Labels;

/// <summary>
/// One Cilium label: a source (<c>k8s</c>, <c>reserved</c>, <c>cidr</c>, ...), a key and a value. Hubble prints it as
/// <c>source:key=value</c>, or <c>source:key</c> when the value is empty (<c>reserved:world</c>).
/// </summary>
public readonly record struct Label(string Source, string Key, string Value)
{
    public override string ToString() => Value.Length == 0 ? $"{Source}:{Key}" : $"{Source}:{Key}={Value}";

    public static Label K8s(string key, string value) => new(LabelSources.K8s, key, value);

    public static Label Reserved(string key) => new(LabelSources.Reserved, key, "");
}

/// <summary>The label sources Cilium knows; <see cref="Any"/> in a selector matches a label of any source.</summary>
public static class LabelSources
{
    public const string K8s = "k8s";
    public const string Reserved = "reserved";
    public const string Cidr = "cidr";
    public const string Fqdn = "fqdn";
    public const string Any = "any";

    /// <summary>
    /// Splits a selector key the way Cilium does: <c>k8s:app</c> is source k8s, key app; a key without a source prefix
    /// (<c>app</c>) matches labels of any source.
    /// </summary>
    public static (string Source, string Key) SplitSelectorKey(string key)
    {
        var colon = key.IndexOf(':');
        return colon <= 0 ? (Any, key) : (key[..colon], key[(colon + 1)..]);
    }
}
