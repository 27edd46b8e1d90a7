using System.Text.Json.Nodes;

namespace LabNet.Simulator.Kubernetes;

/// <summary>The documents of the discovery and OpenAPI endpoints that are not served from the catalog as they are.</summary>
internal static class DiscoveryRequests
{
    /// <summary>
    /// The OpenAPI v2 document, which kubectl falls back to for kinds the v3 documents do not know (a kind whose CRD is
    /// missing). It holds no definitions: the schemas are published in v3, so kubectl skips client-side validation of
    /// an unknown kind and then reports "no matches for kind", as against a real cluster.
    /// </summary>
    public static async Task OpenApiV2Async(HttpContext context, ClusterApi cluster)
    {
        if (context.Request.Headers.Accept.ToString().Contains("protobuf", StringComparison.Ordinal))
        {
            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/octet-stream";
            // openapi_v2.Document { swagger: "2.0" }: field 1, wire type 2, length 3.
            await context.Response.Body.WriteAsync(new byte[] { 0x0A, 0x03, (byte)'2', (byte)'.', (byte)'0' });
            return;
        }

        await ApiResponses.WriteAsync(context, 200, new JsonObject
        {
            ["swagger"] = "2.0",
            ["info"] = new JsonObject { ["title"] = "Kubernetes", ["version"] = cluster.Bootstrap.KubernetesVersion },
            ["paths"] = new JsonObject(),
            ["definitions"] = new JsonObject(),
        });
    }
}
