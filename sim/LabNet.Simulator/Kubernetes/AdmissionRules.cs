using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace LabNet.Simulator.Kubernetes;

/// <summary>
/// What the apiserver's registry strategies check before an object is stored: name rules and the validations a person
/// is likely to hit (defaulting is <see cref="Admission.BuiltInDefaults"/>).
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
        // RBAC objects only need to be a path segment, so `system:metrics-server-aggregated-reader` is a valid name.
        if (type.Group == "rbac.authorization.k8s.io")
        {
            var problem = name switch
            {
                "." => "may not be '.'",
                ".." => "may not be '..'",
                _ when name.Contains('/') => "may not contain '/'",
                _ when name.Contains('%') => "may not contain '%'",
                _ => null,
            };
            if (problem is not null)
            {
                throw KubernetesApiException.Invalid(type, name, FieldError.InvalidValue("metadata.name", $"\"{name}\"", problem));
            }

            return;
        }

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
                CrdValidationRules.Check(obj, errors);
                break;
        }

        errors.AddRange(CustomResourceAdmission.Validate(type, obj, existing));

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

    private static string GoMap(JsonObject? map) =>
        map is null || map.Count == 0
            ? "map[string]string(nil)"
            : "map[string]string{" + string.Join(", ", map.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"\"{p.Key}\":\"{p.Value}\"")) + "}";

    private static string GoSelector(JsonNode? selector) =>
        $"v1.LabelSelector{{MatchLabels:{GoMap(selector?["matchLabels"] as JsonObject)}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}}";

    private static string GoVersions(JsonArray versions) =>
        "[]apiextensions.CustomResourceDefinitionVersion{" + string.Join(", ", versions.Select(v => $"{{Name:\"{v?["name"]}\"}}")) + "}";
}
