using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using LabNet.Simulator.Cel;

namespace LabNet.Simulator.Kubernetes;

/// <summary>
/// The value validations, default and extensions of one node of a CRD's structural schema: what the API server checks
/// and fills in beyond the shape (<see cref="SchemaNode"/>), compiled once per CRD version.
/// </summary>
public sealed record SchemaValidation
{
    /// <summary>The node's <c>type</c> as written (<c>object</c>, <c>integer</c>...; empty for int-or-string): the value CEL errors show.</summary>
    public string TypeName { get; init; } = "";

    public string? Format { get; init; }

    public JsonArray? Enum { get; init; }

    public double? Minimum { get; init; }

    public bool ExclusiveMinimum { get; init; }

    public double? Maximum { get; init; }

    public bool ExclusiveMaximum { get; init; }

    public double? MultipleOf { get; init; }

    public long? MinLength { get; init; }

    public long? MaxLength { get; init; }

    public string? Pattern { get; init; }

    public Regex? PatternRegex { get; init; }

    public long? MinItems { get; init; }

    public long? MaxItems { get; init; }

    public long? MinProperties { get; init; }

    public long? MaxProperties { get; init; }

    public JsonNode? Default { get; init; }

    /// <summary><c>x-kubernetes-list-type</c>: atomic (default), set or map.</summary>
    public string? ListType { get; init; }

    public IReadOnlyList<string> ListMapKeys { get; init; } = [];

    public IReadOnlyList<ValidationRule> Rules { get; init; } = [];

    private bool ChecksNothing =>
        Format is null && Enum is null && Minimum is null && Maximum is null && MultipleOf is null && MinLength is null
        && MaxLength is null && Pattern is null && MinItems is null && MaxItems is null && MinProperties is null
        && MaxProperties is null && Default is null && ListType is null && Rules.Count == 0;

    public static SchemaValidation? FromOpenApiV3(JsonObject schema)
    {
        var pattern = schema["pattern"]?.GetValue<string>();
        var validation = new SchemaValidation
        {
            TypeName = schema["type"]?.GetValue<string>() ?? "",
            Format = schema["format"]?.GetValue<string>(),
            Enum = schema["enum"] as JsonArray,
            Minimum = Number(schema["minimum"]),
            ExclusiveMinimum = schema["exclusiveMinimum"]?.GetValueKind() == JsonValueKind.True,
            Maximum = Number(schema["maximum"]),
            ExclusiveMaximum = schema["exclusiveMaximum"]?.GetValueKind() == JsonValueKind.True,
            MultipleOf = Number(schema["multipleOf"]),
            MinLength = Integer(schema["minLength"]),
            MaxLength = Integer(schema["maxLength"]),
            Pattern = pattern,
            PatternRegex = pattern is null ? null : TryRegex(pattern),
            MinItems = Integer(schema["minItems"]),
            MaxItems = Integer(schema["maxItems"]),
            MinProperties = Integer(schema["minProperties"]),
            MaxProperties = Integer(schema["maxProperties"]),
            Default = schema["default"]?.DeepClone(),
            ListType = schema["x-kubernetes-list-type"]?.GetValue<string>(),
            ListMapKeys = schema["x-kubernetes-list-map-keys"] is JsonArray keys ? [.. keys.Select(k => k!.GetValue<string>())] : [],
            Rules = schema["x-kubernetes-validations"] is JsonArray rules ? [.. rules.OfType<JsonObject>().Select(ValidationRule.FromOpenApiV3)] : [],
        };
        return validation.ChecksNothing ? null : validation;
    }

    private static double? Number(JsonNode? node) => node?.GetValueKind() == JsonValueKind.Number ? Json.Number(node) : null;

    private static long? Integer(JsonNode? node) => node?.GetValueKind() == JsonValueKind.Number ? (long)Json.Number(node) : null;

    private static Regex? TryRegex(string pattern)
    {
        try
        {
            return new Regex(pattern, RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }
}

/// <summary>One <c>x-kubernetes-validations</c> entry, with its expressions parsed (or the parse error, reported on use).</summary>
public sealed record ValidationRule(
    string Rule,
    string Message,
    string MessageExpression,
    string? Reason,
    string FieldPath,
    bool OptionalOldSelf)
{
    public CelProgram? Program { get; init; }

    public CelProgram? MessageProgram { get; init; }

    public string? CompileError { get; init; }

    /// <summary>A transition rule: evaluated only on updates where the old value exists.</summary>
    public bool UsesOldSelf => Program?.References("oldSelf") == true;

    public static ValidationRule FromOpenApiV3(JsonObject rule)
    {
        var result = new ValidationRule(
            rule["rule"]?.GetValue<string>() ?? "",
            rule["message"]?.GetValue<string>() ?? "",
            rule["messageExpression"]?.GetValue<string>() ?? "",
            rule["reason"]?.GetValue<string>(),
            rule["fieldPath"]?.GetValue<string>() ?? "",
            rule["optionalOldSelf"]?.GetValueKind() == JsonValueKind.True);
        try
        {
            return result with
            {
                Program = result.Rule.Length == 0 ? null : CelProgram.Compile(result.Rule),
                MessageProgram = result.MessageExpression.Length == 0 ? null : CelProgram.Compile(result.MessageExpression),
            };
        }
        catch (CelParseException e)
        {
            return result with { CompileError = e.Message };
        }
    }

    /// <summary>The rule as the API server names it in errors: its message, or its expression when there is none.</summary>
    public string ErrorString => Message.Trim().Length > 0 ? Message.Trim() : Rule.Trim();

    /// <summary>What a failed rule says when no messageExpression produces a message.</summary>
    public string DefaultMessage => Message.Length == 0 ? $"failed rule: {ErrorString}" : Message.Trim();
}
