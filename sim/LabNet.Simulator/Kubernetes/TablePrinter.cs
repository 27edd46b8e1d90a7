using System.Globalization;
using System.Text.Json.Nodes;

namespace LabNet.Simulator.Kubernetes;

/// <summary>
/// Server-side printing (<c>Accept: application/json;as=Table;v=v1;g=meta.k8s.io</c>): the columns and cells
/// <c>kubectl get</c> shows against a real cluster, wide columns marked with priority 1.
/// </summary>
public static class TablePrinter
{
    public static JsonObject Table(ResourceType type, IEnumerable<JsonObject> objects, string includeObject, DateTimeOffset now,
        string? resourceVersion, bool withHeaders = true)
    {
        var table = new JsonObject
        {
            ["kind"] = "Table",
            ["apiVersion"] = "meta.k8s.io/v1",
            ["metadata"] = resourceVersion is null ? new JsonObject() : new JsonObject { ["resourceVersion"] = resourceVersion },
        };
        if (withHeaders)
        {
            table["columnDefinitions"] = new JsonArray([.. type.PrinterColumns.Select(c => (JsonNode)new JsonObject
            {
                ["name"] = c.Name,
                ["type"] = c.Type == "date" ? "string" : c.Type,
                ["format"] = c.Format,
                ["description"] = c.Description,
                ["priority"] = c.Priority,
            })]);
        }

        table["rows"] = new JsonArray([.. objects.Select(o => (JsonNode)Row(type, o, includeObject, now))]);
        return table;
    }

    private static JsonObject Row(ResourceType type, JsonObject obj, string includeObject, DateTimeOffset now)
    {
        var row = new JsonObject { ["cells"] = new JsonArray([.. Cells(type, obj, now)]) };
        switch (includeObject)
        {
            case "None":
                break;
            case "Object":
                row["object"] = obj.DeepClone();
                break;
            default:
                row["object"] = new JsonObject
                {
                    ["kind"] = "PartialObjectMetadata",
                    ["apiVersion"] = "meta.k8s.io/v1",
                    ["metadata"] = obj["metadata"]?.DeepClone(),
                };
                break;
        }

        return row;
    }

    private static IEnumerable<JsonNode?> Cells(ResourceType type, JsonObject o, DateTimeOffset now)
    {
        if (!type.IsBuiltIn)
        {
            return type.PrinterColumns.Select(c => CustomCell(c, o, now));
        }

        string Age() => AgeOf(o, now);
        var name = ObjectFacts.Name(o);
        var spec = o["spec"];
        var status = o["status"];
        return type.Kind switch
        {
            "Namespace" => [name, Str(status?["phase"]), Age()],
            "Node" => NodeCells(o, name, Age()),
            "Pod" => PodCells(o, name, Age()),
            "Service" => ServiceCells(o, name, Age()),
            "Endpoints" => [name, EndpointsText(o), Age()],
            "ConfigMap" => [name, Count(o["data"]) + Count(o["binaryData"]), Age()],
            "Secret" => [name, Str(o["type"]), Count(o["data"]), Age()],
            "ServiceAccount" => [name, Count(o["secrets"]), Age()],
            "Event" => [AgeOfTime(o["lastTimestamp"] ?? o["eventTime"] ?? o["metadata"]?["creationTimestamp"], now), Str(o["type"]), Str(o["reason"]),
                $"{Str(o["involvedObject"]?["kind"]).ToLowerInvariant()}/{Str(o["involvedObject"]?["name"])}", Str(o["message"])],
            "Deployment" => [name, $"{ObjectFacts.Int(status?["readyReplicas"])}/{ObjectFacts.Int(spec?["replicas"], 1)}",
                ObjectFacts.Int(status?["updatedReplicas"]), ObjectFacts.Int(status?["availableReplicas"]), Age(),
                .. TemplateCells(spec)],
            "ReplicaSet" => [name, ObjectFacts.Int(spec?["replicas"], 1), ObjectFacts.Int(status?["replicas"]), ObjectFacts.Int(status?["readyReplicas"]), Age(),
                .. TemplateCells(spec)],
            "DaemonSet" => [name, ObjectFacts.Int(status?["desiredNumberScheduled"]), ObjectFacts.Int(status?["currentNumberScheduled"]),
                ObjectFacts.Int(status?["numberReady"]), ObjectFacts.Int(status?["updatedNumberScheduled"]), ObjectFacts.Int(status?["numberAvailable"]),
                spec?["template"]?["spec"]?["nodeSelector"] is JsonObject { Count: > 0 } ns ? string.Join(",", ns.Select(p => $"{p.Key}={p.Value}")) : "<none>",
                Age(), .. TemplateCells(spec)],
            "StatefulSet" => [name, $"{ObjectFacts.Int(status?["readyReplicas"])}/{ObjectFacts.Int(spec?["replicas"], 1)}", Age(), .. TemplateCells(spec).Take(2)],
            "CustomResourceDefinition" or "ClusterRole" or "Role" => [name, Str(o["metadata"]?["creationTimestamp"])],
            "ClusterRoleBinding" or "RoleBinding" => [name, $"{Str(o["roleRef"]?["kind"])}/{Str(o["roleRef"]?["name"])}", Age()],
            "NetworkPolicy" => [name, SelectorText(spec?["podSelector"]), Age()],
            "Lease" => [name, Str(spec?["holderIdentity"]), Age()],
            "PersistentVolumeClaim" => [name, Str(status?["phase"]), Age()],
            "HorizontalPodAutoscaler" => [name, .. AutoscalerTable.Cells(o), Age()],
            "APIService" => [name, ApiServiceTable.Service(o), ApiServiceTable.Available(o), Age()],
            _ => [name, Age()],
        };
    }

    private static JsonNode? CustomCell(PrinterColumn column, JsonObject obj, DateTimeOffset now)
    {
        var value = SimpleJsonPath.Evaluate(obj, column.JsonPath ?? ".metadata.name").FirstOrDefault();
        if (value is null)
        {
            return null;
        }

        return column.Type switch
        {
            "date" => AgeOfTime(value, now),
            "integer" or "number" or "boolean" when value is JsonValue => value.DeepClone(),
            _ => value is JsonValue v ? v.ToString() : value.ToJsonString(),
        };
    }

    private static JsonNode?[] NodeCells(JsonObject node, string name, string age)
    {
        // As kubectl's node printer: Ready=True is Ready, False or Unknown is NotReady, no Ready condition is Unknown.
        var ready = ObjectFacts.Condition(node, "Ready")?["status"]?.GetValue<string>() switch
        {
            "True" => "Ready",
            null => "Unknown",
            _ => "NotReady",
        };
        if (node["spec"]?["unschedulable"]?.GetValue<bool>() == true)
        {
            ready += ",SchedulingDisabled";
        }

        var roles = (node["metadata"]?["labels"] as JsonObject ?? [])
            .Select(p => p.Key.StartsWith("node-role.kubernetes.io/", StringComparison.Ordinal) ? p.Key["node-role.kubernetes.io/".Length..]
                : p.Key == "kubernetes.io/role" ? p.Value?.GetValue<string>() : null)
            .Where(r => !string.IsNullOrEmpty(r)).Order(StringComparer.Ordinal).ToList();
        var info = node["status"]?["nodeInfo"];
        string Address(string kind) => string.Join(",", (node["status"]?["addresses"] as JsonArray ?? []).OfType<JsonObject>()
            .Where(a => a["type"]?.GetValue<string>() == kind).Select(a => a["address"]?.GetValue<string>())) is { Length: > 0 } s ? s : "<none>";
        string Info(string field) => info?[field]?.GetValue<string>() is { Length: > 0 } s ? s : "<unknown>";
        return [name, ready, roles.Count == 0 ? "<none>" : string.Join(",", roles), age, Str(info?["kubeletVersion"]),
            Address("InternalIP"), Address("ExternalIP"), Info("osImage"), Info("kernelVersion"), Info("containerRuntimeVersion")];
    }

    private static JsonNode?[] PodCells(JsonObject pod, string name, string age)
    {
        var containers = pod["spec"]?["containers"] as JsonArray ?? [];
        var statuses = (pod["status"]?["containerStatuses"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        var ready = statuses.Count(s => s["ready"]?.GetValue<bool>() == true);
        var restarts = statuses.Sum(s => ObjectFacts.Int(s["restartCount"]));
        var reason = pod["status"]?["reason"]?.GetValue<string>() ?? pod["status"]?["phase"]?.GetValue<string>() ?? "Pending";
        foreach (var status in statuses)
        {
            if (status["state"]?["waiting"]?["reason"]?.GetValue<string>() is { Length: > 0 } waiting)
            {
                reason = waiting;
            }
            else if (status["state"]?["terminated"]?["reason"]?.GetValue<string>() is { Length: > 0 } terminated)
            {
                reason = terminated;
            }
        }

        if (pod["metadata"]?["deletionTimestamp"] is not null)
        {
            reason = "Terminating";
        }

        string OrNone(JsonNode? n) => n?.GetValue<string>() is { Length: > 0 } s ? s : "<none>";
        return [name, $"{ready}/{containers.Count}", reason, restarts, age, OrNone(pod["status"]?["podIP"]), OrNone(pod["spec"]?["nodeName"]),
            OrNone(pod["status"]?["nominatedNodeName"]), "<none>"];
    }

    private static JsonNode?[] ServiceCells(JsonObject service, string name, string age)
    {
        var spec = service["spec"];
        var type = spec?["type"]?.GetValue<string>() ?? "ClusterIP";
        var externalIps = (spec?["externalIPs"] as JsonArray ?? []).Select(i => i?.GetValue<string>()).ToList();
        var external = type switch
        {
            "ExternalName" => spec?["externalName"]?.GetValue<string>() ?? "<none>",
            "LoadBalancer" => (service["status"]?["loadBalancer"]?["ingress"] as JsonArray ?? []).Select(i => i?["ip"]?.GetValue<string>() ?? i?["hostname"]?.GetValue<string>())
                .Concat(externalIps).ToList() is { Count: > 0 } lb ? string.Join(",", lb) : "<pending>",
            _ => externalIps.Count > 0 ? string.Join(",", externalIps) : "<none>",
        };
        var ports = (spec?["ports"] as JsonArray ?? []).OfType<JsonObject>().Select(p =>
            p["nodePort"] is JsonNode nodePort
                ? $"{p["port"]}:{nodePort}/{Str(p["protocol"])}"
                : $"{p["port"]}/{Str(p["protocol"])}").ToList();
        return [name, type, spec?["clusterIP"]?.GetValue<string>() is { Length: > 0 } ip ? ip : "<none>", external,
            ports.Count == 0 ? "<none>" : string.Join(",", ports), age,
            spec?["selector"] is JsonObject { Count: > 0 } selector ? string.Join(",", selector.Select(p => $"{p.Key}={p.Value}")) : "<none>"];
    }

    private static IEnumerable<JsonNode?> TemplateCells(JsonNode? spec)
    {
        var containers = (spec?["template"]?["spec"]?["containers"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        yield return string.Join(",", containers.Select(c => Str(c["name"])));
        yield return string.Join(",", containers.Select(c => Str(c["image"])));
        yield return SelectorText(spec?["selector"]);
    }

    private static string SelectorText(JsonNode? selector)
    {
        var text = LabelSelector.FromJson(selector).ToString();
        return text.Length == 0 ? (selector is null ? "<none>" : "<none>") : text;
    }

    private static string EndpointsText(JsonObject endpoints)
    {
        var all = (endpoints["subsets"] as JsonArray ?? []).OfType<JsonObject>().SelectMany(s =>
            (s["addresses"] as JsonArray ?? []).SelectMany(a => (s["ports"] as JsonArray ?? []).Select(p => $"{a?["ip"]}:{p?["port"]}"))).ToList();
        if (all.Count == 0)
        {
            return "<none>";
        }

        return all.Count <= 3 ? string.Join(",", all) : string.Join(",", all.Take(3)) + $" + {all.Count - 3} more...";
    }

    private static int Count(JsonNode? node) => node switch
    {
        JsonObject o => o.Count,
        JsonArray a => a.Count,
        _ => 0,
    };

    private static string Str(JsonNode? node) => node is JsonValue v ? v.ToString() : "";

    private static string AgeOf(JsonObject obj, DateTimeOffset now) => AgeOfTime(obj["metadata"]?["creationTimestamp"], now);

    private static string AgeOfTime(JsonNode? timestamp, DateTimeOffset now) =>
        timestamp is JsonValue v && DateTimeOffset.TryParse(v.ToString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t)
            ? HumanDuration.Format(now - t)
            : "<unknown>";
}
