using System.Net;
using System.Net.Http.Json;
using Grpc.Net.Client;
using LabNet.Hubble.ObserverApi;
using LabNet.Simulator.Helm.Charts;
using LabNet.Simulator.Hubble;
using LabNet.Simulator.Kubernetes;
using LabNet.Simulator.Tests.Kubernetes;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LabNet.Simulator.Tests.Hubble;

/// <summary>The simulator's HTTP side of the relays: where they are, and the fault hooks that kill and restart one.</summary>
public sealed class HubbleEndpointsTests(WebApplicationFactory<Program> factory) : IClassFixture<WebApplicationFactory<Program>>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <summary>A cluster with <paramref name="nodes"/> nodes and what Cilium's chart renders for hubble-relay.</summary>
    private IClusterApi ClusterWithRelay(string name, int nodes)
    {
        var api = factory.Services.GetRequiredService<IClusterApiRegistry>().Create(
            new ClusterBootstrap(name, "10.20.0.0/16", "10.96.0.0/12", "v1.31.14", $"{name}-master", "192.168.65.10"));
        for (var i = 0; i < nodes; i++)
        {
            api.Apply(SimulatorServer.NodeObject(i == 0 ? $"{name}-master" : $"{name}-worker{i}", $"192.168.65.{10 + i}", i == 0, true, $"10.20.{i}.0/24"));
        }

        var labels = WorkloadObjects.Labels(("k8s-app", HubbleRelays.RelayName));
        api.Apply(WorkloadObjects.Deployment(HubbleRelays.RelayName, "kube-system", labels, 1,
            WorkloadObjects.PodTemplate(labels, HubbleRelays.RelayName, "quay.io/cilium/hubble-relay:v1.16.5")));
        return api;
    }

    private async Task<HubbleEndpoints.RelayInfo> RelayOfAsync(HttpClient client, string cluster) =>
        (await Eventually.WaitForAsync(
            async () => (await client.GetFromJsonAsync<HubbleEndpoints.RelayInfo[]>("/hubble/relays").WaitAsync(Timeout))!.SingleOrDefault(r => r.Cluster == cluster),
            r => r is { Running: true }))
        ?? throw new Xunit.Sdk.XunitException($"No relay of {cluster} listed.");

    [Fact]
    public async Task A_relay_is_listed_on_loopback_and_serves_its_clusters_nodes()
    {
        using var client = factory.CreateClient();
        ClusterWithRelay("east", nodes: 3);

        var relay = await RelayOfAsync(client, "east");

        Assert.StartsWith("http://127.0.0.1:", relay.Address, StringComparison.Ordinal);
        using var channel = GrpcChannel.ForAddress(relay.Address!);
        var status = await new Observer.ObserverClient(channel).ServerStatusAsync(new ServerStatusRequest()).ResponseAsync.WaitAsync(Timeout);
        Assert.Equal(3u, status.NumConnectedNodes);
    }

    [Fact]
    public async Task Restarted_relay_serves_again_on_the_same_address()
    {
        using var client = factory.CreateClient();
        ClusterWithRelay("west", nodes: 2);
        var before = await RelayOfAsync(client, "west");

        using var killed = await client.PostAsync("/faults/relay-kill?cluster=west", null).WaitAsync(Timeout);
        var down = await killed.Content.ReadFromJsonAsync<HubbleEndpoints.RelayInfo>();
        Assert.False(down!.Running);
        using var restarted = await client.PostAsync("/faults/relay-restart?cluster=west", null).WaitAsync(Timeout);
        var up = await restarted.Content.ReadFromJsonAsync<HubbleEndpoints.RelayInfo>();

        Assert.True(up!.Running);
        Assert.Equal(before.Address, up.Address);
        using var channel = GrpcChannel.ForAddress(up.Address!);
        var status = await new Observer.ObserverClient(channel).ServerStatusAsync(new ServerStatusRequest()).ResponseAsync.WaitAsync(Timeout);
        Assert.Equal(2u, status.NumConnectedNodes);
    }

    [Fact]
    public async Task A_cluster_without_a_relay_is_a_404_that_names_it()
    {
        using var client = factory.CreateClient();

        using var response = await client.PostAsync("/faults/relay-restart?cluster=qa", null).WaitAsync(Timeout);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("'qa'", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
