using System.Net.Http.Json;
using LabNet.Simulator.Tests.LabWorld;

namespace LabNet.Simulator.Tests.Tart;

/// <summary>vmnet's DHCP as Tart VMs see it: leases keyed by MAC, kept while valid, lost after they expire.</summary>
public sealed class DhcpLeaseTests
{
    private const string Image = "ghcr.io/cirruslabs/ubuntu:latest";

    private static LabWorldFactory SlowWorld(int speed = 100)
    {
        // 100x: a softnet lease (600 s) lasts 6 s of wall time, a boot 0.2 s.
        var world = new LabWorldFactory();
        world.Settings["Simulator:Clock:SpeedFactor"] = speed.ToString(System.Globalization.CultureInfo.InvariantCulture);
        world.Settings["Simulator:Host:ExpiredLeaseReuseProbability"] = "0";
        world.Settings["Simulator:Durations:ImagePull"] = "00:00:01";
        return world;
    }

    private static async Task<string> Restart(ToolClient tools, string vm)
    {
        Assert.Equal(0, (await tools.Tart("stop", vm)).ExitCode);
        _ = tools.StartRun(vm, "--no-graphics", "--net-softnet-allow=0.0.0.0/0");
        // Until the guest has its new lease, the dhcp resolver would print the last one: ask the guest agent.
        var ip = await tools.Tart("ip", vm, "--wait", "60", "--resolver", "agent");
        Assert.True(ip.ExitCode == 0, ip.ToString());
        return ip.Stdout.Trim();
    }

    [Fact]
    public async Task A_vm_restarted_within_its_lease_keeps_its_address()
    {
        await using var world = SlowWorld();
        var tools = world.Tools();
        await tools.Tart("clone", Image, "vm");
        _ = tools.StartRun("vm", "--no-graphics", "--net-softnet-allow=0.0.0.0/0");
        var first = (await tools.Tart("ip", "vm", "--wait", "60")).Stdout.Trim();

        Assert.Equal(first, await Restart(tools, "vm"));
    }

    [Fact]
    public async Task A_vm_restarted_after_its_lease_expired_gets_another_address()
    {
        await using var world = SlowWorld();
        var tools = world.Tools();
        await tools.Tart("clone", Image, "vm");
        _ = tools.StartRun("vm", "--no-graphics", "--net-softnet-allow=0.0.0.0/0");
        var first = (await tools.Tart("ip", "vm", "--wait", "60")).Stdout.Trim();
        Assert.Equal(0, (await tools.Tart("stop", "vm")).ExitCode);

        // The Mac sleeps past the 600 s softnet lease.
        using var http = world.CreateClient();
        (await http.PostAsJsonAsync("/clock/jump", new { seconds = 700 })).EnsureSuccessStatusCode();
        _ = tools.StartRun("vm", "--no-graphics", "--net-softnet-allow=0.0.0.0/0");
        var second = (await tools.Tart("ip", "vm", "--wait", "60", "--resolver", "agent")).Stdout.Trim();

        Assert.StartsWith("192.168.65.", second);
        Assert.NotEqual(first, second);
    }

    [Fact]
    public async Task Right_after_a_restart_the_dhcp_resolver_still_prints_the_last_lease()
    {
        // 10x: the guest takes 2 s of wall time to boot, ample time to ask tart ip before it has a new lease.
        await using var world = SlowWorld(speed: 10);
        var tools = world.Tools();
        await tools.Tart("clone", Image, "vm");
        _ = tools.StartRun("vm", "--no-graphics", "--net-softnet-allow=0.0.0.0/0");
        var first = (await tools.Tart("ip", "vm", "--wait", "60")).Stdout.Trim();
        await tools.Tart("stop", "vm");
        using var http = world.CreateClient();
        (await http.PostAsJsonAsync("/faults", new { kind = "new-ip-on-restart", vm = "vm" })).EnsureSuccessStatusCode();
        _ = tools.StartRun("vm", "--no-graphics", "--net-softnet-allow=0.0.0.0/0");

        // The guest needs 20 modeled seconds (2 s here) to boot and ask DHCP; until then the lease file has the old entry.
        var stale = await tools.Tart("ip", "vm");
        var fresh = await tools.Tart("ip", "vm", "--wait", "60", "--resolver", "agent");

        Assert.Equal(first, stale.Stdout.Trim());
        Assert.NotEqual(first, fresh.Stdout.Trim());
        Assert.Equal(fresh.Stdout, (await tools.Tart("ip", "vm")).Stdout);
    }

    [Fact]
    public async Task The_new_ip_on_restart_fault_moves_a_vm_to_another_address()
    {
        await using var world = new LabWorldFactory();
        var tools = world.Tools();
        await tools.Tart("clone", Image, "vm");
        _ = tools.StartRun("vm", "--no-graphics", "--net-softnet-allow=0.0.0.0/0");
        var first = (await tools.Tart("ip", "vm", "--wait", "60")).Stdout.Trim();
        using var http = world.CreateClient();
        (await http.PostAsJsonAsync("/faults", new { kind = "new-ip-on-restart", vm = "vm" })).EnsureSuccessStatusCode();

        Assert.NotEqual(first, await Restart(tools, "vm"));
    }

    [Fact]
    public async Task The_no_ip_fault_leaves_a_running_vm_without_an_address()
    {
        await using var world = new LabWorldFactory();
        var tools = world.Tools();
        using var http = world.CreateClient();
        (await http.PostAsJsonAsync("/faults", new { kind = "no-ip", vm = "vm" })).EnsureSuccessStatusCode();
        await tools.Tart("clone", Image, "vm");
        _ = tools.StartRun("vm", "--no-graphics");

        var ip = await tools.Tart("ip", "vm", "--wait", "30");

        Assert.Equal(new ToolResult("", "no IP address found\n", 1), ip);
    }

    [Fact]
    public async Task An_unknown_fault_is_refused_with_the_list_of_faults()
    {
        await using var world = new LabWorldFactory();
        using var http = world.CreateClient();

        using var response = await http.PostAsJsonAsync("/faults", new { kind = "disk-full" });

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("ssh-fails, kubeadm-init-fails, kubeadm-reset-fails, no-ip, new-ip-on-restart, ssh-agent-keys, apt-lock-at-boot, ping-loss, api-reset, api-unavailable", await response.Content.ReadAsStringAsync());
    }
}
