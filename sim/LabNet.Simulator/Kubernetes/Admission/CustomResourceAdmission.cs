using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using LabNet.Simulator.Cel;

namespace LabNet.Simulator.Kubernetes;

/// <summary>
/// The API server's handling of a custom resource's body beyond pruning: structural defaulting when it is decoded,
/// then at validation the OpenAPI v3 value validation and, unless that found a blocking error (a wrong type, a
/// missing required field, an unsupported enum value, a too long string or list), the CEL rules.
/// </summary>
public static class CustomResourceAdmission
{
    private const string RulesNotChecked =
        "some validation rules were not checked because the object was invalid; correct the existing errors to complete validation";

    private static readonly HashSet<string> BlockingReasons =
        ["FieldValueNotSupported", "FieldValueRequired", "FieldValueTooLong", "FieldValueTooMany", "FieldValueTypeInvalid"];

    public static void Default(ResourceType type, JsonObject obj)
    {
        if (!type.IsBuiltIn && type.Schema is { } schema)
        {
            StructuralDefaulting.Apply(obj, schema);
        }
    }

    /// <summary>The validation errors, deduplicated as the API server's aggregate does (empty when the object is valid).</summary>
    public static IReadOnlyList<FieldError> Validate(ResourceType type, JsonObject obj, JsonObject? existing)
    {
        if (type.IsBuiltIn || type.Schema is not { } schema)
        {
            return [];
        }

        var errors = new List<FieldError>();
        var body = WithoutMetadata(obj);
        StructuralValidator.Validate(body, schema, "", existing is null ? null : WithoutMetadata(existing), existing is not null, errors);
        if (!HasRules(schema))
        {
            // No CEL validator exists for the version, so nothing is said about rules not being checked.
        }
        else if (errors.Any(e => BlockingReasons.Contains(e.Reason)))
        {
            errors.Add(FieldError.InvalidValue("<nil>", GoValues.Quote("null"), RulesNotChecked));
        }
        else
        {
            CelRuleValidator.Validate(obj, schema, "", existing, existing is not null, false, isRoot: true, errors);
        }

        return [.. errors.DistinctBy(e => e.ToString())];
    }

    private static readonly ConditionalWeakTable<SchemaNode, StrongBox<bool>> RulesBySchema = new();

    private static bool HasRules(SchemaNode schema) =>
        RulesBySchema.GetValue(schema, s => new StrongBox<bool>(
            s.Validation?.Rules.Count > 0
            || (s.Items is { } items && HasRules(items))
            || (s.Properties?.Values.Any(HasRules) ?? false))).Value;

    /// <summary>ObjectMeta is validated by its own rules, not by the CRD's schema (which may still require it to be there).</summary>
    private static JsonObject WithoutMetadata(JsonObject obj)
    {
        var copy = new JsonObject();
        foreach (var (key, value) in obj)
        {
            copy[key] = key == "metadata" ? new JsonObject() : value?.DeepClone();
        }

        return copy;
    }
}
