using System.Text.Json.Nodes;

namespace LabNet.Simulator.Kubernetes;

/// <summary>The API server's HPA printer: REFERENCE, TARGETS (<c>cpu: 29%/50%</c>, <c>&lt;unknown&gt;</c> until measured), MINPODS, MAXPODS, REPLICAS.</summary>
public static class AutoscalerTable
{
    public static JsonNode?[] Cells(JsonObject hpa)
    {
        var spec = hpa["spec"];
        var status = hpa["status"];
        var reference = $"{spec?["scaleTargetRef"]?["kind"]}/{spec?["scaleTargetRef"]?["name"]}";
        var minPods = spec?["minReplicas"] is { } min ? ObjectFacts.Int(min).ToString(System.Globalization.CultureInfo.InvariantCulture) : "<unset>";
        return [reference, Targets(spec?["metrics"] as JsonArray, status?["currentMetrics"] as JsonArray), minPods,
            ObjectFacts.Int(spec?["maxReplicas"]), ObjectFacts.Int(status?["currentReplicas"])];
    }

    private static string Targets(JsonArray? specs, JsonArray? statuses)
    {
        if (specs is not { Count: > 0 })
        {
            return "<none>";
        }

        var list = new List<string>();
        for (var i = 0; i < specs.Count; i++)
        {
            var spec = specs[i];
            var resource = spec?["resource"];
            var current = i < (statuses?.Count ?? 0) ? statuses![i]?["resource"]?["current"] : null;
            var averageValue = resource?["target"]?["averageValue"];
            if (spec?["type"]?.GetValue<string>() != "Resource")
            {
                list.Add("<unknown type>");
            }
            else if (averageValue is not null)
            {
                var value = current?["averageValue"]?.ToString() ?? "<unknown>";
                list.Add($"{resource?["name"]}: {value}/{averageValue}");
            }
            else
            {
                var utilization = current?["averageUtilization"] is { } u ? $"{ObjectFacts.Int(u)}%" : "<unknown>";
                var target = resource?["target"]?["averageUtilization"] is { } t ? $"{ObjectFacts.Int(t)}%" : "<auto>";
                list.Add($"{resource?["name"]}: {utilization}/{target}");
            }
        }

        return list.Count > 2 ? $"{string.Join(", ", list.Take(2))} + {list.Count - 2} more..." : string.Join(", ", list);
    }
}
