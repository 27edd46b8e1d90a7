using System.Text.Json.Nodes;

namespace LabNet.Simulator.Kubernetes;

/// <summary>kube-aggregator's APIService printer: SERVICE (<c>namespace/name</c> or <c>Local</c>) and AVAILABLE (<c>True</c>, or <c>False (Reason)</c>).</summary>
public static class ApiServiceTable
{
    public static string Service(JsonObject apiService) =>
        apiService["spec"]?["service"] is JsonObject service ? $"{service["namespace"]}/{service["name"]}" : "Local";

    public static string Available(JsonObject apiService)
    {
        var condition = (apiService["status"]?["conditions"] as JsonArray ?? []).OfType<JsonObject>()
            .FirstOrDefault(c => c["type"]?.GetValue<string>() == "Available");
        return condition?["status"]?.GetValue<string>() switch
        {
            null => "Unknown",
            "True" => "True",
            var s => $"{s} ({condition["reason"]})",
        };
    }
}
