using System.Text.Json;
using k8s;
using k8s.Models;

namespace LabNet.Simulator.Tests.Kubernetes;

/// <summary>The official .NET client (what the Provisioner and CanaryController use) against a simulated cluster.</summary>
[Collection(SimulatorServerCollection.Name)]
public sealed class KubernetesClientTests(SimulatorServer server)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    private static k8s.Kubernetes Client(TestCluster cluster) =>
        new(KubernetesClientConfiguration.BuildConfigFromConfigFile(cluster.Kubectl.KubeconfigPath));

    [Fact]
    public async Task Lists_nodes_with_their_readiness()
    {
        var cluster = server.CreateCluster();
        using var client = Client(cluster);

        var nodes = await client.CoreV1.ListNodeAsync().WaitAsync(Timeout);

        Assert.Equal(3, nodes.Items.Count);
        Assert.All(nodes.Items, n => Assert.Equal("True", n.Status.Conditions.Single(c => c.Type == "Ready").Status));
        Assert.Equal("192.168.65.10", nodes.Items[0].Status.Addresses.First(a => a.Type == "InternalIP").Address);
    }

    [Fact]
    public async Task Patches_a_custom_resource_writes_its_status_and_watches_the_changes()
    {
        var cluster = server.CreateCluster();
        cluster.Kubectl.CopyManifests();
        Assert.Equal(0, (await cluster.Kubectl.RunAsync("apply", "-f", "crds.yaml", "-f", "demo/00-namespace.yaml")).ExitCode);
        Assert.Equal(0, (await cluster.Kubectl.RunAsync("apply", "-f", "istio.yaml")).ExitCode);
        using var client = Client(cluster);

        using var stop = new CancellationTokenSource(Timeout);
        var seen = new List<(WatchEventType Type, string Weights)>();
        var ready = new TaskCompletionSource();
        var watching = Task.Run(async () =>
        {
            await foreach (var (type, item) in client.CustomObjects.WatchListNamespacedCustomObjectAsync(
                "networking.istio.io", "v1", "demo", "virtualservices", cancellationToken: stop.Token))
            {
                var vs = (JsonElement)item;
                seen.Add((type, string.Join(",", vs.GetProperty("spec").GetProperty("http")[1].GetProperty("route").EnumerateArray()
                    .Select(r => r.GetProperty("weight").GetInt32()))));
                ready.TrySetResult();
                if (seen.Count == 3)
                {
                    return;
                }
            }
        });
        await ready.Task.WaitAsync(Timeout);

        var patch = new V1Patch("""{"spec":{"http":[{"match":[{"headers":{"x-canary":{"exact":"true"}}}],"route":[{"destination":{"host":"httpbin","subset":"v2"}}]},{"route":[{"destination":{"host":"httpbin","subset":"v1"},"weight":50},{"destination":{"host":"httpbin","subset":"v2"},"weight":50}]}]}}""",
            V1Patch.PatchType.MergePatch);
        await client.CustomObjects.PatchNamespacedCustomObjectAsync(patch, "networking.istio.io", "v1", "demo", "virtualservices", "httpbin").WaitAsync(Timeout);
        var status = new V1Patch("""{"status":{"observedGeneration":2}}""", V1Patch.PatchType.MergePatch);
        await client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(status, "networking.istio.io", "v1", "demo", "virtualservices", "httpbin").WaitAsync(Timeout);
        await watching.WaitAsync(Timeout);

        Assert.Equal([(WatchEventType.Added, "90,10"), (WatchEventType.Modified, "50,50"), (WatchEventType.Modified, "50,50")], seen.Take(3));
        var stored = (JsonElement)await client.CustomObjects.GetNamespacedCustomObjectAsync("networking.istio.io", "v1", "demo", "virtualservices", "httpbin").WaitAsync(Timeout);
        Assert.Equal(2, stored.GetProperty("status").GetProperty("observedGeneration").GetInt32());
        Assert.Equal(2, stored.GetProperty("metadata").GetProperty("generation").GetInt32());
    }

    [Fact]
    public async Task A_missing_object_is_an_HttpOperationException_with_the_Status()
    {
        var cluster = server.CreateCluster();
        using var client = Client(cluster);

        var error = await Assert.ThrowsAsync<k8s.Autorest.HttpOperationException>(() => client.CoreV1.ReadNamespacedPodAsync("nope", "default").WaitAsync(Timeout));

        Assert.Equal(System.Net.HttpStatusCode.NotFound, error.Response.StatusCode);
        Assert.Contains("\"message\":\"pods \\\"nope\\\" not found\"", error.Response.Content);
    }
}
