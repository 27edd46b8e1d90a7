namespace LabNet.Provisioner.Provisioning;

/// <summary>
/// The lab API. Every operation answers with its <c>operationId</c>; <c>GET /api/lab/operations/{id}?wait=true</c>
/// answers when that operation has finished, so a caller never reads an earlier operation's result as its own.
/// </summary>
public static class LabEndpoints
{
    public static IEndpointRouteBuilder MapLabEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var lab = endpoints.MapGroup("/api/lab");

        // What would change, from what the world reports now. Changes nothing; answers when the plan is made.
        lab.MapPost("/plan", async (LabOperations operations, CancellationToken cancellationToken) =>
        {
            var operation = operations.StartPlan(cancellationToken);
            await operation.Finished.WaitAsync(cancellationToken);
            return operation.Result is LabPlanResult plan
                ? plan.Problems.Count > 0 ? Results.UnprocessableEntity(plan) : Results.Ok(plan)
                : Results.Problem(operation.Error, statusCode: StatusCodes.Status500InternalServerError);
        });

        // Starts converging the lab; ?wait=true answers when it has finished.
        lab.MapPost("/apply", async (LabOperations operations, bool? wait, CancellationToken cancellationToken) =>
            await Respond(operations.TryStartApply(out var operation), operation, wait == true, cancellationToken));

        // After a host restart: apply converges, so it boots the VMs, re-resolves their addresses and repairs any control
        // plane whose address changed (certificates, manifests, kubeconfigs, the workers' kubelets, Cilium).
        lab.MapPost("/repair", async (LabOperations operations, bool? wait, CancellationToken cancellationToken) =>
            await Respond(operations.TryStartRepair(out var operation), operation, wait == true, cancellationToken));

        // Stops and deletes every VM of the spec; needs ?confirm=yes, like the original's destroy.sh needs "yes" typed.
        lab.MapPost("/destroy", async (LabOperations operations, string? confirm, bool? wait, CancellationToken cancellationToken) =>
            confirm == "yes"
                ? await Respond(operations.TryStartDestroy(out var operation), operation, wait == true, cancellationToken)
                : Results.BadRequest(new { error = "Destroying the lab deletes every VM of the spec. Repeat the request with ?confirm=yes." }));

        // One operation by id: running, finished with its result, or failed; ?wait=true answers once it is not running.
        lab.MapGet("/operations/{id}", async (LabOperations operations, string id, bool? wait, CancellationToken cancellationToken) =>
        {
            if (operations.Find(id) is not { } operation)
            {
                return Results.NotFound(new { error = $"No lab operation {id}: ids are those the plan, apply, repair and destroy requests answered with (the last 50 are kept)." });
            }

            if (wait == true)
            {
                await operation.Finished.WaitAsync(cancellationToken);
            }

            return Results.Ok(operation.View());
        });

        lab.MapGet("/status", (LabProgress progress, LabOperations operations) =>
            Results.Ok(new { progress = progress.Snapshot(), lastResult = operations.Last }));

        return endpoints;
    }

    private static async Task<IResult> Respond(bool started, LabOperation operation, bool wait, CancellationToken cancellationToken)
    {
        if (!started)
        {
            return Results.Conflict(LabOperationResult.Busy(operation.Kind) with { OperationId = operation.Id });
        }

        var statusUrl = $"/api/lab/operations/{operation.Id}";
        if (!wait)
        {
            return Results.Accepted(statusUrl, new { status = "started", operationId = operation.Id, kind = operation.Kind, statusUrl });
        }

        await operation.Finished.WaitAsync(cancellationToken);
        return operation.Result switch
        {
            LabOperationResult { Status: "invalid-spec" } result => Results.UnprocessableEntity(result),
            LabOperationResult result => Results.Ok(result),
            _ => Results.Problem(operation.Error, statusCode: StatusCodes.Status500InternalServerError),
        };
    }
}
