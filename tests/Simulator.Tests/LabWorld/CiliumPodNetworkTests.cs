using System.Net;
using System.Text.Json.Nodes;

namespace LabNet.Simulator.Tests.LabWorld;

/// <summary>Once Cilium is installed, pods get addresses from their node's pod CIDR and start.</summary>
public sealed class CiliumPodNetworkTests
{
    [Fact]
    public async Task After_the_cilium_install_pods_start_with_an_address_of_their_nodes_pod_cidr()
    {
        await using var world = new LabWorldFactory();
        var spec = LabSpec.Load();
        var dev = spec.Clusters.Single(c => c.Name == "dev");
        var install = new OriginalLabInstall(world.Tools(), spec with { Clusters = [dev] });
        await install.AllAsync().WaitAsync(TimeSpan.FromMinutes(2));
        var api = world.Registry.Find("dev")!;

        api.Apply(JsonNode.Parse("""
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"default"},
             "spec":{"replicas":3,"selector":{"matchLabels":{"app":"web"}},
                     "template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"web","image":"nginx:alpine"}]}}}}
            """)!.AsObject());

        var pods = await Eventually(() => api.List("v1", "Pod", "default").Where(p => p["status"]?["phase"]?.GetValue<string>() == "Running").ToList(), p => p.Count == 3);
        var podCidrs = api.List("cilium.io/v2", "CiliumNode").ToDictionary(
            n => n["metadata"]!["name"]!.GetValue<string>(),
            n => IPNetwork.Parse(n["spec"]!["ipam"]!["podCIDRs"]![0]!.GetValue<string>()));
        foreach (var pod in pods)
        {
            var ip = IPAddress.Parse(pod["status"]!["podIP"]!.GetValue<string>());
            Assert.True(podCidrs[pod["spec"]!["nodeName"]!.GetValue<string>()].Contains(ip), $"{ip} is outside its node's pod CIDR");
            Assert.True(IPNetwork.Parse(dev.PodCidr).Contains(ip));
        }

        Assert.Equal(3, pods.Select(p => p["status"]!["podIP"]!.GetValue<string>()).Distinct().Count());
    }

    private static async Task<T> Eventually<T>(Func<T> read, Func<T, bool> done)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var value = read();
            if (done(value) || DateTime.UtcNow > deadline)
            {
                return value;
            }

            await Task.Delay(50);
        }
    }
}
