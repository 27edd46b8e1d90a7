using System.Net;
using LabNet.Simulator.Kubernetes;

namespace LabNet.Simulator.Tests.Kubernetes;

/// <summary>
/// A cluster whose API server is down (or gone) drops connections like a dead apiserver. kubectl then fails after its
/// retries (about a minute), so these tests use a plain HTTP client.
/// </summary>
[Collection(SimulatorServerCollection.Name)]
public sealed class ApiServerAvailabilityTests(SimulatorServer server)
{
    [Fact]
    public async Task A_cluster_whose_api_server_is_down_drops_the_connection_until_it_serves_again()
    {
        var cluster = server.CreateCluster();
        using var http = new HttpClient();
        cluster.Api.Availability = ApiServerAvailability.Down("kube-apiserver static pod is not running");

        await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync(new Uri(cluster.Api.Server + "/version")).WaitAsync(TimeSpan.FromSeconds(20)));

        cluster.Api.Availability = ApiServerAvailability.Up;
        using var response = await http.GetAsync(new Uri(cluster.Api.Server + "/version")).WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"gitVersion\":\"v1.31.14\"", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_removed_cluster_drops_the_connection()
    {
        var cluster = server.CreateCluster();
        using var http = new HttpClient();
        Assert.True(server.Registry.Remove(cluster.Api.Bootstrap.Name));

        await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync(new Uri(cluster.Api.Server + "/api")).WaitAsync(TimeSpan.FromSeconds(20)));
        Assert.Null(server.Registry.Find(cluster.Api.Bootstrap.Name));
    }

    [Fact]
    public async Task Open_watches_are_cut_when_the_api_server_goes_down()
    {
        var cluster = server.CreateCluster();
        using var http = new HttpClient();
        using var response = await http.GetAsync(new Uri(cluster.Api.Server + "/api/v1/nodes?watch=true"), HttpCompletionOption.ResponseHeadersRead)
            .WaitAsync(TimeSpan.FromSeconds(20));
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        for (var i = 0; i < 3; i++)
        {
            Assert.Contains("\"type\":\"ADDED\"", await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(20)));
        }

        cluster.Api.Availability = ApiServerAvailability.Down("control plane VM stopped");

        await Assert.ThrowsAnyAsync<IOException>(() => reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(20)));
    }
}
