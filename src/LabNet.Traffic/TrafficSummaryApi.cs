using System.Globalization;
using System.Text.Json;

namespace LabNet.Traffic;

/// <summary>
/// How the summary is asked for and written: <c>GET /api/traffic/summary?namespace=demo&amp;service=httpbin&amp;window=30s</c>,
/// optionally <c>&amp;probeHeader=x-canary&amp;probeValue=true</c>; the answer is a <see cref="TrafficSummary"/> in
/// <see cref="Json"/>: camelCase; a reader refuses an answer that lacks a field or has null where the contract has none.
/// </summary>
public static class TrafficSummaryApi
{
    public const string Path = "/api/traffic/summary";

    public static JsonSerializerOptions Json { get; } = CreateJson();

    /// <summary>The relative URI of one question; the window goes as seconds with up to three decimals, rounded up.</summary>
    public static string Uri(string @namespace, string service, TimeSpan window, string? probeHeader = null, string? probeValue = null)
    {
        var seconds = Math.Round(window.TotalSeconds, 3, MidpointRounding.ToPositiveInfinity).ToString("0.###", CultureInfo.InvariantCulture);
        var uri = $"{Path}?namespace={System.Uri.EscapeDataString(@namespace)}&service={System.Uri.EscapeDataString(service)}&window={seconds}s";
        return probeHeader is { Length: > 0 }
            ? uri + $"&probeHeader={System.Uri.EscapeDataString(probeHeader)}&probeValue={System.Uri.EscapeDataString(probeValue ?? "")}"
            : uri;
    }

    private static JsonSerializerOptions CreateJson()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            RespectNullableAnnotations = true,
            RespectRequiredConstructorParameters = true,
            TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver(),
        };
        options.MakeReadOnly();
        return options;
    }
}
