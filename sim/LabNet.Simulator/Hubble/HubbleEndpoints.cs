using System.Text;
using LabNet.Hubble;
using LabNet.Hubble.ObserverApi;
using LabNet.Simulator.Hubble.Relay;

namespace LabNet.Simulator.Hubble;

/// <summary>The simulator's HTTP side of Hubble: where the relays are, the relay fault hooks, and a flow export.</summary>
public static class HubbleEndpoints
{
    public const int DefaultLast = 20;

    public static IEndpointRouteBuilder MapHubble(this IEndpointRouteBuilder app)
    {
        app.MapGet("/hubble/relays", (HubbleRelays relays) =>
            Results.Ok(relays.List().Select(r => new RelayInfo(r.Cluster, r.Address?.ToString().TrimEnd('/'), r.Running))));

        app.MapPost("/faults/relay-restart", (string? cluster, HubbleRelays relays, CancellationToken ct) => RestartAsync(cluster, stayDown: false, relays, ct));
        app.MapPost("/faults/relay-kill", (string? cluster, HubbleRelays relays, CancellationToken ct) => RestartAsync(cluster, stayDown: true, relays, ct));
        app.MapPost("/faults/relay-start", async (string? cluster, HubbleRelays relays, CancellationToken ct) =>
            cluster is null ? MissingCluster() : await relays.StartRelayAsync(cluster, ct) ? Results.Ok(Info(relays, cluster)) : UnknownCluster(cluster));

        app.MapGet("/hubble/flows", (string? cluster, int? last, HubbleClusters clusters) =>
        {
            if (cluster is null)
            {
                return MissingCluster();
            }

            if (clusters.Find(cluster) is not { } flows)
            {
                return Results.Problem($"Cluster '{cluster}' has no Hubble yet: no cluster of that name runs Cilium with Hubble, or it has not seen a flow.", statusCode: 404);
            }

            if (last is < 1)
            {
                return Results.Problem($"Query parameter 'last' must be a positive number of flows (got {last}); omit it for the last {DefaultLast}.", statusCode: 400);
            }

            var text = new StringBuilder();
            foreach (var e in Last(flows, last ?? DefaultLast))
            {
                text.Append(HubbleJson.Format(e)).Append('\n');
            }

            return Results.Text(text.ToString(), "application/x-ndjson", Encoding.UTF8);
        });

        return app;
    }

    /// <summary>The last <paramref name="count"/> events of the cluster over all its nodes, oldest first.</summary>
    public static IReadOnlyList<GetFlowsResponse> Last(HubbleClusterFlows cluster, int count)
    {
        var all = cluster.Rings.SelectMany(r => r.Snapshot().Events).ToList();
        all.Sort(static (a, b) => a.Time.CompareTo(b.Time));
        return all.Count <= count ? all : all.GetRange(all.Count - count, count);
    }

    private static async Task<IResult> RestartAsync(string? cluster, bool stayDown, HubbleRelays relays, CancellationToken ct)
    {
        if (cluster is null)
        {
            return MissingCluster();
        }

        return await relays.RestartAsync(cluster, stayDown, ct) ? Results.Ok(Info(relays, cluster)) : UnknownCluster(cluster);
    }

    private static RelayInfo Info(HubbleRelays relays, string cluster)
    {
        var relay = relays.List().Single(r => r.Cluster == cluster);
        return new RelayInfo(relay.Cluster, relay.Address?.ToString().TrimEnd('/'), relay.Running);
    }

    private static IResult MissingCluster() =>
        Results.Problem("Query parameter 'cluster' is required (a cluster of the lab spec, e.g. cluster=dev).", statusCode: 400);

    private static IResult UnknownCluster(string cluster) =>
        Results.Problem($"Cluster '{cluster}' has no hubble-relay (it runs once Cilium is installed with hubble.relay.enabled); GET /hubble/relays lists the relays.", statusCode: 404);

    public sealed record RelayInfo(string Cluster, string? Address, bool Running);
}
