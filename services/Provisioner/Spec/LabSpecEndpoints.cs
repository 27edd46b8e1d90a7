namespace LabNet.Provisioner.Spec;

public static class LabSpecEndpoints
{
    /// <summary><c>GET /api/lab/spec</c>: the validated lab, or every problem with its JSON path and fix (422).</summary>
    public static IEndpointRouteBuilder MapLabSpecEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/lab/spec", async (LabSpecSource source, CancellationToken cancellationToken) =>
        {
            var result = await source.ReadAsync(cancellationToken);
            return result.IsValid
                ? Results.Ok(LabSpecView.From(source.Path, result.Spec!))
                : Results.UnprocessableEntity(new { file = source.Path, problems = result.Problems });
        });

        return endpoints;
    }
}
