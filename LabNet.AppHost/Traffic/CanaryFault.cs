using System.Globalization;
using System.Text.Json.Nodes;

namespace LabNet.AppHost.Traffic;

/// <summary>
/// The canary fault: httpbin v2 answers 5% of its requests with 503 (v1 keeps its behaviour), the bad canary of issue #8
/// (5% 5xx against v1's ~0.1%). Its latency is left as it was, so a rollback is about errors only.
/// </summary>
internal static class CanaryFault
{
    public const string Version = "v2";

    public const double ErrorRate = 0.05;

    public const string Description = "httpbin v2 answers 5% of its requests with 503 (v1 unchanged)";

    /// <summary>The simulator's behaviour for a version not listed in <c>versions</c> (TrafficSettings.DefaultVersion).</summary>
    private static JsonObject Unlisted => new() { ["errorRate"] = 0.0, ["latencyMedianMs"] = 5.0, ["latencyP99Ms"] = 25.0 };

    /// <summary>The v2 behaviour with the fault's error rate; latency as before.</summary>
    public static JsonObject Apply(JsonObject? before)
    {
        var faulty = (JsonObject)(before ?? Unlisted).DeepClone();
        faulty["errorRate"] = ErrorRate;
        return faulty;
    }

    public static string Describe(JsonNode? behaviour) => behaviour is JsonObject b
        ? string.Create(CultureInfo.InvariantCulture,
            $"{Number(b, "errorRate") * 100:0.##}% errors, p50 {Number(b, "latencyMedianMs"):0.#} ms, p99 {Number(b, "latencyP99Ms"):0.#} ms")
        : "simulator default";

    private static double Number(JsonObject node, string property) => node[property]?.GetValue<double>() ?? double.NaN;
}
