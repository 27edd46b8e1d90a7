using System.Text.Json.Nodes;

namespace LabNet.Simulator.Kubernetes;

/// <summary>A field selector (<c>metadata.name=web,status.phase!=Running</c>) over the fields a resource supports.</summary>
public sealed class FieldSelector
{
    private readonly IReadOnlyList<(string Field, bool Equal, string Value)> _terms;

    private FieldSelector(IReadOnlyList<(string, bool, string)> terms) => _terms = terms;

    public static FieldSelector Everything { get; } = new([]);

    /// <summary>The name a selector pins (<c>metadata.name=x</c>), which <c>kubectl rollout status</c> and <c>delete --wait</c> use.</summary>
    public string? Name => _terms.FirstOrDefault(t => t.Field == "metadata.name" && t.Equal).Value;

    public static FieldSelector Parse(string? text, ResourceType type)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Everything;
        }

        var terms = new List<(string, bool, string)>();
        foreach (var raw in text.Split(','))
        {
            var term = raw.Trim();
            var notEqual = term.IndexOf("!=", StringComparison.Ordinal);
            var equal = term.IndexOf('=');
            if (equal <= 0)
            {
                throw KubernetesApiException.BadRequest($"invalid selector: '{text}'; can't understand '{term}'");
            }

            var (field, isEqual, value) = notEqual > 0
                ? (term[..notEqual], false, term[(notEqual + 2)..])
                : (term[..equal], true, term[(equal + 1)..].TrimStart('='));
            if (field is not ("metadata.name" or "metadata.namespace") && !type.FieldSelectors.Contains(field))
            {
                throw KubernetesApiException.BadRequest($"field label not supported: {field}");
            }

            terms.Add((field, isEqual, value));
        }

        return new FieldSelector(terms);
    }

    public bool Matches(JsonObject obj) => _terms.All(t => (Lookup(obj, t.Field) == t.Value) == t.Equal);

    private static string Lookup(JsonObject obj, string field)
    {
        JsonNode? node = obj;
        foreach (var part in field.Split('.'))
        {
            node = node?[part];
        }

        return node switch
        {
            null => "",
            JsonValue v when v.TryGetValue<string>(out var s) => s,
            _ => node.ToJsonString(),
        };
    }
}
