using System.Text.Json.Nodes;
using LabNet.Canary;
using LabNet.CanaryController.Mesh;
using LabNet.CanaryController.Resources;

namespace LabNet.CanaryController.Kubernetes;

/// <summary>The VirtualService and DestinationRule a Canary names, as the core sees them and as they are on the wire.</summary>
public sealed record MeshRead(MeshSnapshot Snapshot, JsonObject? VirtualService, JsonObject? DestinationRule)
{
    /// <summary>
    /// The <c>version</c> label behind a subset (what the FlowCollector groups traffic by); the subset's name when the
    /// subset selects no version label.
    /// </summary>
    public string VersionOf(string subset) => IstioObjects.SubsetLabel(DestinationRule, subset, "version") ?? subset;
}

public static class IstioMeshReader
{
    /// <summary>Reads the two objects (networking.istio.io/v1beta1); a missing one is simply absent from the snapshot.</summary>
    public static async Task<MeshRead> ReadAsync(CanaryCluster cluster, CanaryTarget target, CancellationToken cancellationToken)
    {
        var virtualService = await cluster.GetIstioAsync(target.Namespace, ApiCoordinates.VirtualServices, target.VirtualService, cancellationToken);
        var destinationRule = await cluster.GetIstioAsync(target.Namespace, ApiCoordinates.DestinationRules, target.DestinationRule, cancellationToken);
        var snapshot = new MeshSnapshot(
            virtualService is null ? [] : [IstioObjects.ToVirtualService(virtualService)],
            destinationRule is null ? [] : [IstioObjects.ToDestinationRule(destinationRule)]);
        return new MeshRead(snapshot, virtualService, destinationRule);
    }
}
