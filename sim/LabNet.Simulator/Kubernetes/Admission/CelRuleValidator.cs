using System.Text.Json.Nodes;
using LabNet.Simulator.Cel;

namespace LabNet.Simulator.Kubernetes;

/// <summary>
/// Evaluates a custom resource's <c>x-kubernetes-validations</c> as apiextensions does: every rule of a node, then
/// the node's children; null values are not validated; transition rules (those naming <c>oldSelf</c>) only run on an
/// update where the old value exists; a failed rule reports its message, messageExpression, reason and fieldPath with
/// the API server's wording; an unchanged value's errors are ratcheted away.
/// </summary>
public static class CelRuleValidator
{
    public static void Validate(JsonNode? node, SchemaNode schema, string path, JsonNode? old, bool hasOld, bool unchangedAncestor, bool isRoot,
        List<FieldError> errors)
    {
        if (node is null)
        {
            return;
        }

        var unchanged = hasOld ? JsonNode.DeepEquals(node, old) : unchangedAncestor;
        if (schema.Validation is { Rules.Count: > 0 } validation)
        {
            EvaluateRules(node, schema, validation, path, hasOld ? old : null, unchanged, isRoot, errors);
        }

        switch (node)
        {
            case JsonObject obj when schema.Type is SchemaType.Object or SchemaType.Map:
                foreach (var (key, value) in obj)
                {
                    var child = schema.Type == SchemaType.Map ? schema.Items : schema.Properties?.GetValueOrDefault(key);
                    if (child is null || (isRoot && key == "metadata"))
                    {
                        continue;
                    }

                    var oldObject = hasOld ? old as JsonObject : null;
                    var childHasOld = oldObject?.ContainsKey(key) == true;
                    Validate(value, child, FieldPath.Child(path, key), childHasOld ? oldObject![key] : null, childHasOld, unchanged, false, errors);
                }

                break;
            case JsonArray array when schema is { Type: SchemaType.Array, Items: { } items }:
                var oldItems = ListMapCorrelation.Correlate(array, hasOld ? old as JsonArray : null, schema.Validation);
                for (var i = 0; i < array.Count; i++)
                {
                    Validate(array[i], items, FieldPath.Index(path, i), oldItems[i], oldItems[i] is not null, unchanged, false, errors);
                }

                break;
        }
    }

    private static void EvaluateRules(JsonNode node, SchemaNode schema, SchemaValidation validation, string path, JsonNode? old, bool unchanged,
        bool isRoot, List<FieldError> errors)
    {
        var type = GoValues.Quote(validation.TypeName);
        Dictionary<string, object>? variables = null;
        foreach (var rule in validation.Rules)
        {
            if (rule.CompileError is not null)
            {
                errors.Add(FieldError.InvalidValue(FieldPath.Show(path), type, $"rule compile error: compilation failed: {rule.CompileError}"));
                continue;
            }

            if (rule.Program is null)
            {
                continue;
            }

            if (rule.UsesOldSelf && old is null && !rule.OptionalOldSelf)
            {
                continue;
            }

            variables ??= new Dictionary<string, object> { ["self"] = UnstructuredToCel.Convert(node, schema, isRoot) };
            var activation = new Dictionary<string, object>(variables);
            if (rule.UsesOldSelf)
            {
                var oldSelf = old is null ? null : UnstructuredToCel.Convert(old, schema, isRoot);
                activation["oldSelf"] = rule.OptionalOldSelf ? oldSelf is null ? CelOptional.None : new CelOptional(oldSelf) : oldSelf!;
            }

            var result = rule.Program.Evaluate(activation);
            if (result is CelError error)
            {
                errors.Add(FieldError.InvalidValue(FieldPath.Show(path), type, error.Message.StartsWith("no such overload", StringComparison.Ordinal)
                    ? $"'{error.Message}': call arguments did not match a supported operator, function or macro signature for rule: {rule.ErrorString}"
                    : $"{error.Message} evaluating rule: {rule.ErrorString}"));
                continue;
            }

            if (result is true || (unchanged && !rule.UsesOldSelf))
            {
                continue;
            }

            var errorPath = rule.FieldPath.Length == 0 ? path : FieldPath.Child(path, rule.FieldPath.TrimStart('.'));
            var detail = MessageFromExpression(rule, activation) ?? rule.DefaultMessage;
            errors.Add(rule.Reason switch
            {
                "FieldValueForbidden" => FieldError.Forbidden(FieldPath.Show(errorPath), detail),
                "FieldValueRequired" => FieldError.Required(FieldPath.Show(errorPath), detail),
                "FieldValueDuplicate" => FieldError.Duplicate(FieldPath.Show(errorPath), type),
                _ => FieldError.InvalidValue(FieldPath.Show(errorPath), type, detail),
            });
        }
    }

    /// <summary>A messageExpression's message; null (the static message is used) when it fails or is empty or multi-line.</summary>
    private static string? MessageFromExpression(ValidationRule rule, Dictionary<string, object> activation)
    {
        if (rule.MessageProgram?.Evaluate(activation) is not string message)
        {
            return null;
        }

        var trimmed = message.Trim();
        return trimmed.Length == 0 || trimmed.Contains('\n') || trimmed.Length > 5 * 1024 ? null : trimmed;
    }
}
