namespace LabNet.Simulator.Clock;

/// <summary>HTTP routes of the modeled clock: where it is, and a jump forward (a Mac that slept).</summary>
public static class ClockEndpoints
{
    public static IEndpointRouteBuilder MapClock(this IEndpointRouteBuilder app)
    {
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
}

/// <summary>POST /clock/jump body: modeled seconds to skip, e.g. a night the Mac slept.</summary>
public sealed record ClockJumpRequest(double? Seconds);
