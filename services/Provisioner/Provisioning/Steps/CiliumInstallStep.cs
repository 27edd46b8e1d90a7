using System.Text.Json.Nodes;
using LabNet.Provisioner.Helm;

namespace LabNet.Provisioner.Provisioning.Steps;

/// <summary>
/// <c>helm upgrade --install cilium</c> with the lab's values, the cluster's pod CIDR and the control plane's
/// current address as <c>k8sServiceHost</c>. Done when the installed values already say exactly that, so an IP change
/// makes it run again and repoint the agents.
/// </summary>
public sealed class CiliumInstallStep(string cluster, string master, string podCidr, string manifestsDirectory) : IProvisioningStep
{
    public const string Release = "cilium";
    public const string Namespace = "kube-system";

    public StepId Id { get; } = new(cluster, null, "cilium.install");

    public string Description => $"install Cilium (kube-proxy replacement, pods {podCidr})";

    public TimeSpan ExpectedDuration => TimeSpan.FromMinutes(2);

    public async Task<bool> IsDoneAsync(ClusterContext context, CancellationToken cancellationToken)
    {
        var values = await context.Tools.Helm.GetValuesAsync(context.KubeconfigPath, Release, Namespace, cancellationToken);
        return values is not null
            && Text(values["k8sServiceHost"]) == context.AddressOf(master)
            && Text(values["cluster"]?["name"]) == cluster
            && values["ipam"]?["operator"]?["clusterPoolIPv4PodCIDRList"] is JsonArray list
            && list.Select(Text).SequenceEqual([podCidr]);
    }

    public async Task RunAsync(ClusterContext context, CancellationToken cancellationToken)
    {
        await context.Tools.Helm.RepoAddAsync("cilium", "https://helm.cilium.io/", cancellationToken);
        await context.Tools.Helm.UpgradeInstallAsync(context.KubeconfigPath, new HelmInstall(
            Release,
            "cilium/cilium",
            Namespace,
            [Path.Combine(manifestsDirectory, "cilium", "cilium-values.yaml")],
            [
                new("ipam.operator.clusterPoolIPv4PodCIDRList", $"{{{podCidr}}}"),
                new("cluster.name", cluster),
                new("k8sServiceHost", context.AddressOf(master)),
                new("k8sServicePort", "6443"),
            ],
            TimeSpan.FromMinutes(10),
            // Keep whatever Hubble settings an earlier apply added when only the address changed.
            ReuseValues: true), cancellationToken);
    }

    private static string? Text(JsonNode? node) => node?.GetValueKind() == System.Text.Json.JsonValueKind.String ? node.GetValue<string>() : node?.ToJsonString();
}
