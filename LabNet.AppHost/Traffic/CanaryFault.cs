using System.Globalization;
using System.Text.Json.Nodes;

namespace LabNet.AppHost.Traffic;

/// <summary>
/// A fault of httpbin v2 (the canary) that a dashboard command injects and heals through the simulator's traffic
/// settings, changing only its own fields of v2's behaviour (v1 keeps its own): <see cref="Errors"/>, the bad canary
/// that errs (5 % 503 against v1's none), and <see cref="Latency"/>, the slow canary that answers without errors but
/// five times slower, so both kinds of rollback can be watched.
/// </summary>
internal sealed record CanaryFault(string Name, string Description, IReadOnlyList<string> Fields, Action<JsonObject> Apply)
{
    public const string Version = "v2";

    public const double ErrorRate = 0.05;

    public const double SlowDown = 5;

    public static CanaryFault Errors { get; } = new("canary fault", "httpbin v2 answers 5% of its requests with 503 (v1 unchanged)",
        ["errorRate"], behaviour => behaviour["errorRate"] = ErrorRate);

    public static CanaryFault Latency { get; } = new("canary latency", "httpbin v2 answers five times slower, median and p99, without errors (v1 unchanged)",
        ["latencyMedianMs", "latencyP99Ms"], behaviour =>
        {
            behaviour["latencyMedianMs"] = Number(behaviour, "latencyMedianMs") * SlowDown;
            behaviour["latencyP99Ms"] = Number(behaviour, "latencyP99Ms") * SlowDown;
        });

    /// <summary>The simulator's behaviour for a version not listed in <c>versions</c> (TrafficSettings.DefaultVersion).</summary>
    public static JsonObject Unlisted => new() { ["errorRate"] = 0.0, ["latencyMedianMs"] = 5.0, ["latencyP99Ms"] = 25.0 };

    public static string Describe(JsonNode? behaviour) => behaviour is JsonObject b
        ? string.Create(CultureInfo.InvariantCulture,
            $"{Number(b, "errorRate") * 100:0.##}% errors, p50 {Number(b, "latencyMedianMs"):0.#} ms, p99 {Number(b, "latencyP99Ms"):0.#} ms")
        : "simulator default";

    private static double Number(JsonObject node, string property) => node[property]?.GetValue<double>() ?? double.NaN;
}
