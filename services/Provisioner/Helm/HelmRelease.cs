using System.Text.Json.Serialization;

namespace LabNet.Provisioner.Helm;

/// <summary>One row of <c>helm list -o json</c>.</summary>
public sealed record HelmRelease(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("namespace")] string Namespace,
    [property: JsonPropertyName("revision")] string Revision,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("chart")] string Chart)
{
    public bool IsDeployed => Status == "deployed";
}
