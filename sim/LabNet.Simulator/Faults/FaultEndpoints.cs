namespace LabNet.Simulator.Faults;

/// <summary>HTTP routes of the fault hooks: the faults in force, add one, clear them.</summary>
public static class FaultEndpoints
{
    public static IEndpointRouteBuilder MapFaults(this IEndpointRouteBuilder app)
    {
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
        return app;
    }
}

/// <summary>POST /faults body: e.g. <c>{"kind":"ssh-fails","vm":"dev-master","count":3}</c>.</summary>
public sealed record FaultRequest(string? Kind, string? Vm, int? Count);
