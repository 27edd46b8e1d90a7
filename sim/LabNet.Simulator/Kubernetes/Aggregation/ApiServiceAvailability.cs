using System.Text.Json.Nodes;

namespace LabNet.Simulator.Kubernetes;

/// <summary>
/// kube-aggregator's availability controller for one cluster: an APIService with a <c>service</c> is Available when
/// that Service exists and its Endpoints have a ready address, and its API (when a provider knows the server behind
/// it) is put in or taken out of the cluster's discovery with the APIService. Local APIServices are always Available.
/// </summary>
public sealed class ApiServiceAvailability(ClusterApi cluster, IEnumerable<IAggregatedApiProvider> providers)
{
    private readonly Dictionary<string, AggregatedApi> _registered = new(StringComparer.Ordinal);

    public void Reconcile()
    {
        var type = cluster.Catalog.FindByKind("apiregistration.k8s.io/v1", "APIService");
        if (type is null)
        {
            return;
        }

        var present = new HashSet<string>(StringComparer.Ordinal);
        foreach (var apiService in cluster.Store.List(type.StorageKey, null).Items)
        {
            var name = ObjectFacts.Name(apiService);
            present.Add(name);
            var (available, reason, message) = Check(apiService);
            if (!_registered.TryGetValue(name, out var backend)
                && providers.Select(p => p.Create(cluster, name)).FirstOrDefault(b => b is not null) is { } created)
            {
                _registered[name] = backend = created;
                cluster.Catalog.SetAggregated(name, created.Resources);
            }

            if (backend is not null)
            {
                backend.Available = available;
            }

            cluster.Mutate(type, null, name, obj => SetCondition(obj, available, reason, message));
        }

        foreach (var gone in _registered.Keys.Where(n => !present.Contains(n)).ToList())
        {
            _registered[gone].Available = false;
            _registered.Remove(gone);
            cluster.Catalog.SetAggregated(gone, null);
        }
    }

    private (bool Available, string Reason, string Message) Check(JsonObject apiService)
    {
        if (apiService["spec"]?["service"] is not JsonObject service)
        {
            return (true, "Local", "Local APIServices are always available");
        }

        var ns = service["namespace"]?.GetValue<string>() ?? "";
        var name = service["name"]?.GetValue<string>() ?? "";
        if (cluster.Store.Get("services.", ns, name) is null)
        {
            return (false, "ServiceNotFound", $"service/{name} in \"{ns}\" is not present");
        }

        var endpoints = cluster.Store.Get("endpoints.", ns, name);
        var ready = (endpoints?["subsets"] as JsonArray ?? []).OfType<JsonObject>().Any(s => s["addresses"] is JsonArray { Count: > 0 });
        return ready
            ? (true, "Passed", "all checks passed")
            : (false, "MissingEndpoints", $"endpoints for service/{name} in \"{ns}\" have no addresses with port name \"https\"");
    }

    private bool SetCondition(JsonObject apiService, bool available, string reason, string message)
    {
        var status = apiService["status"] as JsonObject ?? new JsonObject();
        var current = (status["conditions"] as JsonArray ?? []).OfType<JsonObject>().FirstOrDefault(c => c["type"]?.GetValue<string>() == "Available");
        var wanted = available ? "True" : "False";
        if (current?["status"]?.GetValue<string>() == wanted && current["reason"]?.GetValue<string>() == reason && current["message"]?.GetValue<string>() == message)
        {
            return false;
        }

        status["conditions"] = new JsonArray(new JsonObject
        {
            ["type"] = "Available",
            ["status"] = wanted,
            ["lastTransitionTime"] = current?["status"]?.GetValue<string>() == wanted ? current["lastTransitionTime"]?.DeepClone() : cluster.Now(),
            ["reason"] = reason,
            ["message"] = message,
        });
        apiService["status"] = status;
        return true;
    }
}
