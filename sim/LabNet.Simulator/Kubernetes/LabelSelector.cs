using System.Text.Json.Nodes;

namespace LabNet.Simulator.Kubernetes;

/// <summary>A label selector, from its query form (<c>app=web,tier in (a,b),!canary</c>) or a <c>metav1.LabelSelector</c>.</summary>
public sealed class LabelSelector
{
    private readonly IReadOnlyList<Requirement> _requirements;

    private LabelSelector(IReadOnlyList<Requirement> requirements) => _requirements = requirements;

    public static LabelSelector Everything { get; } = new([]);

    public bool IsEverything => _requirements.Count == 0;

    public bool Matches(JsonObject? labels) => _requirements.All(r => r.Matches(labels?[r.Key]?.GetValue<string>()));

    public bool MatchesObject(JsonObject obj) => Matches(obj["metadata"]?["labels"] as JsonObject);

    /// <summary>Parses <c>?labelSelector=</c>; a malformed selector is a 400 with the apiserver's wording.</summary>
    public static LabelSelector Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Everything;
        }

        var requirements = new List<Requirement>();
        foreach (var term in SplitTerms(text))
        {
            requirements.Add(ParseTerm(term.Trim(), text));
        }

        return new LabelSelector(requirements);
    }

    /// <summary>A <c>matchLabels</c>/<c>matchExpressions</c> selector as deployments and services carry it.</summary>
    public static LabelSelector FromJson(JsonNode? selector)
    {
        if (selector is not JsonObject obj)
        {
            return Everything;
        }

        var requirements = new List<Requirement>();
        if (obj["matchLabels"] is JsonObject matchLabels)
        {
            requirements.AddRange(matchLabels.Select(p => new Requirement(p.Key, "=", [p.Value?.GetValue<string>() ?? ""])));
        }

        if (obj["matchExpressions"] is JsonArray expressions)
        {
            foreach (var expression in expressions.OfType<JsonObject>())
            {
                var values = expression["values"] is JsonArray v ? v.Select(x => x?.GetValue<string>() ?? "").ToArray() : [];
                var op = expression["operator"]?.GetValue<string>() switch
                {
                    "In" => "in",
                    "NotIn" => "notin",
                    "Exists" => "exists",
                    "DoesNotExist" => "!",
                    var other => throw KubernetesApiException.BadRequest($"\"{other}\" is not a valid label selector operator"),
                };
                requirements.Add(new Requirement(expression["key"]?.GetValue<string>() ?? "", op, values));
            }
        }

        return new LabelSelector(requirements);
    }

    /// <summary>A plain map selector (a Service's <c>spec.selector</c>).</summary>
    public static LabelSelector FromMap(JsonObject? map) =>
        map is null ? Everything : new LabelSelector([.. map.Select(p => new Requirement(p.Key, "=", [p.Value?.GetValue<string>() ?? ""]))]);

    public override string ToString() => string.Join(",", _requirements.Select(r => r.ToString()));

    private static IEnumerable<string> SplitTerms(string text)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '(': depth++; break;
                case ')': depth--; break;
                case ',' when depth == 0:
                    yield return text[start..i];
                    start = i + 1;
                    break;
            }
        }

        yield return text[start..];
    }

    private static Requirement ParseTerm(string term, string whole)
    {
        if (term.Length == 0)
        {
            throw KubernetesApiException.BadRequest($"unable to parse requirement: found '', expected: identifier");
        }

        if (term.StartsWith('!'))
        {
            return new Requirement(ValidKey(term[1..].Trim(), whole), "!", []);
        }

        foreach (var op in new[] { "!=", "==", "=" })
        {
            var at = term.IndexOf(op, StringComparison.Ordinal);
            if (at > 0)
            {
                return new Requirement(ValidKey(term[..at].Trim(), whole), op == "!=" ? "!=" : "=", [term[(at + op.Length)..].Trim()]);
            }
        }

        var words = term.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (words.Length == 2)
        {
            var rest = words[1];
            var op = rest.StartsWith("notin", StringComparison.Ordinal) ? "notin" : rest.StartsWith("in", StringComparison.Ordinal) ? "in" : null;
            var open = rest.IndexOf('(');
            var close = rest.LastIndexOf(')');
            if (op is not null && open > 0 && close > open)
            {
                var values = rest[(open + 1)..close].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
                return new Requirement(ValidKey(words[0], whole), op, values);
            }

            throw KubernetesApiException.BadRequest($"unable to parse requirement: found '{rest}', expected: in, notin, =, ==, !=, gt, lt");
        }

        return new Requirement(ValidKey(term, whole), "exists", []);
    }

    private static string ValidKey(string key, string whole)
    {
        if (key.Length == 0 || key.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '/')))
        {
            throw KubernetesApiException.BadRequest(
                $"unable to parse requirement: <nil>: Invalid value: \"{key}\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') in selector \"{whole}\"");
        }

        return key;
    }

    private sealed record Requirement(string Key, string Operator, IReadOnlyList<string> Values)
    {
        public bool Matches(string? value) => Operator switch
        {
            "=" => value == Values[0],
            "!=" => value != Values[0],
            "in" => value is not null && Values.Contains(value),
            "notin" => value is null || !Values.Contains(value),
            "exists" => value is not null,
            "!" => value is null,
            _ => false,
        };

        public override string ToString() => Operator switch
        {
            "=" or "!=" => $"{Key}{Operator}{Values[0]}",
            "in" or "notin" => $"{Key} {Operator} ({string.Join(",", Values)})",
            "!" => $"!{Key}",
            _ => Key,
        };
    }
}
