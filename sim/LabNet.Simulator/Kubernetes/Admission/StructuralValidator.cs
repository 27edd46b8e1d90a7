using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using LabNet.Simulator.Cel;

namespace LabNet.Simulator.Kubernetes;

/// <summary>
/// The OpenAPI v3 value validation of a custom resource (kube-openapi's validator as apiextensions reports it): type,
/// nullable, enum, minimum/maximum (exclusive), multipleOf, min/maxLength, pattern, format, min/maxItems,
/// min/maxProperties, required, and the uniqueness of <c>x-kubernetes-list-type</c> set and map lists. On an update,
/// a value equal to the stored one is not checked again (validation ratcheting).
/// </summary>
public static class StructuralValidator
{
    public static void Validate(JsonNode? node, SchemaNode schema, string path, JsonNode? old, bool correlated, List<FieldError> errors)
    {
        if (correlated && JsonNode.DeepEquals(node, old))
        {
            return;
        }

        var name = path;
        if (node is null)
        {
            if (!schema.Nullable && schema.Type is not (SchemaType.Any or SchemaType.IntOrString))
            {
                errors.Add(FieldError.TypeInvalid(path, GoValues.Quote("null"), $"{name} in body must be of type {TypeName(schema)}: \"null\""));
            }

            return;
        }

        if (!HasType(node, schema))
        {
            var actual = JsonTypeName(node);
            errors.Add(FieldError.TypeInvalid(path, GoValues.Quote(actual), $"{name} in body must be of type {TypeName(schema)}: \"{actual}\""));
            return;
        }

        var v = schema.Validation;
        switch (node)
        {
            case JsonObject obj:
                if (v?.MinProperties is { } minProperties && obj.Count < minProperties)
                {
                    errors.Add(FieldError.InvalidValue(path, obj.Count.ToString(CultureInfo.InvariantCulture), $"{name} in body should have at least {minProperties} properties"));
                    return;
                }

                if (v?.MaxProperties is { } maxProperties && obj.Count > maxProperties)
                {
                    errors.Add(FieldError.TooMany(path, obj.Count, maxProperties));
                    return;
                }

                foreach (var (key, value) in obj)
                {
                    var child = schema.Type == SchemaType.Map ? schema.Items : schema.Properties?.GetValueOrDefault(key);
                    if (child is not null)
                    {
                        var oldValue = old as JsonObject;
                        var hasOld = oldValue?.ContainsKey(key) == true;
                        Validate(value, child, FieldPath.Child(path, key), hasOld ? oldValue![key] : null, correlated && hasOld, errors);
                    }
                }

                foreach (var required in schema.Required)
                {
                    if (!obj.ContainsKey(required))
                    {
                        errors.Add(FieldError.Required(FieldPath.Child(path, required)));
                    }
                }

                break;
            case JsonArray array:
                if (v?.MinItems is { } minItems && array.Count < minItems)
                {
                    errors.Add(FieldError.InvalidValue(path, array.Count.ToString(CultureInfo.InvariantCulture), $"{name} in body should have at least {minItems} items"));
                }

                if (v?.MaxItems is { } maxItems && array.Count > maxItems)
                {
                    errors.Add(FieldError.TooMany(path, array.Count, maxItems));
                }

                if (schema.Items is { } items)
                {
                    var oldItems = ListMapCorrelation.Correlate(array, old as JsonArray, correlated ? v : null);
                    for (var i = 0; i < array.Count; i++)
                    {
                        Validate(array[i], items, FieldPath.Index(path, i), oldItems[i], oldItems[i] is not null, errors);
                    }
                }

                ListUniqueness(array, path, v, errors);
                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                StringValue(value.GetValue<string>(), path, v, errors);
                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.Number:
                NumberValue(value, path, v, errors);
                break;
        }

        if (v?.Enum is { } allowed && !allowed.Any(a => JsonNode.DeepEquals(a, node)))
        {
            var supported = allowed.Select(a => GoValues.Quote(a?.GetValueKind() == JsonValueKind.String ? a.GetValue<string>() : a?.ToJsonString() ?? "null"));
            errors.Add(new FieldError(path, "FieldValueNotSupported",
                $"Unsupported value: {GoValues.Render(node)}: supported values: {string.Join(", ", supported)}"));
        }
    }

    private static void StringValue(string s, string path, SchemaValidation? v, List<FieldError> errors)
    {
        if (v is null)
        {
            return;
        }

        var length = s.EnumerateRunes().Count();
        if (v.MaxLength is { } max && length > max)
        {
            errors.Add(FieldError.TooLong(path, max));
        }

        if (v.MinLength is { } min && length < min)
        {
            errors.Add(FieldError.InvalidValue(path, GoValues.Quote(s), $"{path} in body should be at least {min} chars long"));
        }

        if (v.PatternRegex is { } pattern && !pattern.IsMatch(s))
        {
            errors.Add(FieldError.InvalidValue(path, GoValues.Quote(s), $"{path} in body should match '{v.Pattern}'"));
        }

        if (v.Format is { } format && !Formats.IsValid(format, s))
        {
            errors.Add(FieldError.TypeInvalid(path, GoValues.Quote(s), $"{path} in body must be of type {format}: {GoValues.Quote(s)}"));
        }
    }

    private static void NumberValue(JsonNode number, string path, SchemaValidation? v, List<FieldError> errors)
    {
        if (v is null)
        {
            return;
        }

        var value = Json.Number(number);
        var rendered = GoValues.Number(number);
        if (v.MultipleOf is { } multipleOf && multipleOf != 0 && Math.Abs(Math.IEEERemainder(value, multipleOf)) > 1e-9)
        {
            errors.Add(FieldError.InvalidValue(path, rendered, $"{path} in body should be a multiple of {CelConversions.FormatDouble(multipleOf)}"));
        }

        if (v.Maximum is { } maximum && (v.ExclusiveMaximum ? value >= maximum : value > maximum))
        {
            errors.Add(FieldError.InvalidValue(path, rendered,
                $"{path} in body should be less than {(v.ExclusiveMaximum ? "" : "or equal to ")}{CelConversions.FormatDouble(maximum)}"));
        }

        if (v.Minimum is { } minimum && (v.ExclusiveMinimum ? value <= minimum : value < minimum))
        {
            errors.Add(FieldError.InvalidValue(path, rendered,
                $"{path} in body should be greater than {(v.ExclusiveMinimum ? "" : "or equal to ")}{CelConversions.FormatDouble(minimum)}"));
        }
    }

    /// <summary>structurallisttype: a set holds each value once, a map list each key combination once.</summary>
    private static void ListUniqueness(JsonArray array, string path, SchemaValidation? v, List<FieldError> errors)
    {
        switch (v?.ListType)
        {
            case "set":
                for (var i = 0; i < array.Count; i++)
                {
                    if (array.Take(i).Any(earlier => JsonNode.DeepEquals(earlier, array[i])))
                    {
                        errors.Add(FieldError.Duplicate(FieldPath.Index(path, i), GoValues.Render(array[i])));
                    }
                }

                break;
            case "map" when v.ListMapKeys.Count > 0:
                for (var i = 0; i < array.Count; i++)
                {
                    var key = ListMapCorrelation.Key(array[i], v.ListMapKeys);
                    if (array.Take(i).Any(earlier => ListMapCorrelation.Key(earlier, v.ListMapKeys) == key))
                    {
                        errors.Add(FieldError.Duplicate(FieldPath.Index(path, i),
                            "map[string]interface {}{" + string.Join(", ", v.ListMapKeys.Select(k => $"\"{k}\":{GoValues.Render(array[i]?[k])}")) + "}"));
                    }
                }

                break;
        }
    }

    private static bool HasType(JsonNode node, SchemaNode schema) => schema.Type switch
    {
        SchemaType.Any => true,
        SchemaType.Object or SchemaType.Map => node is JsonObject,
        SchemaType.Array => node is JsonArray,
        SchemaType.String => node.GetValueKind() == JsonValueKind.String,
        SchemaType.Boolean => node.GetValueKind() is JsonValueKind.True or JsonValueKind.False,
        SchemaType.Number => node.GetValueKind() == JsonValueKind.Number,
        SchemaType.Integer => node.GetValueKind() == JsonValueKind.Number && Math.Floor(Json.Number(node)) == Json.Number(node),
        SchemaType.IntOrString => node.GetValueKind() is JsonValueKind.String || (node.GetValueKind() == JsonValueKind.Number && Math.Floor(Json.Number(node)) == Json.Number(node)),
        _ => true,
    };

    private static string TypeName(SchemaNode schema) => schema.Type switch
    {
        SchemaType.Object or SchemaType.Map => "object",
        SchemaType.IntOrString => "integer,string",
        _ => schema.Type.ToString().ToLowerInvariant(),
    };

    private static string JsonTypeName(JsonNode node) => node.GetValueKind() switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => Math.Floor(Json.Number(node)) == Json.Number(node) ? "integer" : "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        _ => "null",
    };
}
