using Xunit.Abstractions;

namespace LabNet.Simulator.Tests.LabWorld;

public sealed class OriginalInstallTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Original_install_up_to_join_registers_every_node_NotReady_until_a_CNI_runs()
    {
        await using var world = new LabWorldFactory();
        var spec = LabSpec.Load();
        var install = new OriginalLabInstall(world.Tools(), spec);

        await install.UpToJoinAsync().WaitAsync(TimeSpan.FromMinutes(2));
        foreach (var (step, result) in install.Log.Where(l => l.Step.StartsWith("kubeadm init") || l.Step.StartsWith("kubeadm join") || l.Step.StartsWith("token") || l.Step.StartsWith("read")).Take(6))
        {
            output.WriteLine($"== {step}\n{result}");
        }

        foreach (var cluster in spec.Clusters)
        {
            var api = world.Registry.Find(cluster.Name);
            Assert.NotNull(api);
            var nodes = api.List("v1", "Node");
            Assert.Equal(cluster.Nodes.Select(n => n.Name).Order(), nodes.Select(n => n["metadata"]!["name"]!.GetValue<string>()).Order());
            foreach (var node in nodes)
            {
                var ready = node["status"]!["conditions"]!.AsArray().Single(c => c!["type"]!.GetValue<string>() == "Ready")!;
                Assert.Equal("False", ready["status"]!.GetValue<string>());
                Assert.Equal("KubeletNotReady", ready["reason"]!.GetValue<string>());
                Assert.StartsWith("container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady", ready["message"]!.GetValue<string>());
            }
        }
    }
}
