namespace LabNet.Provisioner.Provisioning.Steps;

/// <summary><c>tart pull</c> of the base image, skipped when Tart's OCI cache already has it.</summary>
public sealed class ImagePullStep(string cluster, string image, ImagePulls pulls) : IProvisioningStep
{
    public StepId Id { get; } = new(cluster, null, "image.pull");

    public string Description => $"pull {image}";

    public TimeSpan ExpectedDuration => TimeSpan.FromMinutes(3);

    public async Task<bool> IsDoneAsync(ClusterContext context, CancellationToken cancellationToken) =>
        (await context.Tools.Tart.ListAsync(cancellationToken)).Any(vm => vm.Name == image);

    public Task RunAsync(ClusterContext context, CancellationToken cancellationToken) =>
        pulls.OneAtATimeAsync(image, async () =>
        {
            // Another cluster may have pulled it while this one waited for the lock.
            if (!await IsDoneAsync(context, cancellationToken))
            {
                await context.Tools.Tart.PullAsync(image, cancellationToken);
            }

            return true;
        }, cancellationToken);
}
