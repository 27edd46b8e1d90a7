using System.Collections.Frozen;

namespace LabNet.Simulator.Cilium.Labels;

/// <summary>
/// An immutable set of labels: what a security identity is made of. Equality is by content, so two pods with the same
/// labels share one identity, as in Cilium.
/// </summary>
public sealed class LabelSet : IEquatable<LabelSet>
{
    private readonly FrozenDictionary<(string Source, string Key), string> _bySourceAndKey;
    private readonly FrozenDictionary<string, string> _byKey;
    private readonly string _canonical;

    public static readonly LabelSet Empty = new([]);

    public LabelSet(IEnumerable<Label> labels)
    {
        var sorted = labels.Distinct().OrderBy(l => l.ToString(), StringComparer.Ordinal).ToArray();
        Labels = sorted;
        _bySourceAndKey = sorted
            .GroupBy(l => (l.Source, l.Key))
            .ToFrozenDictionary(g => g.Key, g => g.First().Value);
        _byKey = sorted.GroupBy(l => l.Key).ToFrozenDictionary(g => g.Key, g => g.First().Value, StringComparer.Ordinal);
        _canonical = string.Join(';', sorted.Select(l => l.ToString()));
        Formatted = sorted.Select(l => l.ToString()).ToArray();
    }

    /// <summary>The labels, sorted the way Hubble lists them.</summary>
    public IReadOnlyList<Label> Labels { get; }

    /// <summary>The labels as Hubble's <c>Endpoint.labels</c> strings (<c>k8s:app=nginx-web</c>, <c>reserved:world</c>).</summary>
    public IReadOnlyList<string> Formatted { get; }

    /// <summary>Looks a label up by source and key; source <see cref="LabelSources.Any"/> matches any source.</summary>
    public bool TryGetValue(string source, string key, out string value)
    {
        if (source == LabelSources.Any)
        {
            return _byKey.TryGetValue(key, out value!);
        }

        return _bySourceAndKey.TryGetValue((source, key), out value!);
    }

    public bool Contains(string source, string key) => TryGetValue(source, key, out _);

    public bool Equals(LabelSet? other) => other is not null && other._canonical == _canonical;

    public override bool Equals(object? obj) => Equals(obj as LabelSet);

    public override int GetHashCode() => _canonical.GetHashCode(StringComparison.Ordinal);

    public override string ToString() => _canonical;
}
