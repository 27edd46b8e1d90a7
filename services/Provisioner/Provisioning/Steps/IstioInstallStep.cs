using LabNet.Provisioner.Helm;

namespace LabNet.Provisioner.Provisioning.Steps;

/// <summary>
/// Istio from its Helm charts as the original lab installs it (no istioctl): base (the CRDs), istiod, and the
/// ingress gateway as a NodePort. Done when all three releases are deployed.
/// </summary>
public sealed class IstioInstallStep(string cluster, string manifestsDirectory) : IProvisioningStep
{
    private static readonly (string Release, string Chart, string Namespace)[] Releases =
    [
        ("istio-base", "istio/base", "istio-system"),
        ("istiod", "istio/istiod", "istio-system"),
        ("istio-ingressgateway", "istio/gateway", "istio-ingress"),
    ];

    public StepId Id { get; } = new(cluster, null, "istio.install");

    public string Description => "install Istio (base, istiod, ingress gateway)";

    public TimeSpan ExpectedDuration => TimeSpan.FromMinutes(2);

    public async Task<bool> IsDoneAsync(ClusterContext context, CancellationToken cancellationToken)
    {
        foreach (var group in Releases.GroupBy(r => r.Namespace))
        {
            var deployed = await context.Tools.Helm.ListAsync(context.KubeconfigPath, group.Key, cancellationToken);
            if (group.Any(r => !deployed.Any(d => d.Name == r.Release && d.IsDeployed)))
            {
                return false;
            }
        }

        return true;
    }

    public async Task RunAsync(ClusterContext context, CancellationToken cancellationToken)
    {
        await context.Tools.Helm.RepoAddAsync("istio", "https://istio-release.storage.googleapis.com/charts", cancellationToken);
        var istiodValues = Path.Combine(manifestsDirectory, "istio", "helm", "istio-values.yaml");
        foreach (var (release, chart, ns) in Releases)
        {
            await context.Tools.Helm.UpgradeInstallAsync(context.KubeconfigPath, new HelmInstall(
                release,
                chart,
                ns,
                release == "istiod" && File.Exists(istiodValues) ? [istiodValues] : [],
                release switch
                {
                    "istio-base" => [new("defaultRevision", "default")],
                    "istio-ingressgateway" => [new("service.type", "NodePort")],
                    _ => [],
                },
                TimeSpan.FromMinutes(5),
                CreateNamespace: true), cancellationToken);
        }
    }
}
