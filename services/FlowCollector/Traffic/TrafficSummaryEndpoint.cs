namespace LabNet.FlowCollector.Traffic;

/// <summary>
/// <c>GET /api/traffic/summary?namespace=demo&amp;service=httpbin&amp;window=30s</c>: what the CanaryController reads.
/// Window: a number with unit s, m or h (default 30s, at most 5m, the retention).
/// </summary>
public static class TrafficSummaryEndpoint
{
    public const string Path = "/api/traffic/summary";

    public static WebApplication MapTrafficSummary(this WebApplication app)
    {
        app.MapGet(Path, (string? @namespace, string? service, string? window, TrafficRecorder recorder) =>
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

            return Results.Ok(recorder.Summarize(@namespace, service, span));
        });
        return app;
    }

    public static bool TryParseWindow(string text, out TimeSpan window) =>
        DurationText.TryParse(text, out window) && window.TotalSeconds <= TrafficRecorder.RetentionSeconds;
}
