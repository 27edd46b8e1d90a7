using LabNet.Provisioner.Helm;

namespace LabNet.Provisioner.Provisioning.Steps;

/// <summary>
/// metrics-server from its Helm chart, as the original lab installs it on dev and staging (phase 11), so
/// <c>kubectl top</c> and the demo's HPAs have the resource metrics API. kubeadm's kubelets serve self-signed
/// certificates without IP SANs, hence <c>--kubelet-insecure-tls</c>. Done when the release is deployed.
/// </summary>
public sealed class MetricsServerInstallStep(string cluster) : IProvisioningStep
{
    public const string Release = "metrics-server";
    public const string Namespace = "kube-system";
    public const string ChartVersion = "3.12.2";

    public StepId Id { get; } = new(cluster, null, "metrics-server.install");

    public string Description => $"install metrics-server (chart {ChartVersion})";

    public TimeSpan ExpectedDuration => TimeSpan.FromSeconds(40);

    public async Task<bool> IsDoneAsync(ClusterContext context, CancellationToken cancellationToken) =>
        (await context.Tools.Helm.ListAsync(context.KubeconfigPath, Namespace, cancellationToken)).Any(r => r.Name == Release && r.IsDeployed);

    public async Task RunAsync(ClusterContext context, CancellationToken cancellationToken)
    {
        await context.Tools.Helm.RepoAddAsync("metrics-server", "https://kubernetes-sigs.github.io/metrics-server/", cancellationToken);
        await context.Tools.Helm.UpgradeInstallAsync(context.KubeconfigPath, new HelmInstall(
            Release,
            "metrics-server/metrics-server",
            Namespace,
            [],
            [new("args", "{--kubelet-insecure-tls}")],
            TimeSpan.FromMinutes(5),
            Version: ChartVersion), cancellationToken);
    }
}
