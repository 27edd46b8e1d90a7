namespace LabNet.Simulator.Mesh;

/// <summary>What an application did with one request on its port.</summary>
public enum AppReaction
{
    /// <summary>An HTTP response (see status, headers, body).</summary>
    Http,

    /// <summary>Nothing listens on the port: the kernel answers the SYN with RST (connection refused).</summary>
    Refused,

    /// <summary>Not an HTTP server: it read the request and closed the connection without a byte of answer.</summary>
    ClosedWithoutReply,
}

/// <summary>An application's answer as it leaves the server pod (before any sidecar rewrites headers).</summary>
/// <param name="Latency">Time the application took (the modeled service time, plus /delay/n).</param>
public sealed record AppResponse(
    AppReaction Reaction,
    int Status,
    string Reason,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    string Body,
    TimeSpan Latency)
{
    public static AppResponse Refused { get; } = new(AppReaction.Refused, 0, "", [], "", TimeSpan.Zero);

    public static AppResponse ClosedWithoutReply(TimeSpan latency) => new(AppReaction.ClosedWithoutReply, 0, "", [], "", latency);
}
