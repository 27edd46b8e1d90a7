using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;

namespace LabNet.Simulator.Faults;

/// <summary>
/// What a real API server does now and then under a client's feet, on demand: a connection reset (a load balancer or
/// the apiserver restarting) or a 503 (the apiserver not ready, or shedding load). While a fault aimed at a cluster is
/// in force (the fault's <c>vm</c> names the cluster), every other request to that cluster's API
/// (<c>/clusters/&lt;name&gt;/...</c>) fails and uses up one of its count: a flaky server, not a dead one, so a client
/// that polls and one that retries both meet it.
/// </summary>
public static class ApiServerFaults
{
    public static IApplicationBuilder UseApiServerFaults(this IApplicationBuilder app)
    {
        var faults = app.ApplicationServices.GetRequiredService<FaultInjector>();
        var requests = new System.Collections.Concurrent.ConcurrentDictionary<string, StrongBox<long>>(StringComparer.Ordinal);
        return app.Use(async (context, next) =>
        {
            var segments = context.Request.Path.Value?.Split('/', StringSplitOptions.RemoveEmptyEntries) ?? [];
            if (segments is ["clusters", var cluster, ..] && Interlocked.Increment(ref requests.GetOrAdd(cluster, _ => new StrongBox<long>()).Value) % 2 == 1)
            {
                if (faults.Fire(FaultKind.ApiConnectionReset, cluster))
                {
                    context.Abort();
                    return;
                }

                if (faults.Fire(FaultKind.ApiUnavailable, cluster))
                {
                    context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                    context.Response.ContentType = "application/json";
                    await context.Response.WriteAsync(new JsonObject
                    {
                        ["kind"] = "Status",
                        ["apiVersion"] = "v1",
                        ["metadata"] = new JsonObject(),
                        ["status"] = "Failure",
                        ["message"] = "the server is currently unable to handle the request",
                        ["reason"] = "ServiceUnavailable",
                        ["details"] = new JsonObject(),
                        ["code"] = 503,
                    }.ToJsonString());
                    return;
                }
            }

            await next();
        });
    }
}
