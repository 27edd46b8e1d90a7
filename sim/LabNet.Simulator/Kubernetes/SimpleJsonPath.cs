using System.Text.Json.Nodes;

namespace LabNet.Simulator.Kubernetes;

/// <summary>
/// The JSONPath subset CRD printer columns use: <c>.spec.a.b</c>, <c>.items[0]</c>, <c>[*]</c> and filters like
/// <c>.status.conditions[?(@.type=="Ready")].status</c>. Returns every match in order.
/// </summary>
public static class SimpleJsonPath
{
    public static IReadOnlyList<JsonNode?> Evaluate(JsonNode? root, string path)
    {
        var current = new List<JsonNode?> { root };
        var text = path.Trim().TrimStart('{').TrimEnd('}').Trim();
        if (text.StartsWith('$'))
        {
            text = text[1..];
        }

        var i = 0;
        while (i < text.Length && current.Count > 0)
        {
            if (text[i] == '.')
            {
                var end = i + 1;
                while (end < text.Length && text[end] != '.' && text[end] != '[')
                {
                    end++;
                }

                var field = text[(i + 1)..end];
                current = [.. current.Select(n => n is JsonObject o && o.TryGetPropertyValue(field, out var v) ? v : null).Where(n => n is not null)];
                i = end;
            }
            else if (text[i] == '[')
            {
                var end = text.IndexOf(']', i);
                if (end < 0)
                {
                    return [];
                }

                var selector = text[(i + 1)..end];
                current = [.. current.SelectMany(n => Select(n, selector))];
                i = end + 1;
            }
            else
            {
                return [];
            }
        }

        return current;
    }

    private static IEnumerable<JsonNode?> Select(JsonNode? node, string selector)
    {
        if (node is not JsonArray array)
        {
            yield break;
        }

        if (selector == "*")
        {
            foreach (var item in array)
            {
                yield return item;
            }
        }
        else if (int.TryParse(selector, out var index))
        {
            if (index < 0)
            {
                index += array.Count;
            }

            if (index >= 0 && index < array.Count)
            {
                yield return array[index];
            }
        }
        else if (selector.StartsWith("?(@.", StringComparison.Ordinal) && selector.EndsWith(')'))
        {
            var condition = selector[4..^1];
            var eq = condition.IndexOf("==", StringComparison.Ordinal);
            if (eq < 0)
            {
                yield break;
            }

            var field = condition[..eq].Trim();
            var expected = condition[(eq + 2)..].Trim().Trim('"', '\'');
            foreach (var item in array)
            {
                var value = Evaluate(item, "." + field).FirstOrDefault();
                if (value is JsonValue v && v.ToString() == expected)
                {
                    yield return item;
                }
            }
        }
    }
}
