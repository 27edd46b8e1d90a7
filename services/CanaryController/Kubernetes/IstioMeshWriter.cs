using System.Net;
using System.Text.Json.Nodes;
using LabNet.CanaryController.Resources;
using LabNet.CanaryController.Rollout;
using LabNet.CanaryController.Serialization;
using LabNet.Durations;

namespace LabNet.CanaryController.Kubernetes;

/// <summary>
/// Applies the core's traffic actions to Istio objects with JSON patches that touch only what the Canary owns: the two
/// weights of the weighted route, and <c>trafficPolicy.outlierDetection</c> of the canary subset. Each patch starts
/// with a <c>test</c> of the resourceVersion it was computed from, so a concurrent edit is never overwritten: the
/// object is read again and the patch recomputed.
/// </summary>
public sealed partial class IstioMeshWriter(CanaryCluster cluster, ILogger logger)
{
    private const int Attempts = 3;

    /// <summary>Applies one action; false (with a log line saying why) when it was refused or failed.</summary>
    public Task<bool> ApplyAsync(CanaryTarget target, CanaryAction action, CancellationToken cancellationToken) => action switch
    {
        SetRouteWeights weights => PatchAsync(weights.Namespace, ApiCoordinates.VirtualServices, weights.VirtualService, vs => WeightsPatch(vs, target, weights.Weights), cancellationToken),
        SetSubsetOutlierDetection set => PatchAsync(set.Namespace, ApiCoordinates.DestinationRules, set.DestinationRule, dr => OutlierPatch(dr, set.Subset, ToWire(set.Settings)), cancellationToken),
        RestoreSubsetOutlierDetection restore => PatchAsync(restore.Namespace, ApiCoordinates.DestinationRules, restore.DestinationRule, dr => OutlierPatch(dr, restore.Subset, null), cancellationToken),
        _ => Task.FromResult(true),
    };

    /// <summary>Istio's outlierDetection fields, durations as Istio writes them (5s, 5m).</summary>
    public static JsonObject ToWire(OutlierDetectionSettings settings) => new()
    {
        ["consecutive5xxErrors"] = settings.Consecutive5xxErrors,
        ["interval"] = GoDuration.Format(settings.Interval),
        ["baseEjectionTime"] = GoDuration.Format(settings.BaseEjectionTime),
        ["maxEjectionPercent"] = settings.MaxEjectionPercent,
    };

    private async Task<bool> PatchAsync(string @namespace, string plural, string name, Func<JsonObject, PatchPlan> plan, CancellationToken cancellationToken)
    {
        for (var attempt = 1; attempt <= Attempts; attempt++)
        {
            var current = await cluster.GetIstioAsync(@namespace, plural, name, cancellationToken);
            if (current is null)
            {
                LogRefused(plural, @namespace, name, "it does not exist");
                return false;
            }

            var planned = plan(current);
            if (planned.Refusal is { } refusal)
            {
                LogRefused(plural, @namespace, name, refusal);
                return false;
            }

            if (planned.Operations.Count == 0)
            {
                return true; // already as wanted
            }

            var patch = new JsonArray(new JsonObject { ["op"] = "test", ["path"] = "/metadata/resourceVersion", ["value"] = current["metadata"]?["resourceVersion"]?.ToString() });
            foreach (var operation in planned.Operations)
            {
                patch.Add(operation);
            }

            try
            {
                await cluster.PatchIstioAsync(@namespace, plural, name, patch, cancellationToken);
                LogPatched(plural, @namespace, name, planned.Description);
                return true;
            }
            catch (Exception e) when (KubernetesErrors.Is(e, HttpStatusCode.UnprocessableEntity) || KubernetesErrors.Is(e, HttpStatusCode.Conflict))
            {
                // The object changed between the read and the patch (the test op failed): read it again.
                LogChangedConcurrently(plural, @namespace, name, attempt);
            }
        }

        LogRefused(plural, @namespace, name, $"it kept changing during {Attempts} attempts");
        return false;
    }

    private static PatchPlan WeightsPatch(JsonObject virtualService, CanaryTarget target, RouteWeights weights)
    {
        if (weights.StableWeight + weights.CanaryWeight != 100 || weights.CanaryWeight is < 0 or > 100)
        {
            return PatchPlan.Refuse($"weights {weights} are not integers in 0..100 summing to 100");
        }

        var info = IstioObjects.ToVirtualService(virtualService);
        var route = info.FindWeightedRoute(target.Service, target.Namespace, target.StableSubset, target.CanarySubset);
        var routeIndex = -1;
        for (var i = 0; i < info.HttpRoutes.Count; i++)
        {
            if (ReferenceEquals(info.HttpRoutes[i], route))
            {
                routeIndex = i;
            }
        }

        if (routeIndex < 0)
        {
            return PatchPlan.Refuse($"it has no route without a match that sends {target.Service} to both subsets {target.StableSubset} and {target.CanarySubset}");
        }

        var destinations = route!.Destinations;
        var stableIndex = IndexOf(destinations, target, target.StableSubset);
        var canaryIndex = IndexOf(destinations, target, target.CanarySubset);
        if (destinations.Count != 2)
        {
            // With a third destination the two weights the Canary owns could not sum to 100.
            return PatchPlan.Refuse($"its weighted route (http[{routeIndex}]) has {destinations.Count} destinations; the Canary owns a route with exactly {target.StableSubset} and {target.CanarySubset}");
        }

        var operations = new List<JsonNode>();
        if (destinations[stableIndex].Weight != weights.StableWeight || destinations[canaryIndex].Weight != weights.CanaryWeight)
        {
            operations.Add(Add($"/spec/http/{routeIndex}/route/{stableIndex}/weight", weights.StableWeight));
            operations.Add(Add($"/spec/http/{routeIndex}/route/{canaryIndex}/weight", weights.CanaryWeight));
        }

        return new PatchPlan(operations, null, $"http[{routeIndex}] weights {weights}");
    }

    private static PatchPlan OutlierPatch(JsonObject destinationRule, string subset, JsonObject? wanted)
    {
        var subsets = destinationRule["spec"]?["subsets"] as JsonArray;
        var index = subsets?.Select((s, i) => (s, i)).FirstOrDefault(p => p.s?["name"]?.ToString() == subset, (null, -1)).i ?? -1;
        if (index < 0)
        {
            return PatchPlan.Refuse($"it has no subset {subset}");
        }

        var trafficPolicy = subsets![index]!["trafficPolicy"] as JsonObject;
        var existing = trafficPolicy?["outlierDetection"];
        var path = $"/spec/subsets/{index}/trafficPolicy";
        if (wanted is null)
        {
            if (existing is null)
            {
                return new PatchPlan([], null, "");
            }

            // The subset keeps any other policy it has (tls, connectionPool); an emptied trafficPolicy goes away.
            return new PatchPlan([new JsonObject { ["op"] = "remove", ["path"] = trafficPolicy!.Count == 1 ? path : $"{path}/outlierDetection" }], null, $"subset {subset} outlierDetection restored to the rule's");
        }

        if (existing is not null && JsonNode.DeepEquals(existing, wanted))
        {
            return new PatchPlan([], null, "");
        }

        var operation = trafficPolicy is null
            ? Add(path, new JsonObject { ["outlierDetection"] = wanted.DeepClone() })
            : Add($"{path}/outlierDetection", wanted.DeepClone());
        return new PatchPlan([operation], null, $"subset {subset} outlierDetection {wanted.ToJsonString()}");
    }

    private static int IndexOf(IReadOnlyList<Mesh.RouteDestinationInfo> destinations, CanaryTarget target, string subset)
    {
        for (var i = 0; i < destinations.Count; i++)
        {
            if (destinations[i].Subset == subset && Mesh.ServiceHost.Matches(destinations[i].Host, target.Service, target.Namespace))
            {
                return i;
            }
        }

        return -1;
    }

    private static JsonObject Add(string path, JsonNode value) => new() { ["op"] = "add", ["path"] = path, ["value"] = value };

    private sealed record PatchPlan(IReadOnlyList<JsonNode> Operations, string? Refusal, string Description)
    {
        public static PatchPlan Refuse(string why) => new([], why, "");
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Not changing {Plural} {Namespace}/{Name}: {Reason}.")]
    private partial void LogRefused(string plural, string @namespace, string name, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Patched {Plural} {Namespace}/{Name}: {Change}.")]
    private partial void LogPatched(string plural, string @namespace, string name, string change);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Plural} {Namespace}/{Name} changed while patching (attempt {Attempt}); reading it again.")]
    private partial void LogChangedConcurrently(string plural, string @namespace, string name, int attempt);
}
