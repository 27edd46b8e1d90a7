using System.Text.Json.Nodes;

namespace LabNet.Simulator.Kubernetes;

/// <summary>The endpoints controller: for every Service with a selector, an Endpoints object with its pods' IPs (ready and not ready).</summary>
internal sealed class EndpointsController(ClusterApi cluster)
{
    public void Reconcile(string ns)
    {
        var services = cluster.Catalog.FindByPlural("", "v1", "services")!;
        var endpoints = cluster.Catalog.FindByPlural("", "v1", "endpoints")!;
        var pods = cluster.Catalog.FindByPlural("", "v1", "pods")!;
        var nsPods = cluster.Store.List(pods.StorageKey, ns, p => p["status"]?["podIP"] is not null).Items;
        foreach (var service in cluster.Store.List(services.StorageKey, ns).Items)
        {
            if (service["spec"]?["selector"] is not JsonObject { Count: > 0 } selector)
            {
                continue;
            }

            var matching = nsPods.Where(LabelSelector.FromMap(selector).MatchesObject).OrderBy(ObjectFacts.Name, StringComparer.Ordinal).ToList();
            var subsets = new JsonArray();
            if (matching.Count > 0)
            {
                var subset = new JsonObject();
                var ready = matching.Where(ObjectFacts.IsPodReady).Select(Address).ToList();
                var notReady = matching.Where(p => !ObjectFacts.IsPodReady(p)).Select(Address).ToList();
                if (ready.Count > 0)
                {
                    subset["addresses"] = new JsonArray([.. ready]);
                }

                if (notReady.Count > 0)
                {
                    subset["notReadyAddresses"] = new JsonArray([.. notReady]);
                }

                subset["ports"] = new JsonArray([.. (service["spec"]!["ports"] as JsonArray ?? []).OfType<JsonObject>().Select(p => Port(p, matching[0]))]);
                subsets.Add(subset);
            }

            var name = ObjectFacts.Name(service);
            var desired = new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "Endpoints",
                ["metadata"] = new JsonObject
                {
                    ["name"] = name,
                    ["namespace"] = ns,
                    ["labels"] = service["metadata"]?["labels"]?.DeepClone(),
                },
            };
            if (subsets.Count > 0)
            {
                desired["subsets"] = subsets;
            }

            if (cluster.Store.Get(endpoints.StorageKey, ns, name) is null)
            {
                cluster.CreateTrusted(endpoints, ns, desired);
                continue;
            }

            cluster.Mutate(endpoints, ns, name, current =>
            {
                if (JsonNode.DeepEquals(current["subsets"], desired["subsets"]))
                {
                    return false;
                }

                current.Remove("subsets");
                if (desired["subsets"] is JsonNode s)
                {
                    current["subsets"] = s.DeepClone();
                }

                return true;
            });
        }
    }

    private static JsonNode Address(JsonObject pod) => new JsonObject
    {
        ["ip"] = pod["status"]!["podIP"]!.DeepClone(),
        ["nodeName"] = pod["spec"]?["nodeName"]?.DeepClone(),
        ["targetRef"] = new JsonObject
        {
            ["kind"] = "Pod",
            ["name"] = ObjectFacts.Name(pod),
            ["namespace"] = ObjectFacts.Namespace(pod),
            ["uid"] = ObjectFacts.Uid(pod),
        },
    };

    private static JsonNode Port(JsonObject servicePort, JsonObject pod)
    {
        var target = servicePort["targetPort"] ?? servicePort["port"];
        var number = ObjectFacts.IsNumber(target)
            ? ObjectFacts.Int(target)
            : (pod["spec"]?["containers"] as JsonArray ?? []).SelectMany(c => c?["ports"] as JsonArray ?? [])
                .FirstOrDefault(p => p?["name"]?.GetValue<string>() == target?.GetValue<string>())?["containerPort"] is { } containerPort ? ObjectFacts.Int(containerPort) : 0;
        var port = new JsonObject();
        if (servicePort["name"] is JsonNode name)
        {
            port["name"] = name.DeepClone();
        }

        port["port"] = number;
        port["protocol"] = servicePort["protocol"]?.DeepClone() ?? "TCP";
        return port;
    }
}
