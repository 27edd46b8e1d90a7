using System.Text.Json.Nodes;

namespace LabNet.Provisioner.Tests.Simulation;

public sealed class LabRepairTests
{
    [Fact]
    public async Task A_master_back_with_a_new_address_is_repaired_by_the_next_apply_and_cilium_follows_it()
    {
        await using var lab = await SimulatedLab.StartAsync(SimulatedLab.SpecWith("staging"));
        Assert.Equal("succeeded", (await lab.ApplyAsync())["status"]!.GetValue<string>());
        var oldAddress = await lab.TartAsync("ip", "staging-master");

        // The Mac restarted: the master went down and DHCP handed it another address when it came back.
        await lab.InjectFaultAsync("new-ip-on-restart", "staging-master");

        await lab.TartAsync("stop", "staging-master");
        var (brokenExit, _) = await lab.KubectlAsync("staging", "get", "nodes");
        Assert.NotEqual(0, brokenExit);

        var repaired = await lab.ApplyAsync();

        Assert.True(repaired["status"]?.GetValue<string>() == "succeeded", repaired.ToJsonString());
        var newAddress = await lab.TartAsync("ip", "staging-master", "--resolver", "agent");
        Assert.NotEqual(oldAddress, newAddress);
        var (exit, nodes) = await lab.KubectlAsync("staging", "get", "nodes", "--no-headers");
        Assert.Equal(0, exit);
        Assert.Equal(2, nodes.Split('\n', StringSplitOptions.RemoveEmptyEntries).Count(line => line.Contains(" Ready ")));
        var (_, serviceHost) = await lab.KubectlAsync("staging", "get", "configmap", "cilium-config", "-n", "kube-system", "-o", "jsonpath={.data.k8s-service-host}");
        Assert.Equal(newAddress, serviceHost);

        // The new certificate names the node's new address and staging's own kubernetes Service (10.98.0.0/16), not
        // kubeadm's default 10.96.0.1: in-cluster clients keep verifying it.
        var certificate = await lab.SshAsync(newAddress, "sudo openssl x509 -in /etc/kubernetes/pki/apiserver.crt -noout -text");
        Assert.Contains($"IP Address:{newAddress}", certificate);
        Assert.Contains("IP Address:10.98.0.1", certificate);
        Assert.DoesNotContain("IP Address:10.96.0.1", certificate);

        // cluster-info names the new address, so a node that joins later reaches the control plane where it now is.
        var (_, clusterInfo) = await lab.KubectlAsync("staging", "get", "configmap", "cluster-info", "-n", "kube-public", "-o", "jsonpath={.data.kubeconfig}");
        Assert.Contains($"server: https://{newAddress}:6443", clusterInfo);
        var worker = await lab.TartAsync("ip", "staging-worker1");
        await lab.SshAsync(worker, "sudo kubeadm reset -f");
        var rejoined = await lab.ApplyAsync();
        Assert.True(rejoined["status"]?.GetValue<string>() == "succeeded", rejoined.ToJsonString());
        var (_, after) = await lab.KubectlAsync("staging", "get", "nodes", "--no-headers");
        Assert.Equal(2, after.Split('\n', StringSplitOptions.RemoveEmptyEntries).Count(line => line.Contains(" Ready ", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_master_on_a_vm_network_in_10_x_is_repaired_from_the_address_its_apiserver_advertised()
    {
        // vmnet's subnet is the Mac's setting (Shared_Net_Address); here it is in 10.x like the clusters' Service ranges.
        await using var lab = await SimulatedLab.StartAsync(SimulatedLab.SpecWith("staging"), SimulatedLab.FastestClock,
            ["--Simulator:Host:SoftnetSubnet=10.211.55"], ("Lab:Host:VmNetworkCidr", "10.211.55.0/24"));
        Assert.Equal("succeeded", (await lab.ApplyAsync())["status"]!.GetValue<string>());
        var oldAddress = await lab.TartAsync("ip", "staging-master");
        Assert.StartsWith("10.211.55.", oldAddress, StringComparison.Ordinal);
        await lab.InjectFaultAsync("new-ip-on-restart", "staging-master");
        await lab.TartAsync("stop", "staging-master");

        var repaired = await lab.ApplyAsync();

        Assert.True(repaired["status"]?.GetValue<string>() == "succeeded", repaired.ToJsonString());
        var newAddress = await lab.TartAsync("ip", "staging-master", "--resolver", "agent");
        Assert.NotEqual(oldAddress, newAddress);
        var (exit, nodes) = await lab.KubectlAsync("staging", "get", "nodes", "--no-headers");
        Assert.True(exit == 0, nodes);
        Assert.Equal(2, nodes.Split('\n', StringSplitOptions.RemoveEmptyEntries).Count(line => line.Contains(" Ready ", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task After_a_host_restart_repair_boots_every_vm_and_every_cluster_works_again()
    {
        await using var lab = await SimulatedLab.StartAsync(SimulatedLab.SpecWith("dev", "prod"));
        Assert.Equal("succeeded", (await lab.ApplyAsync())["status"]!.GetValue<string>());
        var oldAddress = await lab.TartAsync("ip", "dev-master");
        string[] vms = ["dev-master", "dev-worker1", "prod-master", "prod-worker1", "prod-worker2"];

        // The Mac shut down with every VM, slept overnight (the softnet leases expired) and dev's master gets another address.
        foreach (var vm in vms)
        {
            await lab.TartAsync("stop", vm);
        }

        using (var http = new HttpClient { BaseAddress = lab.Simulator.Url })
        {
            (await http.PostAsync("/clock/jump", System.Net.Http.Json.JsonContent.Create(new { seconds = 8 * 3600 }))).EnsureSuccessStatusCode();
        }

        await lab.InjectFaultAsync("new-ip-on-restart", "dev-master");

        using var client = lab.Provisioner.CreateClient();
        client.Timeout = SimulatedLab.ApplyTimeout;
        using var response = await client.PostAsync("/api/lab/repair?wait=true", null).WaitAsync(SimulatedLab.ApplyTimeout);
        var repaired = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.True(repaired["status"]?.GetValue<string>() == "succeeded", repaired.ToJsonString());
        foreach (var (cluster, nodes) in new[] { ("dev", 2), ("prod", 3) })
        {
            var (exit, output) = await lab.KubectlAsync(cluster, "get", "nodes", "--no-headers");
            Assert.True(exit == 0, $"{cluster}: {output}");
            Assert.Equal(nodes, output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Count(line => line.Contains(" Ready ")));
        }

        var newAddress = await lab.TartAsync("ip", "dev-master", "--resolver", "agent");
        Assert.NotEqual(oldAddress, newAddress);
        var (_, serviceHost) = await lab.KubectlAsync("dev", "get", "configmap", "cilium-config", "-n", "kube-system", "-o", "jsonpath={.data.k8s-service-host}");
        Assert.Equal(newAddress, serviceHost);
    }

    [Fact]
    public async Task A_restarted_worker_comes_back_ready_because_fstabs_tab_separated_swap_line_was_commented_out()
    {
        await using var lab = await SimulatedLab.StartAsync(SimulatedLab.SpecWith("staging"));
        Assert.Equal("succeeded", (await lab.ApplyAsync())["status"]!.GetValue<string>());

        // The Mac restarted: the worker boots again, and swap comes back from every fstab line still active.
        await lab.TartAsync("stop", "staging-worker1");
        var repaired = await lab.ApplyAsync();

        Assert.True(repaired["status"]?.GetValue<string>() == "succeeded", repaired.ToJsonString());
        var (exit, nodes) = await lab.KubectlAsync("staging", "get", "nodes", "--no-headers");
        Assert.True(exit == 0, nodes);
        Assert.Equal(2, nodes.Split('\n', StringSplitOptions.RemoveEmptyEntries).Count(line => line.Contains(" Ready ", StringComparison.Ordinal)));
    }
}
