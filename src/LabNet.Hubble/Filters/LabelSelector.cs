namespace LabNet.Hubble.Filters;

/// <summary>
/// Kubernetes label selector syntax as Hubble applies it to Cilium labels (<c>source:key=value</c>, e.g.
/// <c>k8s:app=httpbin</c>): comma-separated requirements <c>k=v</c>, <c>k==v</c>, <c>k!=v</c>, <c>k</c>, <c>!k</c>,
/// <c>k in (a,b)</c>, <c>k notin (a,b)</c>, all of which must hold. A key without a source (<c>app</c>) matches that
/// key from any source; <c>k8s:app</c> only from k8s.
/// </summary>
public static class LabelSelector
{
    public static bool Matches(string selector, IEnumerable<string> labels)
    {
        var parsed = labels.Select(Parse).ToList();
        foreach (var requirement in SplitRequirements(selector))
        {
            if (!Holds(requirement.Trim(), parsed))
            {
                return false;
            }
        }

        return true;
    }

    private static bool Holds(string requirement, List<(string Source, string Key, string Value)> labels)
    {
        if (requirement.Length == 0)
        {
            return true;
        }

        IEnumerable<string> ValuesOf(string key) => labels.Where(l => KeyMatches(l, key)).Select(l => l.Value);

        if (requirement.StartsWith('!'))
        {
            return !ValuesOf(requirement[1..].Trim()).Any();
        }

        foreach (var (op, negate) in new[] { (" notin ", true), (" in ", false) })
        {
            var at = requirement.IndexOf(op, StringComparison.Ordinal);
            if (at > 0)
            {
                var key = requirement[..at].Trim();
                var set = requirement[(at + op.Length)..].Trim().TrimStart('(').TrimEnd(')').Split(',').Select(v => v.Trim()).ToHashSet();
                var any = ValuesOf(key).Any(set.Contains);
                return negate ? !any : any;
            }
        }

        var notEqual = requirement.IndexOf("!=", StringComparison.Ordinal);
        if (notEqual > 0)
        {
            var key = requirement[..notEqual].Trim();
            var value = requirement[(notEqual + 2)..].Trim();
            return !ValuesOf(key).Contains(value);
        }

        var equal = requirement.IndexOf('=', StringComparison.Ordinal);
        if (equal > 0)
        {
            var key = requirement[..equal].Trim();
            var value = requirement[(equal + 1)..].TrimStart('=').Trim();
            return ValuesOf(key).Contains(value);
        }

        return ValuesOf(requirement).Any();
    }

    private static bool KeyMatches((string Source, string Key, string Value) label, string selectorKey)
    {
        var colon = selectorKey.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 || selectorKey[..colon] == "any"
            ? label.Key == (colon < 0 ? selectorKey : selectorKey[(colon + 1)..])
            : label.Source == selectorKey[..colon] && label.Key == selectorKey[(colon + 1)..];
    }

    private static (string Source, string Key, string Value) Parse(string label)
    {
        var colon = label.IndexOf(':', StringComparison.Ordinal);
        var equal = label.IndexOf('=', StringComparison.Ordinal);
        var source = colon >= 0 && (equal < 0 || colon < equal) ? label[..colon] : "";
        var rest = source.Length > 0 ? label[(colon + 1)..] : label;
        equal = rest.IndexOf('=', StringComparison.Ordinal);
        return equal < 0 ? (source, rest, "") : (source, rest[..equal], rest[(equal + 1)..]);
    }

    // Commas inside "in (a,b)" do not separate requirements.
    private static IEnumerable<string> SplitRequirements(string selector)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < selector.Length; i++)
        {
            depth += selector[i] switch { '(' => 1, ')' => -1, _ => 0 };
            if (selector[i] == ',' && depth == 0)
            {
                yield return selector[start..i];
                start = i + 1;
            }
        }

        yield return selector[start..];
    }
}
