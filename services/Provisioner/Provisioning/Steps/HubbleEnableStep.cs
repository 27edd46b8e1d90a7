using LabNet.Provisioner.Helm;

namespace LabNet.Provisioner.Provisioning.Steps;

/// <summary>Turns on Hubble, its relay, UI and metrics on top of Cilium (the original's second helm upgrade).</summary>
public sealed class HubbleEnableStep(string cluster, string manifestsDirectory) : IProvisioningStep
{
    public StepId Id { get; } = new(cluster, null, "hubble.enable");

    public string Description => "enable Hubble relay, UI and metrics";

    public TimeSpan ExpectedDuration => TimeSpan.FromMinutes(1);

    public async Task<bool> IsDoneAsync(ClusterContext context, CancellationToken cancellationToken)
    {
        var values = await context.Tools.Helm.GetValuesAsync(context.KubeconfigPath, CiliumInstallStep.Release, CiliumInstallStep.Namespace, cancellationToken);
        return values?["hubble"]?["relay"]?["enabled"]?.GetValueKind() == System.Text.Json.JsonValueKind.True;
    }

    public Task RunAsync(ClusterContext context, CancellationToken cancellationToken) =>
        context.Tools.Helm.UpgradeInstallAsync(context.KubeconfigPath, new HelmInstall(
            CiliumInstallStep.Release,
            "cilium/cilium",
            CiliumInstallStep.Namespace,
            [Path.Combine(manifestsDirectory, "cilium", "hubble-values.yaml")],
            [],
            TimeSpan.FromMinutes(10),
            ReuseValues: true), cancellationToken);
}
