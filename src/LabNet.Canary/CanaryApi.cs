using System.Text.Json;
using System.Text.Json.Serialization;

namespace LabNet.Canary;

/// <summary>
/// The CanaryController's dashboard API: <c>GET /api/canaries</c> answers a list of <see cref="CanarySummary"/>;
/// <c>POST /api/canaries/{namespace}/{name}/{command}</c> with one of <see cref="CanaryCommandWords"/> answers
/// <see cref="CommandAccepted"/>, or a problem document (400 unknown command, 404 no such Canary, 503 no kubeconfig yet).
/// JSON as <see cref="Json"/>: camelCase, enums by name, nulls left out.
/// </summary>
public static class CanaryApi
{
    public const string CanariesPath = "/api/canaries";

    public static JsonSerializerOptions Json { get; } = CreateJson();

    public static string CommandPath(string @namespace, string name, string command) =>
        $"{CanariesPath}/{Uri.EscapeDataString(@namespace)}/{Uri.EscapeDataString(name)}/{Uri.EscapeDataString(command)}";

    private static JsonSerializerOptions CreateJson()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver(),
        };
        options.Converters.Add(new JsonStringEnumConverter());
        options.MakeReadOnly();
        return options;
    }
}
