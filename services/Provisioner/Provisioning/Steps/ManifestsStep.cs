using LabNet.Provisioner.Kubernetes;

namespace LabNet.Provisioner.Provisioning.Steps;

/// <summary>Applies one manifest folder to the cluster; done when every object in it is already live as written.</summary>
public sealed class ManifestsStep(string cluster, string folder, string manifestsDirectory, ManifestApplier applier) : IProvisioningStep
{
    public StepId Id { get; } = new(cluster, null, $"manifests.{folder}");

    public string Description => $"apply manifests/{folder}";

    public TimeSpan ExpectedDuration => TimeSpan.FromSeconds(20);

    private IReadOnlyList<Manifest> Load()
    {
        try
        {
            return YamlManifests.LoadFolder(Path.Combine(manifestsDirectory, folder));
        }
        catch (ManifestException ex)
        {
            throw new PermanentStepException(ex.Message, ex);
        }
    }

    public async Task<bool> IsDoneAsync(ClusterContext context, CancellationToken cancellationToken)
    {
        try
        {
            return (await applier.DiffAsync(cluster, Load(), cancellationToken)).Changed == 0;
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            throw Unreachable(ex);
        }
    }

    public async Task RunAsync(ClusterContext context, CancellationToken cancellationToken)
    {
        try
        {
            await applier.ApplyAsync(cluster, Load(), cancellationToken);
        }
        catch (ManifestException ex)
        {
            throw new PermanentStepException(ex.Message, ex);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            throw Unreachable(ex);
        }
    }

    // The client already retried with backoff; the step is retried once more from the top (applying is idempotent).
    private TransientStepException Unreachable(Exception ex) =>
        new($"The API server of {cluster} did not answer while applying manifests/{folder}: {ex.Message}", ex);
}
