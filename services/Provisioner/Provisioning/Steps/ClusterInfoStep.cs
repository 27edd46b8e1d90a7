using System.Text.RegularExpressions;
using k8s;
using k8s.Autorest;

namespace LabNet.Provisioner.Provisioning.Steps;

/// <summary>
/// Keeps <c>kube-public/cluster-info</c> naming the control plane's current address. kubeadm writes it at init and never
/// again; a join trusts the server it names (not the endpoint on its command line), so after the control plane moved
/// every later join would go to the old address. The controller manager re-signs it for the bootstrap tokens.
/// </summary>
public sealed partial class ClusterInfoStep(string cluster, string master) : IProvisioningStep
{
    public StepId Id { get; } = new(cluster, null, "cluster-info");

    public string Description => $"check that kube-public/cluster-info names {master}'s current address";

    public TimeSpan ExpectedDuration => TimeSpan.FromSeconds(1);

    private string Server(ClusterContext context) => $"https://{context.AddressOf(master)}:6443";

    public async Task<bool> IsDoneAsync(ClusterContext context, CancellationToken cancellationToken)
    {
        var kubeconfig = await ReadAsync(context, cancellationToken);
        return kubeconfig is null || ServerLine().Match(kubeconfig) is { Success: true } match && match.Groups["server"].Value == Server(context);
    }

    public async Task RunAsync(ClusterContext context, CancellationToken cancellationToken)
    {
        var client = context.Tools.Clusters.For(cluster);
        var configMap = await client.CoreV1.ReadNamespacedConfigMapAsync("cluster-info", "kube-public", cancellationToken: cancellationToken);
        configMap.Data["kubeconfig"] = ServerLine().Replace(configMap.Data["kubeconfig"], m => m.Groups["key"].Value + Server(context), 1);
        await client.CoreV1.ReplaceNamespacedConfigMapAsync(configMap, "cluster-info", "kube-public", cancellationToken: cancellationToken);
    }

    /// <summary>The kubeconfig cluster-info carries, or null when there is none (a cluster kubeadm did not make).</summary>
    private async Task<string?> ReadAsync(ClusterContext context, CancellationToken cancellationToken)
    {
        try
        {
            var configMap = await context.Tools.Clusters.For(cluster).CoreV1.ReadNamespacedConfigMapAsync("cluster-info", "kube-public", cancellationToken: cancellationToken);
            return configMap.Data is { } data && data.TryGetValue("kubeconfig", out var kubeconfig) ? kubeconfig : null;
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    [GeneratedRegex(@"(?<key>server:[ \t]*)(?<server>\S+)")]
    private static partial Regex ServerLine();
}
