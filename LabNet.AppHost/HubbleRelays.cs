using System.Text.Json;
using Microsoft.Extensions.Configuration;

namespace LabNet.AppHost;

/// <summary>
/// How the FlowCollector finds each cluster's hubble-relay, the same way in both modes: every kubeconfig the Provisioner
/// writes names a cluster, and the collector reaches its relay through that cluster's Kubernetes API (port-forward to
/// svc/hubble-relay), so nothing is wired by hand and clusters are followed from when they exist.
/// <c>LabNet:Real:Relays:&lt;cluster&gt;</c> may still name a relay address directly (real mode only).
/// The simulator also serves each relay, once the cluster's Cilium runs one, on a fixed loopback port from 14245 in
/// clusters.json order, for a person's <c>hubble observe --server localhost:14246</c> (dev); 4245 stays free for the
/// seed's own port-forward. With <c>LabNet:Simulation:RelayPorts=Free</c> (test hosts) every relay takes a free port.
/// </summary>
internal static class HubbleRelays
{
    public const int FirstSimulatedPort = 14245;

    public static IResourceBuilder<ProjectResource> WithHubbleRelays(
        this IResourceBuilder<ProjectResource> flowCollector,
        IResourceBuilder<ProjectResource>? simulator,
        IConfiguration configuration,
        string specPath,
        string kubeconfigDirectory)
    {
        flowCollector.WithEnvironment("FlowCollector__KubeconfigDirectory", kubeconfigDirectory);
        if (simulator is not null)
        {
            if (RelayPortsSetting.TryRead(configuration, out var ports, out _) && ports is RelayPorts.Free)
            {
                return flowCollector;
            }

            var index = 0;
            foreach (var cluster in ClusterNames(specPath))
            {
                var port = FirstSimulatedPort + index++;
                var address = $"http://127.0.0.1:{port}";
                // The simulator starts a cluster's relay once its Cilium runs one, on the port reserved for it here.
                simulator.WithEnvironment($"Simulator__Hubble__RelayPorts__{cluster}", port.ToString(System.Globalization.CultureInfo.InvariantCulture));
                // Shown on the simulator's details: where `hubble observe --server` reaches each cluster.
                simulator.WithUrls(context => context.Urls.Add(new ResourceUrlAnnotation
                {
                    Url = address,
                    DisplayText = $"hubble-relay {cluster} (gRPC)",
                    DisplayLocation = UrlDisplayLocation.DetailsOnly,
                }));
            }

            return flowCollector;
        }

        foreach (var relay in configuration.GetSection($"{RealModePreflight.Section}:Relays").GetChildren())
        {
            flowCollector.WithEnvironment($"FlowCollector__Relays__{relay.Key}", relay.Value ?? "");
        }

        return flowCollector;
    }

    /// <summary>The cluster names of the lab spec, in order; the Provisioner validates the rest of the file.</summary>
    private static IEnumerable<string> ClusterNames(string specPath)
    {
        try
        {
            using var spec = JsonDocument.Parse(File.ReadAllText(specPath));
            return spec.RootElement.GetProperty("clusters").EnumerateArray()
                .Select(c => c.GetProperty("name").GetString() ?? "")
                .Where(name => name.Length > 0)
                .ToList();
        }
        catch (Exception ex) when (ex is IOException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            // An unreadable spec is the Provisioner's to report (with the JSON path and the fix); no relay links meanwhile.
            return [];
        }
    }
}
