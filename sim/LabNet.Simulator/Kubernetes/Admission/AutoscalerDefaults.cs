using System.Text.Json.Nodes;

namespace LabNet.Simulator.Kubernetes;

/// <summary>
/// HorizontalPodAutoscaler defaults (<c>pkg/apis/autoscaling/v2/defaults.go</c>): minReplicas 1, CPU at 80% when no
/// metric is given, and a behavior that is given gets every missing rule filled in (scale up at once by up to 4 pods
/// or 100% per 15 s, scale down after a 300 s window by up to 100% per 15 s).
/// </summary>
internal static class AutoscalerDefaults
{
    public const int DefaultCpuUtilization = 80;

    public static void Apply(string version, JsonObject spec)
    {
        spec["minReplicas"] ??= 1;
        if (version == "v1")
        {
            return;
        }

        if (spec["metrics"] is not JsonArray { Count: > 0 })
        {
            spec["metrics"] = new JsonArray(new JsonObject
            {
                ["type"] = "Resource",
                ["resource"] = new JsonObject
                {
                    ["name"] = "cpu",
                    ["target"] = new JsonObject { ["type"] = "Utilization", ["averageUtilization"] = DefaultCpuUtilization },
                },
            });
        }

        if (spec["behavior"] is JsonObject behavior)
        {
            behavior["scaleUp"] = Rules(behavior["scaleUp"] as JsonObject, ScaleUp());
            behavior["scaleDown"] = Rules(behavior["scaleDown"] as JsonObject, ScaleDown());
        }
    }

    /// <summary>The rules the controller uses when a direction has none (also what the API server writes).</summary>
    public static JsonObject ScaleUp() => new()
    {
        ["stabilizationWindowSeconds"] = 0,
        ["selectPolicy"] = "Max",
        ["policies"] = new JsonArray(
            new JsonObject { ["type"] = "Pods", ["value"] = 4, ["periodSeconds"] = 15 },
            new JsonObject { ["type"] = "Percent", ["value"] = 100, ["periodSeconds"] = 15 }),
    };

    public static JsonObject ScaleDown() => new()
    {
        ["stabilizationWindowSeconds"] = 300,
        ["selectPolicy"] = "Max",
        ["policies"] = new JsonArray(new JsonObject { ["type"] = "Percent", ["value"] = 100, ["periodSeconds"] = 15 }),
    };

    private static JsonObject Rules(JsonObject? given, JsonObject defaults)
    {
        if (given is null)
        {
            return defaults;
        }

        given["stabilizationWindowSeconds"] ??= defaults["stabilizationWindowSeconds"]!.DeepClone();
        given["selectPolicy"] ??= defaults["selectPolicy"]!.DeepClone();
        given["policies"] ??= defaults["policies"]!.DeepClone();
        return given;
    }
}
