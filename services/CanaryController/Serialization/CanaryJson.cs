using System.Text.Json;
using System.Text.Json.Serialization;
using LabNet.Durations;

namespace LabNet.CanaryController.Serialization;

/// <summary>
/// How Canary spec and status look on the wire (the CRD's field names): camelCase, enums as their names, durations as
/// Kubernetes duration strings. The Kubernetes adapter must use these options so status round-trips exactly.
/// </summary>
public static class CanaryJson
{
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver(),
        };
        options.Converters.Add(new JsonStringEnumConverter());
        options.Converters.Add(new KubernetesDurationJsonConverter());
        options.MakeReadOnly();
        return options;
    }
}

/// <summary>Reads and writes <see cref="TimeSpan"/> as "5s", "1m30s" and so on.</summary>
public sealed class KubernetesDurationJsonConverter : JsonConverter<TimeSpan>
{
    public override TimeSpan Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.GetString();
        return GoDuration.TryParse(text, out var duration) && duration >= TimeSpan.Zero
            ? duration
            : throw new JsonException($"'{text}' is not a duration; write it like 5s, 1m30s or 250ms.");
    }

    public override void Write(Utf8JsonWriter writer, TimeSpan value, JsonSerializerOptions options) =>
        writer.WriteStringValue(GoDuration.Format(value));
}
