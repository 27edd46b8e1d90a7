using System.Text.Json.Nodes;
using LabNet.CanaryController.Mesh;

namespace LabNet.CanaryController.Kubernetes;

/// <summary>Reads Istio VirtualService and DestinationRule wire objects into the decision core's mesh records.</summary>
public static class IstioObjects
{
    /// <summary>Stands for a match condition other than an exact header (uri, method, ...): such a route is never the weighted one.</summary>
    public const string OtherMatch = ":other-match";

    public static VirtualServiceInfo ToVirtualService(JsonObject wire)
    {
        var (ns, name) = Identity(wire);
        var spec = wire["spec"] as JsonObject;
        var hosts = (spec?["hosts"] as JsonArray)?.Select(h => h?.ToString() ?? "").ToList() ?? [];
        var routes = (spec?["http"] as JsonArray)?.Select(r => ToRoute(r as JsonObject)).ToList() ?? [];
        return new VirtualServiceInfo(ns, name, hosts, routes);
    }

    public static DestinationRuleInfo ToDestinationRule(JsonObject wire)
    {
        var (ns, name) = Identity(wire);
        var spec = wire["spec"] as JsonObject;
        var subsets = (spec?["subsets"] as JsonArray)?.Select(s => s?["name"]?.ToString() ?? "").ToList() ?? [];
        return new DestinationRuleInfo(ns, name, spec?["host"]?.ToString() ?? "", subsets);
    }

    /// <summary>The value of one label of a subset (e.g. its <c>version</c>), or null.</summary>
    public static string? SubsetLabel(JsonObject? destinationRule, string subset, string label) =>
        SubsetNode(destinationRule, subset)?["labels"]?[label]?.ToString();

    public static JsonObject? SubsetNode(JsonObject? destinationRule, string subset) =>
        (destinationRule?["spec"]?["subsets"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(s => s["name"]?.ToString() == subset);

    private static HttpRouteInfo ToRoute(JsonObject? route)
    {
        var matches = new List<HeaderMatchInfo>();
        foreach (var match in (route?["match"] as JsonArray)?.OfType<JsonObject>() ?? [])
        {
            foreach (var (key, value) in match)
            {
                if (key == "name")
                {
                    continue;
                }

                if (key == "headers" && value is JsonObject headers)
                {
                    foreach (var (header, condition) in headers)
                    {
                        matches.Add(condition?["exact"] is JsonValue exact && condition.AsObject().Count == 1
                            ? new HeaderMatchInfo(header, exact.ToString())
                            : new HeaderMatchInfo(OtherMatch, $"headers.{header}: {condition?.ToJsonString()}"));
                    }
                }
                else
                {
                    matches.Add(new HeaderMatchInfo(OtherMatch, $"{key}: {value?.ToJsonString()}"));
                }
            }
        }

        var destinations = (route?["route"] as JsonArray)?.OfType<JsonObject>().Select(d => new RouteDestinationInfo(
            d["destination"]?["host"]?.ToString() ?? "",
            d["destination"]?["subset"]?.ToString(),
            d["weight"] is JsonValue w && w.TryGetValue<int>(out var weight) ? weight : null)).ToList() ?? [];
        return new HttpRouteInfo(matches, destinations);
    }

    private static (string Namespace, string Name) Identity(JsonObject wire) =>
        (wire["metadata"]?["namespace"]?.ToString() ?? "default", wire["metadata"]?["name"]?.ToString() ?? "");
}
