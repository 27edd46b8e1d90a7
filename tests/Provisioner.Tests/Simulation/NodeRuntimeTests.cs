namespace LabNet.Provisioner.Tests.Simulation;

public sealed class NodeRuntimeTests
{
    [Fact]
    public async Task Containerd_2_1_whose_default_config_has_no_SystemdCgroup_still_runs_runc_under_systemd_cgroups()
    {
        await using var lab = await SimulatedLab.StartAsync(SimulatedLab.SpecWith("staging"), SimulatedLab.FastestClock,
            ["--Simulator:Host:ContainerdVersion=2.1.4-0ubuntu1~24.04.1"]);

        var result = await lab.ApplyAsync();

        Assert.True(result["status"]?.GetValue<string>() == "succeeded", result.ToJsonString());
        foreach (var vm in new[] { "staging-master", "staging-worker1" })
        {
            var address = await lab.TartAsync("ip", vm);
            Assert.StartsWith("containerd github.com/containerd/containerd/v2 2.1.4", await lab.SshAsync(address, "containerd --version"), StringComparison.Ordinal);
            var config = (await lab.SshAsync(address, "sudo cat /etc/containerd/config.toml")).Split('\n');
            var options = Array.FindIndex(config, line => line.Trim() == "[plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc.options]");
            Assert.True(options >= 0, string.Join('\n', config));
            Assert.Equal("SystemdCgroup = true", config[options + 1].Trim());
        }
    }
}
