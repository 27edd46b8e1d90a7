namespace LabNet.Simulator.Mesh;

/// <summary><c>GET /mesh/findings[?cluster=dev]</c>: the Cilium/Istio seam findings in force, as JSON.</summary>
public static class MeshEndpoints
{
    public static IEndpointRouteBuilder MapMesh(this IEndpointRouteBuilder app)
    {
        app.MapGet("/mesh/findings", (string? cluster, SeamFindings findings) => Results.Ok(findings.Current(cluster)));
        return app;
    }
}
