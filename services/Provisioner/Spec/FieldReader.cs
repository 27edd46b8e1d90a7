using System.Text.Json;

namespace LabNet.Provisioner.Spec;

/// <summary>Reads typed fields from a JSON element and records a <see cref="SpecProblem"/> for each missing or mistyped one.</summary>
internal sealed class FieldReader(string file, List<SpecProblem> problems)
{
    public bool IsObject(JsonElement element, string path)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            return true;
        }

        Report<object>(path, $"Expected a JSON object, found {Describe(element)}.", "Write this entry as an object: { ... }.");
        return false;
    }

    public string? String(JsonElement parent, string path, string name) =>
        Field(parent, path, name, required: true) is { } value ? AsString(value, $"{path}.{name}") : null;

    public string? OptionalString(JsonElement parent, string path, string name) =>
        Field(parent, path, name, required: false) is { } value ? AsString(value, $"{path}.{name}") : null;

    public int? Integer(JsonElement parent, string path, string name)
    {
        if (Field(parent, path, name, required: true) is not { } value)
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number))
        {
            return number;
        }

        return Report<int?>($"{path}.{name}", $"Expected a whole number, found {Describe(value)}.",
            $"Write \"{name}\" as a plain integer without quotes, e.g. \"{name}\": 2.");
    }

    public IReadOnlyList<T>? Array<T>(JsonElement parent, string path, string name, Func<JsonElement, string, FieldReader, T?> readItem)
        where T : class
    {
        if (Field(parent, path, name, required: true) is not { } value)
        {
            return null;
        }

        var arrayPath = $"{path}.{name}";
        if (value.ValueKind != JsonValueKind.Array)
        {
            return Report<IReadOnlyList<T>?>(arrayPath, $"Expected a JSON array, found {Describe(value)}.",
                $"Write \"{name}\" as a list: [ ... ].");
        }

        var items = new List<T>();
        var complete = true;
        var index = 0;
        foreach (var element in value.EnumerateArray())
        {
            var item = readItem(element, $"{arrayPath}[{index++}]", this);
            if (item is null)
            {
                complete = false;
            }
            else
            {
                items.Add(item);
            }
        }

        return complete ? items : null;
    }

    public T? Report<T>(string jsonPath, string message, string fix)
    {
        problems.Add(new SpecProblem(file, jsonPath, message, fix));
        return default;
    }

    private JsonElement? Field(JsonElement parent, string path, string name, bool required)
    {
        if (parent.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null)
        {
            return value;
        }

        if (required)
        {
            Report<object>($"{path}.{name}", $"The required field \"{name}\" is missing.",
                $"Add \"{name}\" to this object (see config/clusters.json for the schema).");
        }

        return null;
    }

    private string? AsString(JsonElement value, string jsonPath)
    {
        if (value.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(value.GetString()))
        {
            return value.GetString();
        }

        return Report<string?>(jsonPath, value.ValueKind == JsonValueKind.String
                ? "The value is empty."
                : $"Expected a string, found {Describe(value)}.",
            "Write a non-empty string in double quotes.");
    }

    private static string Describe(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => $"the string \"{element.GetString()}\"",
        JsonValueKind.Number => $"the number {element.GetRawText()}",
        JsonValueKind.True or JsonValueKind.False => $"the boolean {element.GetRawText()}",
        _ => "null",
    };
}
