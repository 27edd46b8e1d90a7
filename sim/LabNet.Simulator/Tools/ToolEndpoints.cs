using System.Globalization;
using System.Text.Json;
using System.Threading.Channels;
using LabNet.Simulator.Clock;
using LabNet.Simulator.Faults;

namespace LabNet.Simulator.Tools;

/// <summary>HTTP routes of the tools boundary, the fault hooks and the modeled clock.</summary>
public static class ToolEndpoints
{
    public static IEndpointRouteBuilder MapLabWorld(this IEndpointRouteBuilder app)
    {
        app.MapPost("/tools/{tool}", RunToolAsync);
        app.MapGet("/tools/steps", (string? since, string? until, ModeledStepLog log) =>
            ParseWindow(since, until, out var from, out var to) is { } problem ? problem : Results.Ok(log.Window(from, to)));
        app.MapGet("/tools/steps/summary", (string? since, string? until, ModeledStepLog log) =>
            ParseWindow(since, until, out var from, out var to) is { } problem ? problem : Results.Ok(ModeledStepSummary.Of(log.Window(from, to))));

        app.MapGet("/faults", (FaultInjector faults) => Results.Ok(faults.Active.Select(f => new FaultRequest(FaultInjector.NameOf(f.Kind), f.Vm, f.Remaining))));
        app.MapPost("/faults", (FaultRequest request, FaultInjector faults) =>
        {
            if (request.Kind is null || !FaultInjector.Names.TryGetValue(request.Kind, out var kind))
            {
                return Results.Problem(
                    $"Field 'kind' is '{request.Kind}', which is not a fault. Use one of: {string.Join(", ", FaultInjector.Names.Keys)}.",
                    statusCode: StatusCodes.Status400BadRequest);
            }

            if (request.Count is < 1)
            {
                return Results.Problem("Field 'count' must be at least 1 (or left out for 1).", statusCode: StatusCodes.Status400BadRequest);
            }

            faults.Add(new Fault(kind, request.Vm, request.Count ?? 1));
            return Results.Created("/faults", request with { Count = request.Count ?? 1 });
        });
        app.MapDelete("/faults", (FaultInjector faults) =>
        {
            faults.Clear();
            return Results.NoContent();
        });

        app.MapGet("/clock", (SimulationClock clock) => Results.Ok(new { now = clock.Now, speedFactor = clock.SpeedFactor, timeline = clock.Timeline }));
        app.MapPost("/clock/jump", (ClockJumpRequest request, SimulationClock clock) =>
        {
            if (request.Seconds is not > 0)
            {
                return Results.Problem("Field 'seconds' must be a positive number of modeled seconds.", statusCode: StatusCodes.Status400BadRequest);
            }

            clock.Jump(TimeSpan.FromSeconds(request.Seconds.Value));
            return Results.Ok(new { now = clock.Now });
        });
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

/// <summary>POST /faults body: e.g. <c>{"kind":"ssh-fails","vm":"dev-master","count":3}</c>.</summary>
public sealed record FaultRequest(string? Kind, string? Vm, int? Count);

/// <summary>POST /clock/jump body: modeled seconds to skip, e.g. a night the Mac slept.</summary>
public sealed record ClockJumpRequest(double? Seconds);
