using System.Text.Json.Nodes;

namespace LabNet.Provisioner.Tests.Simulation;

public sealed class LabRepairTests
{
    [Fact]
    public async Task A_master_back_with_a_new_address_is_repaired_by_the_next_apply_and_cilium_follows_it()
    {
        await using var lab = await SimulatedLab.StartAsync(RepositoryRoot.Combine("config", "clusters.json"));
        Assert.Equal("succeeded", (await lab.ApplyAsync())["status"]!.GetValue<string>());
        var oldAddress = await lab.TartAsync("ip", "dev-master");

        // The Mac restarted: the master went down and DHCP handed it another address when it came back.
        await lab.InjectFaultAsync("new-ip-on-restart", "dev-master");

        await lab.TartAsync("stop", "dev-master");
        var (brokenExit, _) = await lab.KubectlAsync("dev", "get", "nodes");
        Assert.NotEqual(0, brokenExit);

        var repaired = await lab.ApplyAsync();

        Assert.True(repaired["status"]?.GetValue<string>() == "succeeded", repaired.ToJsonString());
        var newAddress = await lab.TartAsync("ip", "dev-master", "--resolver", "agent");
        Assert.NotEqual(oldAddress, newAddress);
        var (exit, nodes) = await lab.KubectlAsync("dev", "get", "nodes", "--no-headers");
        Assert.Equal(0, exit);
        Assert.Equal(2, nodes.Split('\n', StringSplitOptions.RemoveEmptyEntries).Count(line => line.Contains(" Ready ")));
        var (_, serviceHost) = await lab.KubectlAsync("dev", "get", "configmap", "cilium-config", "-n", "kube-system", "-o", "jsonpath={.data.k8s-service-host}");
        Assert.Equal(newAddress, serviceHost);
    }
}
