using System.Text.Json;
using Microsoft.Extensions.Configuration;

namespace LabNet.AppHost;

/// <summary>
/// Where the FlowCollector finds each cluster's hubble-relay. Simulation: each cluster's relay gets a fixed loopback
/// port from 14245 in clusters.json order (so `hubble observe --server localhost:14246` reaches dev every time), which
/// the simulator is told to listen on once the cluster's Cilium runs the relay; until then the FlowCollector's
/// connections are refused and it retries. Not 4245 itself: that is where the seed's `kubectl port-forward
/// svc/hubble-relay 4245:80` listens, and it must stay free for it. Real mode: <c>LabNet:Real:Relays:&lt;cluster&gt;</c>,
/// e.g. a port-forward of svc/hubble-relay.
/// </summary>
internal static class HubbleRelays
{
    public const int FirstSimulatedPort = 14245;

    public static IResourceBuilder<ProjectResource> WithHubbleRelays(
        this IResourceBuilder<ProjectResource> flowCollector,
        IResourceBuilder<ProjectResource>? simulator,
        IConfiguration configuration,
        string specPath)
    {
        if (simulator is not null)
        {
            var index = 0;
            foreach (var cluster in ClusterNames(specPath))
            {
                var port = FirstSimulatedPort + index++;
                var address = $"http://127.0.0.1:{port}";
                // The simulator starts a cluster's relay once its Cilium runs one, on the port reserved for it here.
                simulator.WithEnvironment($"Simulator__Hubble__RelayPorts__{cluster}", port.ToString(System.Globalization.CultureInfo.InvariantCulture));
                flowCollector.WithEnvironment($"FlowCollector__Relays__{cluster}", address);
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
            // An unreadable spec is the Provisioner's to report (with the JSON path and the fix); no relays meanwhile.
            return [];
        }
    }
}
