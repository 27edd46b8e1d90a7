using System.Text.Json.Nodes;

namespace LabNet.Provisioner.Tests.Simulation;

/// <summary>Faults injected in the simulator (its /faults API): the Provisioner survives the passing ones and isolates the rest.</summary>
public sealed class LabFaultTests
{
    [Fact]
    public async Task Ssh_failing_twice_and_kubeadm_init_failing_once_are_retried_and_the_apply_succeeds()
    {
        await using var lab = await SimulatedLab.StartAsync(SimulatedLab.SpecWith("staging"));
        await lab.InjectFaultAsync("ssh-fails", "staging-worker1", 2);
        await lab.InjectFaultAsync("kubeadm-init-fails", "staging-master", 1);

        var result = await lab.ApplyAsync();

        Assert.True(result["status"]?.GetValue<string>() == "succeeded", result.ToJsonString() + "\n" + string.Join("\n", lab.Simulator.Output.Split('\n').Where(l => l.Contains("staging"))));
        var master = await lab.TartAsync("ip", "staging-master");
        var rootScripts = (await lab.ToolCallsAsync()).Count(c => c.Command.Contains($"admin@{master} 'sudo bash -s'", StringComparison.Ordinal));
        // prepare, runtime and packages once each, kubeadm init twice: the failed attempt and its retry.
        Assert.Equal(5, rootScripts);
    }

    [Fact]
    public async Task A_vm_that_never_gets_an_address_fails_its_cluster_only_and_the_next_apply_resumes_without_recloning()
    {
        await using var lab = await SimulatedLab.StartAsync(SimulatedLab.SpecWith("staging", "prod"));
        await lab.InjectFaultAsync("no-ip", "staging-worker1", 1);

        var first = await lab.ApplyAsync();

        var clusters = first["clusters"]!.AsArray().ToDictionary(c => c!["cluster"]!.GetValue<string>(), c => c!["error"]?.GetValue<string>());
        Assert.Equal("failed", first["status"]!.GetValue<string>());
        Assert.Null(clusters["prod"]);
        Assert.Contains("VM staging-worker1 got no IP address within 180 s", clusters["staging"]);

        await lab.ClearFaultsAsync();

        var before = (await lab.ToolCallsAsync()).Count;
        var second = await lab.ApplyAsync();
        var calls = (await lab.ToolCallsAsync()).Skip(before).ToList();

        Assert.True(second["status"]?.GetValue<string>() == "succeeded", second.ToJsonString());
        Assert.DoesNotContain(calls, c => c.Command.StartsWith("tart clone", StringComparison.Ordinal));
        Assert.DoesNotContain(calls, c => c.Command.StartsWith("tart pull", StringComparison.Ordinal));
        // The cluster that finished is not touched again: no root script on its VMs, no helm install or upgrade.
        string[] finished = ["prod-master", "prod-worker1", "prod-worker2"];
        var addresses = await Task.WhenAll(finished.Select(vm => lab.TartAsync("ip", vm)));
        bool RootScriptOnFinishedVm(ModeledToolCall c) => c.Mutates && c.Tool is "ssh" or "sshpass" && addresses.Any(a => c.Command.Contains($"@{a} ", StringComparison.Ordinal));
        Assert.Contains((await lab.ToolCallsAsync()).Take(before), RootScriptOnFinishedVm);
        Assert.Empty(calls.Where(RootScriptOnFinishedVm).Select(c => c.Command));
        Assert.Empty(calls.Where(c => c.Mutates && c.Tool == "helm" && !c.Command.Contains("staging.yaml", StringComparison.Ordinal) && !c.Command.StartsWith("helm repo", StringComparison.Ordinal)).Select(c => c.Command));
        // The zombie VM was rebooted; every other VM kept running.
        Assert.Equal(["tart run staging-worker1"], calls.Where(c => c.Command.StartsWith("tart run", StringComparison.Ordinal)).Select(c => string.Join(' ', c.Command.Split(' ').Take(3))));
    }

    [Fact]
    public async Task Connection_resets_and_503s_from_the_api_server_during_polls_and_manifests_are_retried_and_the_apply_succeeds()
    {
        await using var lab = await SimulatedLab.StartAsync(SimulatedLab.SpecWith("dev"));
        Assert.Equal("succeeded", (await lab.ApplyAsync())["status"]!.GetValue<string>());
        // Something for the next apply to write, not only to read.
        var (deleted, output) = await lab.KubectlAsync("dev", "delete", "service", "redis", "-n", "demo");
        Assert.True(deleted == 0, output);

        // A flaky API server: every other request to dev's is reset or refused with 503, twelve times in all.
        await lab.InjectFaultAsync("api-reset", "dev", 6);
        await lab.InjectFaultAsync("api-unavailable", "dev", 6);
        var result = await lab.ApplyAsync();

        Assert.True(result["status"]?.GetValue<string>() == "succeeded", result.ToJsonString());
        Assert.Empty(await lab.ActiveFaultsAsync());
        var (exit, service) = await lab.KubectlAsync("dev", "get", "service", "redis", "-n", "demo", "-o", "name");
        Assert.True(exit == 0, service);
        Assert.Equal("service/redis", service);
    }

    [Fact]
    public async Task An_ssh_agent_offering_many_keys_does_not_stop_the_apply()
    {
        await using var lab = await SimulatedLab.StartAsync(SimulatedLab.SpecWith("staging"));
        // Every ssh connection to staging's VMs meets an agent with six keys; an ssh that offers them first is disconnected.
        await lab.InjectFaultAsync("ssh-agent-keys", "staging-master", 1000);
        await lab.InjectFaultAsync("ssh-agent-keys", "staging-worker1", 1000);

        var result = await lab.ApplyAsync();

        Assert.True(result["status"]?.GetValue<string>() == "succeeded", result.ToJsonString());
    }

    [Fact]
    public async Task Apt_locks_held_by_a_fresh_images_first_boot_jobs_are_waited_for()
    {
        await using var lab = await SimulatedLab.StartAsync(SimulatedLab.SpecWith("staging"));
        // apt-daily (1 min) and then unattended-upgrades (5 min) hold apt's locks after each VM's first boot.
        await lab.InjectFaultAsync("apt-lock-at-boot", "staging-master");
        await lab.InjectFaultAsync("apt-lock-at-boot", "staging-worker1");

        var result = await lab.ApplyAsync();

        Assert.True(result["status"]?.GetValue<string>() == "succeeded", result.ToJsonString());
        Assert.Empty(await lab.ActiveFaultsAsync());
    }

    [Fact]
    public async Task One_lost_ping_does_not_fail_the_connectivity_probe()
    {
        await using var lab = await SimulatedLab.StartAsync(SimulatedLab.SpecWith("staging"));
        await lab.InjectFaultAsync("ping-loss", "staging-worker1");

        var result = await lab.ApplyAsync();

        Assert.True(result["status"]?.GetValue<string>() == "succeeded", result.ToJsonString());
        Assert.Empty(await lab.ActiveFaultsAsync());
    }

    [Fact]
    public async Task A_kubeadm_reset_that_fails_does_not_stop_init_or_join()
    {
        await using var lab = await SimulatedLab.StartAsync(SimulatedLab.SpecWith("staging"));
        // Every reset on staging's nodes fails in cleanup-node; the scripts only clear what an earlier attempt left.
        await lab.InjectFaultAsync("kubeadm-reset-fails", "staging-master", 100);
        await lab.InjectFaultAsync("kubeadm-reset-fails", "staging-worker1", 100);

        var result = await lab.ApplyAsync();

        Assert.True(result["status"]?.GetValue<string>() == "succeeded", result.ToJsonString());
    }
}
