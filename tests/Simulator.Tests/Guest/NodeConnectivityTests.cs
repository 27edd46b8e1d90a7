using LabNet.Simulator.Tests.LabWorld;

namespace LabNet.Simulator.Tests.Guest;

/// <summary>The node-to-node probe a provisioner runs before kubeadm: ping and nc between VMs.</summary>
public sealed class NodeConnectivityTests
{
    private static async Task<(ToolClient Tools, string A, string B, LabWorldFactory World)> TwoVms(params string[] runFlags)
    {
        var world = new LabWorldFactory();
        var tools = world.Tools();
        var addresses = new List<string>();
        foreach (var vm in new[] { "a", "b" })
        {
            await tools.Tart("clone", "ghcr.io/cirruslabs/ubuntu:latest", vm);
            _ = tools.StartRun(vm, ["--no-graphics", .. runFlags]);
            addresses.Add((await tools.Tart("ip", vm, "--wait", "60")).Stdout.Trim());
        }

        return (tools, addresses[0], addresses[1], world);
    }

    [Fact]
    public async Task On_softnet_with_0_0_0_0_0_the_vms_reach_each_other()
    {
        var (tools, a, b, world) = await TwoVms("--net-softnet-allow=0.0.0.0/0");
        await using var _ = world;

        var ping = await tools.Ssh(a, $"ping -c 1 -W 2 {b}");
        var nc = await tools.Ssh(a, $"nc -zv -w 2 {b} 22");
        var closed = await tools.Ssh(a, $"nc -zv -w 2 {b} 6443");

        Assert.Equal($"PING {b} ({b}) 56(84) bytes of data.\n64 bytes from {b}: icmp_seq=1 ttl=64 time=0.512 ms\n\n--- {b} ping statistics ---\n1 packets transmitted, 1 received, 0% packet loss, time 0ms\nrtt min/avg/max/mdev = 0.512/0.512/0.512/0.000 ms\n", ping.Stdout);
        Assert.Equal(new ToolResult("", $"Connection to {b} 22 port [tcp/*] succeeded!\n", 0), nc);
        Assert.Equal(new ToolResult("", $"nc: connect to {b} port 6443 (tcp) failed: Connection refused\n", 1), closed);
    }

    [Fact]
    public async Task On_the_default_nat_the_vms_are_isolated_from_each_other()
    {
        var (tools, a, b, world) = await TwoVms();
        await using var _ = world;

        var ping = await tools.Ssh(a, $"ping -c 1 -W 2 {b}");
        var nc = await tools.Ssh(a, $"nc -zv -w 2 {b} 22");

        Assert.Equal(1, ping.ExitCode);
        Assert.EndsWith("1 packets transmitted, 0 received, 100% packet loss, time 0ms\n", ping.Stdout);
        Assert.Equal(new ToolResult("", $"nc: connect to {b} port 22 (tcp) timed out: Operation now in progress\n", 1), nc);
    }

    [Fact]
    public async Task A_lost_echo_is_missing_from_the_replies_and_ping_still_succeeds_when_another_came_back()
    {
        var (tools, a, b, world) = await TwoVms("--net-softnet-allow=0.0.0.0/0");
        await using var _ = world;
        world.Service<LabNet.Simulator.Faults.FaultInjector>().Add(new(LabNet.Simulator.Faults.FaultKind.PingLoss, "a", 2));

        var one = await tools.Ssh(a, $"ping -c 1 -W 2 {b}");
        var three = await tools.Ssh(a, $"ping -c 3 -W 2 {b}");

        Assert.Equal(1, one.ExitCode);
        Assert.EndsWith("1 packets transmitted, 0 received, 100% packet loss, time 0ms\n", one.Stdout);
        Assert.Equal(0, three.ExitCode);
        Assert.DoesNotContain("icmp_seq=1 ", three.Stdout);
        Assert.Contains("icmp_seq=2 ", three.Stdout);
        Assert.Contains("3 packets transmitted, 2 received, 33.3333% packet loss, time 2000ms\n", three.Stdout);
    }
}
