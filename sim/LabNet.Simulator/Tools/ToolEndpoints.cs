using System.Globalization;
using System.Text.Json;
using System.Threading.Channels;

namespace LabNet.Simulator.Tools;

/// <summary>HTTP routes of the tools boundary: the shims' calls and the log of their modeled time.</summary>
public static class ToolEndpoints
{
    public static IEndpointRouteBuilder MapTools(this IEndpointRouteBuilder app)
    {
        app.MapPost("/tools/{tool}", RunToolAsync);
        app.MapGet("/tools/steps", (string? since, string? until, ModeledStepLog log) =>
            ParseWindow(since, until, out var from, out var to) is { } problem ? problem : Results.Ok(log.Window(from, to)));
        app.MapGet("/tools/steps/summary", (string? since, string? until, ModeledStepLog log) =>
            ParseWindow(since, until, out var from, out var to) is { } problem ? problem : Results.Ok(ModeledStepSummary.Of(log.Window(from, to))));

        return app;
    }

    /// <summary>Reads the <c>since</c>/<c>until</c> query parameters (instants on the timeline of modeled tool time).</summary>
    private static IResult? ParseWindow(string? since, string? until, out DateTimeOffset? from, out DateTimeOffset? to)
    {
        from = to = null;
        foreach (var (name, text) in new[] { ("since", since), ("until", until) })
        {
            if (string.IsNullOrEmpty(text))
            {
                continue;
            }

            if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant))
            {
                return Results.Problem(
                    $"Query parameter '{name}' is '{text}', which is not an instant. Use ISO 8601, e.g. the 'timeline' of GET /clock: 2026-11-26T09:00:00Z.",
                    statusCode: StatusCodes.Status400BadRequest);
            }

            if (name == "since")
            {
                from = instant;
            }
            else
            {
                to = instant;
            }
        }

        return null;
    }

    private static async Task RunToolAsync(string tool, ToolRequest request, HttpContext http, ToolRunner runner)
    {
        if (!runner.Knows(tool))
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            await http.Response.WriteAsJsonAsync(new { error = $"The simulator has no tool named '{tool}'. Known: tart, ssh, sshpass, helm." });
            return;
        }

        var invocation = new ToolInvocation(
            request.Argv ?? [],
            request.Stdin ?? "",
            request.Env ?? new Dictionary<string, string>(),
            string.IsNullOrEmpty(request.Cwd) ? Environment.CurrentDirectory : request.Cwd);

        http.Response.ContentType = "application/x-ndjson";
        var frames = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
        var output = new ToolOutput((stream, text) =>
            frames.Writer.TryWrite(JsonSerializer.Serialize(new Dictionary<string, string> { [stream is ToolStream.Stdout ? "o" : "e"] = text })));

        var callerGone = http.RequestAborted;
        var run = Task.Run(async () =>
        {
            try
            {
                var code = await runner.RunAsync(tool, invocation, output, callerGone);
                frames.Writer.TryWrite($"{{\"x\":{code}}}");
            }
            finally
            {
                frames.Writer.TryComplete();
            }
        }, CancellationToken.None);

        try
        {
            await foreach (var frame in frames.Reader.ReadAllAsync(callerGone))
            {
                await http.Response.WriteAsync(frame + "\n", callerGone);
                await http.Response.Body.FlushAsync(callerGone);
            }
        }
        catch (OperationCanceledException) when (callerGone.IsCancellationRequested)
        {
            // The caller went away; the tool sees callerGone and finishes on its own.
        }

        await run;
    }
}
