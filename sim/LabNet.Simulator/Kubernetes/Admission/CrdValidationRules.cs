using System.Text.Json.Nodes;
using LabNet.Simulator.Cel;

namespace LabNet.Simulator.Kubernetes;

/// <summary>
/// The API server compiles a CRD's <c>x-kubernetes-validations</c> when the CRD is written and refuses one whose
/// rule or messageExpression does not parse (the twin does not type-check them).
/// </summary>
public static class CrdValidationRules
{
    public static void Check(JsonObject crd, List<FieldError> errors)
    {
        var versions = crd["spec"]?["versions"] as JsonArray ?? [];
        for (var i = 0; i < versions.Count; i++)
        {
            if (versions[i]?["schema"]?["openAPIV3Schema"] is JsonObject schema)
            {
                Walk(schema, $"spec.versions[{i}].schema.openAPIV3Schema", errors);
            }
        }
    }

    private static void Walk(JsonObject schema, string path, List<FieldError> errors)
    {
        if (schema["x-kubernetes-validations"] is JsonArray rules)
        {
            for (var j = 0; j < rules.Count; j++)
            {
                if (rules[j] is not JsonObject rule)
                {
                    continue;
                }

                foreach (var field in new[] { "rule", "messageExpression" })
                {
                    if (rule[field]?.GetValue<string>() is { Length: > 0 } expression)
                    {
                        try
                        {
                            CelProgram.Compile(expression);
                        }
                        catch (CelParseException e)
                        {
                            errors.Add(FieldError.InvalidValue($"{path}.x-kubernetes-validations[{j}].{field}", GoRule(rule),
                                $"{(field == "rule" ? "compilation failed" : "messageExpression compilation failed")}: {e.Message}"));
                        }
                    }
                }
            }
        }

        if (schema["properties"] is JsonObject properties)
        {
            foreach (var (name, property) in properties)
            {
                if (property is JsonObject child)
                {
                    Walk(child, $"{path}.properties[{name}]", errors);
                }
            }
        }

        foreach (var nested in new[] { "items", "additionalProperties" })
        {
            if (schema[nested] is JsonObject child)
            {
                Walk(child, $"{path}.{nested}", errors);
            }
        }
    }

    /// <summary>The rule as Go's <c>%#v</c> prints the apiextensions.ValidationRule struct.</summary>
    private static string GoRule(JsonObject rule)
    {
        string Text(string field) => GoValues.Quote(rule[field]?.GetValue<string>() ?? "");
        var reason = rule["reason"] is null ? "(*apiextensions.FieldValueErrorReason)(nil)" : $"\"{rule["reason"]}\"";
        var optional = rule["optionalOldSelf"] is null ? "(*bool)(nil)" : rule["optionalOldSelf"]!.ToJsonString();
        return $"apiextensions.ValidationRule{{Rule:{Text("rule")}, Message:{Text("message")}, MessageExpression:{Text("messageExpression")}, "
            + $"Reason:{reason}, FieldPath:{Text("fieldPath")}, OptionalOldSelf:{optional}}}";
    }
}
