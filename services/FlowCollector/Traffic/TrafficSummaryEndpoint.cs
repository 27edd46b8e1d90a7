using LabNet.Durations;
using Microsoft.Extensions.Options;

namespace LabNet.FlowCollector.Traffic;

/// <summary>
/// <c>GET /api/traffic/summary?namespace=demo&amp;service=httpbin&amp;window=30s</c>: what the CanaryController reads.
/// Window: a number with unit s, m or h (default 30s, at most 5m, the retention). With
/// <c>probeHeader=x-canary&amp;probeValue=true</c> each version also counts the requests that carried that header value
/// (routed by a header match rather than by weight); the header must be the one the collector records.
/// </summary>
public static class TrafficSummaryEndpoint
{
    public const string Path = "/api/traffic/summary";

    public static WebApplication MapTrafficSummary(this WebApplication app)
    {
        app.MapGet(Path, (string? @namespace, string? service, string? window, string? probeHeader, string? probeValue, TrafficRecorder recorder, IOptions<FlowCollectorOptions> options) =>
        {
            if (string.IsNullOrWhiteSpace(@namespace) || string.IsNullOrWhiteSpace(service))
            {
                return Results.Problem(
                    title: "namespace and service are required",
                    detail: $"Use {Path}?namespace=demo&service=httpbin&window=30s.",
                    statusCode: StatusCodes.Status400BadRequest);
            }

            if (!TryParseWindow(window ?? "30s", out var span))
            {
                return Results.Problem(
                    title: "window is not a duration",
                    detail: $"window='{window}': use a positive number with s, m or h (e.g. 30s, 5m), at most {TrafficRecorder.RetentionSeconds}s.",
                    statusCode: StatusCodes.Status400BadRequest);
            }

            var recorded = options.Value.ProbeHeader;
            if (probeHeader is not null && !string.Equals(probeHeader, recorded, StringComparison.OrdinalIgnoreCase))
            {
                return Results.Problem(
                    title: "probeHeader is not the header the collector records",
                    detail: $"probeHeader='{probeHeader}': this collector records '{recorded}'. Set FlowCollector:ProbeHeader={probeHeader} or ask for probeHeader={recorded}.",
                    statusCode: StatusCodes.Status400BadRequest);
            }

            return Results.Ok(recorder.Summarize(@namespace, service, span, probeValue));
        });
        return app;
    }

    public static bool TryParseWindow(string text, out TimeSpan window) =>
        GoDuration.TryParse(text, out window) && window > TimeSpan.Zero && window.TotalSeconds <= TrafficRecorder.RetentionSeconds;
}
