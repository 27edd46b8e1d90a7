using System.Text.Json.Nodes;

namespace LabNet.Simulator.Kubernetes;

/// <summary>A failed API call, carried to the client as a <c>metav1.Status</c> with the real reason and code.</summary>
public sealed class KubernetesApiException(int code, string reason, string message, JsonObject? details = null) : Exception(message)
{
    public int Code { get; } = code;

    public string Reason { get; } = reason;

    public JsonObject? Details { get; } = details;

    public JsonObject ToStatus()
    {
        var status = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = Message,
            ["reason"] = Reason,
        };
        if (Details is not null)
        {
            status["details"] = Details.DeepClone();
        }

        status["code"] = Code;
        return status;
    }

    private static JsonObject Describe(ResourceType type, string? name)
    {
        var details = new JsonObject();
        if (name is not null)
        {
            details["name"] = name;
        }

        if (type.Group.Length > 0)
        {
            details["group"] = type.Group;
        }

        details["kind"] = type.Plural;
        return details;
    }

    public static KubernetesApiException NotFound(ResourceType type, string name) =>
        new(404, "NotFound", $"{type.QualifiedName} \"{name}\" not found", Describe(type, name));

    public static KubernetesApiException NamespaceNotFound(string @namespace) =>
        new(404, "NotFound", $"namespaces \"{@namespace}\" not found", new JsonObject { ["name"] = @namespace, ["kind"] = "namespaces" });

    public static KubernetesApiException ResourceNotFound() =>
        new(404, "NotFound", "the server could not find the requested resource", new JsonObject());

    public static KubernetesApiException AlreadyExists(ResourceType type, string name) =>
        new(409, "AlreadyExists", $"{type.QualifiedName} \"{name}\" already exists", Describe(type, name));

    public static KubernetesApiException Conflict(ResourceType type, string name) =>
        new(409, "Conflict",
            $"Operation cannot be fulfilled on {type.QualifiedName} \"{name}\": the object has been modified; please apply your changes to the latest version and try again",
            Describe(type, name));

    public static KubernetesApiException BadRequest(string message) => new(400, "BadRequest", message);

    public static KubernetesApiException MethodNotSupported(ResourceType type, string verb) =>
        new(405, "MethodNotAllowed", $"{verb} is not supported on resources of kind \"{type.QualifiedName}\"",
            new JsonObject { ["group"] = type.Group, ["kind"] = type.Plural });

    public static KubernetesApiException UnsupportedMediaType(string contentType, params string[] accepted) =>
        new(415, "UnsupportedMediaType",
            $"the body of the request was in an unknown format - accepted media types include: {string.Join(", ", accepted)}");

    public static KubernetesApiException Gone(string message) => new(410, "Expired", message);

    /// <summary>422 with field causes, formatted like the apiserver: <c>Kind.group "name" is invalid: field: Invalid value: ...</c>.</summary>
    public static KubernetesApiException Invalid(ResourceType type, string name, params FieldError[] errors)
    {
        var causes = new JsonArray();
        foreach (var error in errors)
        {
            causes.Add(new JsonObject { ["reason"] = error.Reason, ["message"] = error.Message, ["field"] = error.Field });
        }

        var summary = errors.Length == 1 ? errors[0].ToString() : "[" + string.Join(", ", errors.Select(e => e.ToString())) + "]";
        var details = new JsonObject { ["name"] = name };
        if (type.Group.Length > 0)
        {
            details["group"] = type.Group;
        }

        details["kind"] = type.Kind;
        details["causes"] = causes;
        return new KubernetesApiException(422, "Invalid", $"{type.QualifiedKind} \"{name}\" is invalid: {summary}", details);
    }
}

/// <summary>One validation failure: <c>spec.replicas: Invalid value: -1: must be greater than or equal to 0</c>.</summary>
public sealed record FieldError(string Field, string Reason, string Message)
{
    public static FieldError Required(string field, string detail = "") =>
        new(field, "FieldValueRequired", detail.Length == 0 ? "Required value" : $"Required value: {detail}");

    public static FieldError InvalidValue(string field, string renderedValue, string detail) =>
        new(field, "FieldValueInvalid", $"Invalid value: {renderedValue}: {detail}");

    public static FieldError NotSupported(string field, string value, IEnumerable<string> supported) =>
        new(field, "FieldValueNotSupported",
            $"Unsupported value: \"{value}\": supported values: {string.Join(", ", supported.Select(s => $"\"{s}\""))}");

    public static FieldError Duplicate(string field, string renderedValue) =>
        new(field, "FieldValueDuplicate", $"Duplicate value: {renderedValue}");

    public static FieldError Forbidden(string field, string detail) =>
        new(field, "FieldValueForbidden", detail.Length == 0 ? "Forbidden" : $"Forbidden: {detail}");

    /// <summary>The value is not repeated in the message (apimachinery's <c>TooLongMaxLength</c>).</summary>
    public static FieldError TooLong(string field, long maxLength) =>
        new(field, "FieldValueTooLong", $"Too long: may not be longer than {maxLength}");

    public static FieldError TooMany(string field, long actual, long max) =>
        new(field, "FieldValueTooMany", $"Too many: {actual}: must have at most {max} items");

    public static FieldError TypeInvalid(string field, string renderedValue, string detail) =>
        new(field, "FieldValueTypeInvalid", $"Invalid value: {renderedValue}: {detail}");

    public override string ToString() => $"{Field}: {Message}";
}
