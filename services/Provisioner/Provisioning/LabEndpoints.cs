namespace LabNet.Provisioner.Provisioning;

public static class LabEndpoints
{
    public static IEndpointRouteBuilder MapLabEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var lab = endpoints.MapGroup("/api/lab");

        // What would change, from what the world reports now. Changes nothing.
        lab.MapPost("/plan", async (LabPlanner planner, CancellationToken cancellationToken) =>
        {
            var plan = await planner.PlanAsync(cancellationToken);
            return plan.Problems.Count > 0 ? Results.UnprocessableEntity(plan) : Results.Ok(plan);
        });

        // Starts converging the lab; ?wait=true answers when it has finished.
        lab.MapPost("/apply", async (LabOperations operations, bool? wait, CancellationToken cancellationToken) =>
            await Respond(operations.StartApply(), wait == true, cancellationToken));

        // After a host restart: apply converges, so it boots the VMs, re-resolves their addresses and repairs any control
        // plane whose address changed (certificates, manifests, kubeconfigs, the workers' kubelets, Cilium).
        lab.MapPost("/repair", async (LabOperations operations, bool? wait, CancellationToken cancellationToken) =>
            await Respond(operations.StartApply(), wait == true, cancellationToken));

        // Stops and deletes every VM of the spec; needs ?confirm=yes, like the original's destroy.sh needs "yes" typed.
        lab.MapPost("/destroy", async (LabOperations operations, string? confirm, bool? wait, CancellationToken cancellationToken) =>
            confirm == "yes"
                ? await Respond(operations.StartDestroy(), wait == true, cancellationToken)
                : Results.BadRequest(new { error = "Destroying the lab deletes every VM of the spec. Repeat the request with ?confirm=yes." }));

        lab.MapGet("/status", (LabProgress progress, LabOperations operations) =>
            Results.Ok(new { progress = progress.Snapshot(), lastResult = operations.Last }));

        return endpoints;
    }

    private static async Task<IResult> Respond(Task<LabOperationResult> operation, bool wait, CancellationToken cancellationToken)
    {
        if (operation.IsCompleted)
        {
            var immediate = await operation;
            if (immediate.Status == "busy")
            {
                return Results.Conflict(immediate);
            }
        }

        if (!wait)
        {
            return Results.Accepted("/api/lab/status", new { status = "started", statusUrl = "/api/lab/status" });
        }

        var result = await operation.WaitAsync(cancellationToken);
        return result.Status switch
        {
            "busy" => Results.Conflict(result),
            "invalid-spec" => Results.UnprocessableEntity(result),
            _ => Results.Ok(result),
        };
    }
}
