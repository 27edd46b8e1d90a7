using LabNet.Provisioner.Kubernetes;
using LabNet.Provisioner.Spec;
using LabNet.Provisioner.Tart;

namespace LabNet.Provisioner.Provisioning;

/// <summary>Stops and deletes every VM of the spec and removes the kubeconfigs, as the original's destroy.sh.</summary>
public sealed partial class LabDestroyer(
    LabSpecSource specSource,
    TartCli tart,
    KubeconfigStore kubeconfigs,
    LabProgress progress,
    ProvisionerTelemetry telemetry,
    ILogger<LabDestroyer> logger)
{
    public async Task<LabOperationResult> DestroyAsync(CancellationToken cancellationToken)
    {
        var specResult = await specSource.ReadAsync(cancellationToken);
        if (!specResult.IsValid)
        {
            return LabOperationResult.InvalidSpec(specResult.Problems);
        }

        var spec = specResult.Spec!;
        using var labSpan = telemetry.Source.StartActivity("lab destroy");
        progress.Begin("destroy", spec.Clusters.Select(c => (c.Name, c.Nodes.Count * 2 + 1)));
        try
        {
            var outcomes = await Task.WhenAll(spec.Clusters.Select(async cluster =>
            {
                using var span = telemetry.Source.StartActivity($"cluster {cluster.Name}");
                progress.Started(cluster.Name);
                try
                {
                    foreach (var node in cluster.Nodes)
                    {
                        await tart.StopAsync(node.Name, timeoutSeconds: 30, cancellationToken);
                        progress.StepCompleted(new StepId(cluster.Name, node.Name, "vm.stop"), skipped: false);
                        await tart.DeleteAsync(node.Name, cancellationToken);
                        progress.StepCompleted(new StepId(cluster.Name, node.Name, "vm.delete"), skipped: false);
                    }

                    kubeconfigs.Delete(cluster.Name);
                    progress.StepCompleted(new StepId(cluster.Name, null, "kubeconfig.delete"), skipped: false);
                    progress.Finished(cluster.Name, null);
                    LogDestroyed(cluster.Name);
                    return new ClusterOutcome(cluster.Name, null);
                }
                catch (ToolFailedException ex)
                {
                    progress.Finished(cluster.Name, ex.Message);
                    return new ClusterOutcome(cluster.Name, ex.Message);
                }
            }));

            return LabOperationResult.Completed(outcomes);
        }
        finally
        {
            progress.End();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Cluster {Cluster} destroyed: VMs stopped and deleted, kubeconfig removed")]
    private partial void LogDestroyed(string cluster);
}
