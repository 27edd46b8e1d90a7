using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace LabNet.Simulator.Kubernetes;

/// <summary>
/// What the apiserver's registry strategies do to an object before it is stored: defaulting (so <c>-o yaml</c> shows
/// what a real cluster shows), name rules, and the validations a person is likely to hit.
/// </summary>
internal static partial class AdmissionRules
{
    private const string Rfc1123SubdomainMessage =
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

    private const string Rfc1123LabelMessage =
        "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

    private const string Rfc1035LabelMessage =
        "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex Subdomain();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Label();

    [GeneratedRegex("^[a-z]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Rfc1035Label();

    public static void ValidateName(ResourceType type, string name)
    {
        var (regex, message, max) = type.Kind switch
        {
            "Namespace" => (Label(), Rfc1123LabelMessage, 63),
            "Service" when type.IsBuiltIn => (Rfc1035Label(), Rfc1035LabelMessage, 63),
            _ => (Subdomain(), Rfc1123SubdomainMessage, 253),
        };
        if (!regex.IsMatch(name) || name.Length > max)
        {
            throw KubernetesApiException.Invalid(type, name, FieldError.InvalidValue("metadata.name", $"\"{name}\"", message));
        }
    }

    /// <summary>Fills in the fields the real registry defaults.</summary>
    public static void Default(ClusterApi cluster, ResourceType type, JsonObject obj, JsonObject? existing)
    {
        if (!type.IsBuiltIn)
        {
            return;
        }

        var metadata = (JsonObject)obj["metadata"]!;
        switch (type.Kind)
        {
            case "Namespace":
                Labels(metadata)["kubernetes.io/metadata.name"] = metadata["name"]!.GetValue<string>();
                Obj(obj, "spec")["finalizers"] ??= new JsonArray("kubernetes");
                Obj(obj, "status")["phase"] ??= "Active";
                break;
            case "Pod":
                DefaultPodSpec(Obj(obj, "spec"));
                Obj(obj, "spec")["serviceAccountName"] ??= "default";
                Obj(obj, "spec")["serviceAccount"] ??= obj["spec"]!["serviceAccountName"]!.GetValue<string>();
                Obj(obj, "spec")["enableServiceLinks"] ??= true;
                Obj(obj, "spec")["preemptionPolicy"] ??= "PreemptLowerPriority";
                Obj(obj, "spec")["priority"] ??= 0;
                Obj(obj, "spec")["tolerations"] ??= new JsonArray(
                    Toleration("node.kubernetes.io/not-ready"), Toleration("node.kubernetes.io/unreachable"));
                if (existing is null)
                {
                    Obj(obj, "status")["phase"] ??= "Pending";
                    Obj(obj, "status")["qosClass"] ??= "BestEffort";
                }

                break;
            case "Deployment":
            {
                var spec = Obj(obj, "spec");
                spec["replicas"] ??= 1;
                spec["revisionHistoryLimit"] ??= 10;
                spec["progressDeadlineSeconds"] ??= 600;
                var strategy = Obj(spec, "strategy");
                strategy["type"] ??= "RollingUpdate";
                if (strategy["type"]!.GetValue<string>() == "RollingUpdate")
                {
                    var rolling = Obj(strategy, "rollingUpdate");
                    rolling["maxUnavailable"] ??= "25%";
                    rolling["maxSurge"] ??= "25%";
                }

                DefaultTemplate(spec);
                break;
            }

            case "ReplicaSet":
            case "StatefulSet":
                Obj(obj, "spec")["replicas"] ??= 1;
                DefaultTemplate(Obj(obj, "spec"));
                break;
            case "DaemonSet":
                DefaultTemplate(Obj(obj, "spec"));
                break;
            case "Secret":
                obj["type"] ??= "Opaque";
                if (obj["stringData"] is JsonObject stringData)
                {
                    var data = Obj(obj, "data");
                    foreach (var (key, value) in stringData)
                    {
                        data[key] = Convert.ToBase64String(Encoding.UTF8.GetBytes(value?.GetValue<string>() ?? ""));
                    }

                    obj.Remove("stringData");
                }

                break;
            case "Service":
                DefaultService(cluster, obj, existing);
                break;
        }
    }

    /// <summary>Rejects what the real validation rejects (422), for the mistakes people make in manifests.</summary>
    public static void Validate(ResourceType type, JsonObject obj, JsonObject? existing)
    {
        var name = obj["metadata"]!["name"]!.GetValue<string>();
        var errors = new List<FieldError>();
        switch (type.Kind)
        {
            case "Deployment" or "ReplicaSet" or "DaemonSet" or "StatefulSet" when type.IsBuiltIn:
            {
                var spec = obj["spec"] as JsonObject;
                if (ObjectFacts.IsNumber(spec?["replicas"]) && ObjectFacts.Int(spec?["replicas"]) < 0)
                {
                    errors.Add(FieldError.InvalidValue("spec.replicas", ObjectFacts.Int(spec?["replicas"]).ToString(System.Globalization.CultureInfo.InvariantCulture), "must be greater than or equal to 0"));
                }

                var selector = spec?["selector"];
                var labels = spec?["template"]?["metadata"]?["labels"] as JsonObject;
                if (selector is null)
                {
                    errors.Add(FieldError.Required("spec.selector"));
                }
                else if (LabelSelector.FromJson(selector) is var parsed && (parsed.IsEverything || !parsed.Matches(labels)))
                {
                    errors.Add(parsed.IsEverything
                        ? FieldError.InvalidValue("spec.selector", "v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}", "empty selector is invalid for deployment")
                        : FieldError.InvalidValue("spec.template.metadata.labels", GoMap(labels), "`selector` does not match template `labels`"));
                }

                if (type.Kind == "Deployment" && spec?["strategy"]?["type"]?.GetValue<string>() == "Recreate" && spec["strategy"]?["rollingUpdate"] is not null)
                {
                    errors.Add(new FieldError("spec.strategy.rollingUpdate", "FieldValueForbidden",
                        "Forbidden: may not be specified when strategy `type` is 'Recreate'"));
                }

                if (existing is not null && type.Kind == "Deployment" && !JsonNode.DeepEquals(existing["spec"]?["selector"], selector))
                {
                    errors.Add(FieldError.InvalidValue("spec.selector", GoSelector(selector), "field is immutable"));
                }

                ValidateContainers(spec?["template"]?["spec"], "spec.template.spec", errors);
                break;
            }

            case "Pod" when type.IsBuiltIn:
                ValidateContainers(obj["spec"], "spec", errors);
                break;
            case "Service" when type.IsBuiltIn:
            {
                var spec = obj["spec"] as JsonObject;
                var serviceType = spec?["type"]?.GetValue<string>() ?? "ClusterIP";
                string[] supported = ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"];
                if (!supported.Contains(serviceType))
                {
                    errors.Add(FieldError.NotSupported("spec.type", serviceType, supported));
                }

                if (serviceType != "ExternalName" && spec?["ports"] is not JsonArray { Count: > 0 })
                {
                    errors.Add(FieldError.Required("spec.ports"));
                }

                var index = 0;
                foreach (var port in (spec?["ports"] as JsonArray ?? []).OfType<JsonObject>())
                {
                    var number = ObjectFacts.Int(port["port"]);
                    if (number is < 1 or > 65535)
                    {
                        errors.Add(FieldError.InvalidValue($"spec.ports[{index}].port", number.ToString(System.Globalization.CultureInfo.InvariantCulture), "must be between 1 and 65535, inclusive"));
                    }

                    index++;
                }

                if (existing is not null && existing["spec"]?["clusterIP"]?.GetValue<string>() is { } oldIp && spec?["clusterIP"]?.GetValue<string>() != oldIp)
                {
                    errors.Add(FieldError.InvalidValue("spec.clusterIPs[0]", $"\"{spec?["clusterIP"]}\"", "may not change once set"));
                }

                break;
            }

            case "CustomResourceDefinition":
                ValidateCrd(obj, name, errors);
                break;
        }

        if (errors.Count > 0)
        {
            throw KubernetesApiException.Invalid(type, name, [.. errors]);
        }
    }

    private static void ValidateCrd(JsonObject crd, string name, List<FieldError> errors)
    {
        var spec = crd["spec"] as JsonObject;
        var group = spec?["group"]?.GetValue<string>();
        var plural = spec?["names"]?["plural"]?.GetValue<string>();
        if (string.IsNullOrEmpty(group))
        {
            errors.Add(FieldError.Required("spec.group"));
        }

        if (string.IsNullOrEmpty(plural))
        {
            errors.Add(FieldError.Required("spec.names.plural"));
        }

        if (string.IsNullOrEmpty(spec?["names"]?["kind"]?.GetValue<string>()))
        {
            errors.Add(FieldError.Required("spec.names.kind"));
        }

        if (group is not null && plural is not null && name != $"{plural}.{group}")
        {
            errors.Add(FieldError.InvalidValue("metadata.name", $"\"{name}\"", "must be spec.names.plural+\".\"+spec.group"));
        }

        var scope = spec?["scope"]?.GetValue<string>();
        if (scope is not ("Namespaced" or "Cluster"))
        {
            errors.Add(FieldError.NotSupported("spec.scope", scope ?? "", ["Cluster", "Namespaced"]));
        }

        var versions = spec?["versions"] as JsonArray ?? [];
        if (versions.Count == 0)
        {
            errors.Add(FieldError.Required("spec.versions", "must have exactly one version marked as storage version"));
        }
        else if (versions.Count(v => v?["storage"]?.GetValue<bool>() == true) != 1)
        {
            errors.Add(FieldError.InvalidValue("spec.versions", GoVersions(versions), "must have exactly one version marked as storage version"));
        }
    }

    private static void ValidateContainers(JsonNode? podSpec, string path, List<FieldError> errors)
    {
        if (podSpec?["containers"] is not JsonArray { Count: > 0 } containers)
        {
            errors.Add(FieldError.Required($"{path}.containers"));
            return;
        }

        var names = new HashSet<string>();
        for (var i = 0; i < containers.Count; i++)
        {
            var container = containers[i];
            var containerName = container?["name"]?.GetValue<string>();
            if (string.IsNullOrEmpty(containerName))
            {
                errors.Add(FieldError.Required($"{path}.containers[{i}].name"));
            }
            else if (!names.Add(containerName))
            {
                errors.Add(FieldError.Duplicate($"{path}.containers[{i}].name", $"\"{containerName}\""));
            }

            if (string.IsNullOrEmpty(container?["image"]?.GetValue<string>()))
            {
                errors.Add(FieldError.Required($"{path}.containers[{i}].image"));
            }
        }
    }

    private static void DefaultService(ClusterApi cluster, JsonObject obj, JsonObject? existing)
    {
        var spec = Obj(obj, "spec");
        spec["type"] ??= "ClusterIP";
        var serviceType = spec["type"]!.GetValue<string>();
        spec["sessionAffinity"] ??= "None";
        if (serviceType == "ExternalName")
        {
            return;
        }

        if (existing?["spec"] is JsonObject old)
        {
            // Like the real registry: an update that leaves the allocated values out keeps them.
            spec["clusterIP"] ??= old["clusterIP"]?.DeepClone();
            spec["clusterIPs"] ??= old["clusterIPs"]?.DeepClone();
        }

        var (services, _) = cluster.Store.List(cluster.Catalog.FindByPlural("", "v1", "services")!.StorageKey, null);
        var others = services.Where(s => !ReferenceEquals(s, existing)).ToList();
        var requested = spec["clusterIP"]?.GetValue<string>();
        if (string.IsNullOrEmpty(requested))
        {
            requested = cluster.Addresses.AllocateClusterIp(ServiceAddressAllocator.ClusterIpsInUse(others));
        }
        else if (requested != "None" && existing?["spec"]?["clusterIP"]?.GetValue<string>() != requested)
        {
            var name = obj["metadata"]!["name"]!.GetValue<string>();
            var type = cluster.Catalog.FindByPlural("", "v1", "services")!;
            if (!cluster.Addresses.Contains(requested))
            {
                throw KubernetesApiException.Invalid(type, name, FieldError.InvalidValue("spec.clusterIPs", $"[]string{{\"{requested}\"}}",
                    $"failed to allocate IP {requested}: the provided IP ({requested}) is not in the valid range. The range of valid IPs is {cluster.Bootstrap.ServiceCidr}"));
            }

            if (ServiceAddressAllocator.ClusterIpsInUse(others).Contains(requested))
            {
                throw KubernetesApiException.Invalid(type, name, FieldError.InvalidValue("spec.clusterIPs", $"[]string{{\"{requested}\"}}",
                    $"failed to allocate IP {requested}: provided IP is already allocated"));
            }
        }

        spec["clusterIP"] = requested;
        spec["clusterIPs"] = new JsonArray(requested);
        if (requested != "None")
        {
            spec["ipFamilies"] ??= new JsonArray("IPv4");
            spec["ipFamilyPolicy"] ??= "SingleStack";
        }

        spec["internalTrafficPolicy"] ??= "Cluster";
        if (serviceType is "NodePort" or "LoadBalancer")
        {
            spec["externalTrafficPolicy"] ??= "Cluster";
        }

        var nodePortsInUse = ServiceAddressAllocator.NodePortsInUse(others);
        var oldPorts = existing?["spec"]?["ports"] as JsonArray;
        foreach (var port in (spec["ports"] as JsonArray ?? []).OfType<JsonObject>())
        {
            port["protocol"] ??= "TCP";
            port["targetPort"] ??= port["port"]?.DeepClone();
            if (serviceType is "NodePort" or "LoadBalancer" && port["nodePort"] is null)
            {
                var previous = oldPorts?.OfType<JsonObject>().FirstOrDefault(p => JsonNode.DeepEquals(p["port"], port["port"]))?["nodePort"];
                var nodePort = previous is null ? cluster.Addresses.AllocateNodePort(nodePortsInUse) : ObjectFacts.Int(previous);
                nodePortsInUse.Add(nodePort);
                port["nodePort"] = nodePort;
            }
        }

        if (existing is null)
        {
            Obj(obj, "status")["loadBalancer"] ??= new JsonObject();
        }
    }

    private static void DefaultTemplate(JsonObject spec)
    {
        var template = Obj(spec, "template");
        Obj(template, "metadata")["creationTimestamp"] ??= null;
        DefaultPodSpec(Obj(template, "spec"));
    }

    public static void DefaultPodSpec(JsonObject podSpec)
    {
        podSpec["restartPolicy"] ??= "Always";
        podSpec["terminationGracePeriodSeconds"] ??= 30;
        podSpec["dnsPolicy"] ??= "ClusterFirst";
        podSpec["securityContext"] ??= new JsonObject();
        podSpec["schedulerName"] ??= "default-scheduler";
        foreach (var list in new[] { "initContainers", "containers" })
        {
            foreach (var container in (podSpec[list] as JsonArray ?? []).OfType<JsonObject>())
            {
                var image = container["image"]?.GetValue<string>() ?? "";
                var tag = image.Contains('@') ? "digest" : image.LastIndexOf(':') > image.LastIndexOf('/') ? image[(image.LastIndexOf(':') + 1)..] : "latest";
                container["imagePullPolicy"] ??= tag == "latest" ? "Always" : "IfNotPresent";
                container["terminationMessagePath"] ??= "/dev/termination-log";
                container["terminationMessagePolicy"] ??= "File";
                container["resources"] ??= new JsonObject();
                foreach (var port in (container["ports"] as JsonArray ?? []).OfType<JsonObject>())
                {
                    port["protocol"] ??= "TCP";
                }
            }
        }
    }

    private static JsonObject Toleration(string key) => new()
    {
        ["key"] = key,
        ["operator"] = "Exists",
        ["effect"] = "NoExecute",
        ["tolerationSeconds"] = 300,
    };

    private static JsonObject Obj(JsonObject parent, string name)
    {
        if (parent[name] is JsonObject existing)
        {
            return existing;
        }

        var created = new JsonObject();
        parent[name] = created;
        return created;
    }

    private static JsonObject Labels(JsonObject metadata) => Obj(metadata, "labels");

    private static string GoMap(JsonObject? map) =>
        map is null || map.Count == 0
            ? "map[string]string(nil)"
            : "map[string]string{" + string.Join(", ", map.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"\"{p.Key}\":\"{p.Value}\"")) + "}";

    private static string GoSelector(JsonNode? selector) =>
        $"v1.LabelSelector{{MatchLabels:{GoMap(selector?["matchLabels"] as JsonObject)}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}}";

    private static string GoVersions(JsonArray versions) =>
        "[]apiextensions.CustomResourceDefinitionVersion{" + string.Join(", ", versions.Select(v => $"{{Name:\"{v?["name"]}\"}}")) + "}";
}
