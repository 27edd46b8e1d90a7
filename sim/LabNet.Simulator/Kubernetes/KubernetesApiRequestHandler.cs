using System.Text.Json;
using System.Text.Json.Nodes;

namespace LabNet.Simulator.Kubernetes;

/// <summary>
/// Routes one request of the Kubernetes REST API to the cluster's <see cref="ClusterApi"/>: discovery and OpenAPI
/// documents, the resource verbs (<see cref="ResourceRequests"/>) and watch (<see cref="WatchRequests"/>); turns
/// failures into the apiserver's <c>Status</c> errors and counts every request.
/// </summary>
public sealed class KubernetesApiRequestHandler(
    ClusterApiRegistry registry,
    ResourceRequests resources,
    KubernetesApiMetrics metrics,
    ILogger<KubernetesApiRequestHandler> logger)
{
    public async Task HandleAsync(HttpContext context, string clusterName, string path)
    {
        var cluster = registry.FindApi(clusterName);
        if (cluster is null)
        {
            logger.LogWarning("Refused {Method} /clusters/{Cluster}/{Path}: no such cluster (connection aborted, like a host with no API server)",
                context.Request.Method, clusterName, path);
            context.Abort();
            return;
        }

        if (!cluster.Availability.Serving)
        {
            logger.LogWarning("Refused {Method} /clusters/{Cluster}/{Path}: the API server is down ({Reason})",
                context.Request.Method, clusterName, path, cluster.Availability.Reason);
            context.Abort();
            return;
        }

        try
        {
            await DispatchAsync(context, cluster, path.Split('/', StringSplitOptions.RemoveEmptyEntries));
        }
        catch (KubernetesApiException e)
        {
            await ApiResponses.WriteAsync(context, e.Code, e.ToStatus());
        }
        catch (JsonException e)
        {
            await ApiResponses.WriteAsync(context, 400, KubernetesApiException.BadRequest($"error decoding request body: {e.Message}").ToStatus());
        }
        catch (Exception e) when (e is not OperationCanceledException && !context.Response.HasStarted)
        {
            logger.LogError(e, "{Method} /clusters/{Cluster}/{Path} failed", context.Request.Method, clusterName, path);
            await ApiResponses.WriteAsync(context, 500, new KubernetesApiException(500, "InternalError", $"Internal error occurred: {e.Message}").ToStatus());
        }
        finally
        {
            metrics.Request(clusterName, context.Request.Method, context.Items[ResourceRequests.ResourceItem] as string ?? "", context.Response.StatusCode);
        }
    }

    private async Task DispatchAsync(HttpContext context, ClusterApi cluster, string[] segments)
    {
        var method = context.Request.Method;
        if (segments.Length == 0)
        {
            await ApiResponses.WriteAsync(context, 200, new JsonObject { ["paths"] = new JsonArray("/api", "/api/v1", "/apis", "/openapi/v3", "/version") });
            return;
        }

        switch (segments)
        {
            case ["version"]:
                await ApiResponses.WriteAsync(context, 200, DiscoveryDocuments.Version(cluster.Bootstrap));
                return;
            case ["api"]:
                await ApiResponses.WriteAsync(context, 200, DiscoveryDocuments.CoreVersions(cluster.Bootstrap));
                return;
            case ["apis"]:
                await ApiResponses.WriteAsync(context, 200, DiscoveryDocuments.GroupList(cluster.Catalog));
                return;
            case ["apis", var group]:
                await ApiResponses.WriteAsync(context, 200, DiscoveryDocuments.GroupDocument(cluster.Catalog, group) ?? throw KubernetesApiException.ResourceNotFound());
                return;
            case ["api", var v] when method == "GET":
                await ApiResponses.WriteAsync(context, 200, DiscoveryDocuments.ResourceList(cluster.Catalog, "", v) ?? throw KubernetesApiException.ResourceNotFound());
                return;
            case ["apis", var group, var v] when method == "GET":
                await ApiResponses.WriteAsync(context, 200, DiscoveryDocuments.ResourceList(cluster.Catalog, group, v) ?? throw KubernetesApiException.ResourceNotFound());
                return;
            case ["openapi", "v2"]:
                await DiscoveryRequests.OpenApiV2Async(context, cluster);
                return;
            case ["openapi", "v3"]:
                await ApiResponses.WriteAsync(context, 200, OpenApiDocuments.Index(cluster.Catalog, cluster.Bootstrap, $"/clusters/{cluster.Bootstrap.Name}"));
                return;
            case ["openapi", "v3", "api", var v]:
                await ApiResponses.WriteAsync(context, 200, OpenApiDocuments.ForGroupVersion(cluster.Catalog, cluster.Bootstrap, "", v) ?? throw KubernetesApiException.ResourceNotFound());
                return;
            case ["openapi", "v3", "apis", var group, var v]:
                await ApiResponses.WriteAsync(context, 200, OpenApiDocuments.ForGroupVersion(cluster.Catalog, cluster.Bootstrap, group, v) ?? throw KubernetesApiException.ResourceNotFound());
                return;
            case ["api", var v, .. var rest]:
                await resources.ServeAsync(context, cluster, "", v, rest);
                return;
            case ["apis", var group, var v, .. var rest]:
                await resources.ServeAsync(context, cluster, group, v, rest);
                return;
        }

        throw KubernetesApiException.ResourceNotFound();
    }
}
