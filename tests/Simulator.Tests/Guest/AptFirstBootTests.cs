using LabNet.Simulator.Faults;
using LabNet.Simulator.Tests.LabWorld;

namespace LabNet.Simulator.Tests.Guest;

/// <summary>A fresh image's first boot: apt-daily, then unattended-upgrades, hold apt's locks for minutes.</summary>
public sealed class AptFirstBootTests : IAsyncLifetime
{
    private readonly LabWorldFactory _world = new();
    private ToolClient _tools = null!;
    private string _ip = "";

    public async ValueTask InitializeAsync()
    {
        _tools = _world.Tools();
        _world.Service<FaultInjector>().Add(new Fault(FaultKind.AptLockAtBoot, "vm", 1));
        await _tools.Tart("clone", "ghcr.io/cirruslabs/ubuntu:latest", "vm");
        _ = _tools.StartRun("vm", "--no-graphics", "--net-softnet-allow=0.0.0.0/0");
        _ip = (await _tools.Tart("ip", "vm", "--wait", "60")).Stdout.Trim();
    }

    public async ValueTask DisposeAsync() => await _world.DisposeAsync();

    [Fact]
    public async Task Apt_get_update_fails_at_once_while_apt_daily_holds_the_lists_lock_whatever_the_lock_timeout()
    {
        var result = await _tools.SshSudo(_ip, "apt-get -o DPkg::Lock::Timeout=600 update -qq");

        Assert.Equal(100, result.ExitCode);
        Assert.Equal(
            "E: Could not get lock /var/lib/apt/lists/lock. It is held by process 1043 (apt-get)\n" +
            "N: Be aware that removing the lock file is not a solution and may break your system.\n" +
            "E: Unable to lock directory /var/lib/apt/lists/\n",
            result.Stderr);
    }

    [Fact]
    public async Task An_install_fails_while_unattended_upgrades_holds_dpkgs_lock_and_waits_for_it_with_a_lock_timeout()
    {
        // apt-daily's minute has passed: now unattended-upgrades holds the frontend lock.
        Assert.Equal(0, (await _tools.SshSudo(_ip, "sleep 61")).ExitCode);

        var at = await _tools.SshSudo(_ip, "apt-get install -y -qq conntrack");
        var waiting = await _tools.SshSudo(_ip, "apt-get install -y -qq -o DPkg::Lock::Timeout=600 conntrack");

        Assert.Equal(100, at.ExitCode);
        Assert.StartsWith("E: Could not get lock /var/lib/dpkg/lock-frontend. It is held by process 1187 (unattended-upgr)\n", at.Stderr);
        Assert.EndsWith("E: Unable to acquire the dpkg frontend lock (/var/lib/dpkg/lock-frontend), is another process using it?\n", at.Stderr);
        Assert.Equal(0, waiting.ExitCode);
        Assert.Equal(0, (await _tools.SshSudo(_ip, "dpkg -s conntrack")).ExitCode);
    }
}
