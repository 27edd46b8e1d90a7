using System.Net;
using System.Net.Http.Json;
using Grpc.Net.Client;
using LabNet.Hubble.ObserverApi;
using LabNet.Simulator.Hubble;
using Microsoft.AspNetCore.Mvc.Testing;

namespace LabNet.Simulator.Tests.Hubble;

public sealed class HubbleEndpointsTests(WebApplicationFactory<Program> factory) : IClassFixture<WebApplicationFactory<Program>>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Relays_are_listed_per_cluster_in_lab_spec_order_on_loopback()
    {
        using var client = factory.CreateClient();

        var relays = await client.GetFromJsonAsync<HubbleEndpoints.RelayInfo[]>("/hubble/relays").WaitAsync(Timeout);

        Assert.Equal(["platform", "dev", "staging", "prod"], relays!.Select(r => r.Cluster));
        Assert.All(relays!, r => Assert.StartsWith("http://127.0.0.1:", r.Address, StringComparison.Ordinal));
        Assert.All(relays!, r => Assert.True(r.Running));
        using var channel = GrpcChannel.ForAddress(relays![0].Address!);
        var status = await new Observer.ObserverClient(channel).ServerStatusAsync(new ServerStatusRequest()).ResponseAsync.WaitAsync(Timeout);
        Assert.Equal(3u, status.NumConnectedNodes);
    }

    [Fact]
    public async Task Restarted_relay_serves_again_on_the_same_address()
    {
        using var client = factory.CreateClient();
        var before = (await client.GetFromJsonAsync<HubbleEndpoints.RelayInfo[]>("/hubble/relays").WaitAsync(Timeout))!.Single(r => r.Cluster == "staging");

        using var killed = await client.PostAsync("/faults/relay-kill?cluster=staging", null).WaitAsync(Timeout);
        var down = await killed.Content.ReadFromJsonAsync<HubbleEndpoints.RelayInfo>();
        Assert.False(down!.Running);
        using var restarted = await client.PostAsync("/faults/relay-restart?cluster=staging", null).WaitAsync(Timeout);
        var up = await restarted.Content.ReadFromJsonAsync<HubbleEndpoints.RelayInfo>();

        Assert.True(up!.Running);
        Assert.Equal(before.Address, up.Address);
        using var channel = GrpcChannel.ForAddress(up.Address!);
        var status = await new Observer.ObserverClient(channel).ServerStatusAsync(new ServerStatusRequest()).ResponseAsync.WaitAsync(Timeout);
        Assert.Equal(2u, status.NumConnectedNodes);
    }

    [Fact]
    public async Task Unknown_cluster_is_a_404_that_names_it()
    {
        using var client = factory.CreateClient();

        using var response = await client.PostAsync("/faults/relay-restart?cluster=qa", null).WaitAsync(Timeout);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("'qa'", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
