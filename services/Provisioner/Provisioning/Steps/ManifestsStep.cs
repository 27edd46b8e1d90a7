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

    public async Task<bool> IsDoneAsync(ClusterContext context, CancellationToken cancellationToken) =>
        (await applier.DiffAsync(cluster, Load(), cancellationToken)).Changed == 0;

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
    }
}
