using System.Text.Json;
using LabNet.Simulator.Host;
using LabNet.Simulator.Tests.LabWorld;

namespace LabNet.Simulator.Tests.Tart;

/// <summary>Every Tart behaviour the Provisioner relies on, compared with what Tart 2.32 prints (reference §1).</summary>
public sealed class TartCliTests : IAsyncLifetime
{
    private const string Image = "ghcr.io/cirruslabs/ubuntu:latest";
    private readonly LabWorldFactory _world = new();
    private ToolClient _tools = null!;

    public ValueTask InitializeAsync()
    {
        _tools = _world.Tools();
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync() => await _world.DisposeAsync();

    private async Task<Task<ToolResult>> CloneAndRun(string name, params string[] runFlags)
    {
        Assert.Equal(0, (await _tools.Tart("clone", Image, name)).ExitCode);
        var run = _tools.StartRun(name, ["--no-graphics", .. runFlags]);
        var ip = await _tools.Tart("ip", name, "--wait", "60");
        Assert.True(ip.ExitCode == 0, ip.ToString());
        return run;
    }

    [Fact]
    public async Task Pull_prints_progress_and_caches_the_image_under_its_tag_and_digest()
    {
        var pull = await _tools.Tart("pull", Image);

        Assert.Equal(0, pull.ExitCode);
        Assert.Equal($"pulling {Image}...\npulling manifest...\npulling disk (1.9 GB compressed)...\n100%\n", pull.Stdout);
        var names = await _tools.Tart("list", "--source", "oci", "-q");
        Assert.Equal($"{Image}\nghcr.io/cirruslabs/ubuntu@sha256:6f1f2a1de8e5c6f0b07ad8e3fb3f0b4a4dfb0b7c2c5b7a7c63f5e2a3f6c1b0d9\n", names.Stdout);
    }

    [Fact]
    public async Task Pull_of_a_local_vm_name_says_there_is_nothing_to_pull()
    {
        await _tools.Tart("clone", Image, "golden");

        var pull = await _tools.Tart("pull", "golden");

        Assert.Equal(0, pull.ExitCode);
        Assert.Equal("\"golden\" is a local image, nothing to pull here!\n", pull.Stdout);
    }

    [Fact]
    public async Task Clone_silently_overwrites_an_existing_vm_of_the_same_name()
    {
        await _tools.Tart("clone", Image, "dev-master");
        await _tools.Tart("set", "dev-master", "--cpu", "2", "--memory", "4096");

        var again = await _tools.Tart("clone", Image, "dev-master");

        Assert.Equal(new ToolResult("", "", 0), again);
        var get = JsonDocument.Parse((await _tools.Tart("get", "dev-master", "--format", "json")).Stdout).RootElement;
        Assert.Equal(4, get.GetProperty("CPU").GetInt32());
    }

    [Fact]
    public async Task Clones_of_one_image_get_different_macs()
    {
        await _tools.Tart("clone", Image, "a");
        await _tools.Tart("clone", Image, "b");

        var host = _world.Service<MacHost>();
        Assert.NotEqual(host.FindVm("a")!.Mac, host.FindVm("b")!.Mac);
        Assert.Matches("^[0-9a-f]{2}(:[0-9a-f]{2}){5}$", host.FindVm("b")!.Mac);
    }

    [Theory]
    [InlineData("get", "nope", "--format", "json")]
    [InlineData("set", "nope", "--cpu", "2")]
    [InlineData("run", "nope")]
    [InlineData("ip", "nope")]
    [InlineData("stop", "nope")]
    [InlineData("delete", "nope")]
    [InlineData("clone", "nope", "copy")]
    public async Task A_missing_vm_exits_2_with_tarts_message(params string[] argv)
    {
        var result = await _tools.Tart(argv);

        Assert.Equal(new ToolResult("", "the specified VM \"nope\" does not exist\n", 2), result);
    }

    [Fact]
    public async Task Set_changes_cpu_memory_and_disk_and_get_shows_them_in_tarts_json()
    {
        await _tools.Tart("clone", Image, "vm");

        Assert.Equal(0, (await _tools.Tart("set", "vm", "--cpu", "3", "--memory", "12288", "--disk-size", "50")).ExitCode);

        var get = await _tools.Tart("get", "vm", "--format", "json");
        Assert.Equal(
            "{\n  \"OS\" : \"linux\",\n  \"CPU\" : 3,\n  \"Memory\" : 12288,\n  \"Disk\" : 50,\n  \"DiskFormat\" : \"raw\",\n  \"Size\" : \"7.431\",\n  \"Display\" : \"1024x768\",\n  \"Running\" : false,\n  \"State\" : \"stopped\"\n}\n",
            get.Stdout);
    }

    [Fact]
    public async Task Get_text_is_a_table_without_the_running_column()
    {
        await _tools.Tart("clone", Image, "vm");

        var get = await _tools.Tart("get", "vm");

        Assert.Equal("OS    CPU Memory Disk DiskFormat Size  Display  State\nlinux 4   4096   20   raw        7.431 1024x768 stopped\n", get.Stdout);
    }

    [Fact]
    public async Task Set_refuses_to_shrink_the_disk()
    {
        await _tools.Tart("clone", Image, "vm");

        var result = await _tools.Tart("set", "vm", "--disk-size", "10");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("new disk size of 10GB should be larger than the current disk size of 20GB", result.Stderr);
    }

    [Fact]
    public async Task An_unknown_option_is_a_usage_error_with_exit_64()
    {
        await _tools.Tart("clone", Image, "vm");

        var result = await _tools.Tart("set", "vm", "--cpus", "2");

        Assert.Equal(64, result.ExitCode);
        Assert.StartsWith("Error: Unknown option '--cpus'\nUsage: tart set <name>", result.Stderr);
    }

    [Fact]
    public async Task List_json_has_tarts_field_names_and_types()
    {
        await _tools.Tart("pull", Image);
        await _tools.Tart("clone", Image, "vm");

        var list = await _tools.Tart("list", "--format", "json", "--source", "local");

        Assert.Equal(0, list.ExitCode);
        var entry = Assert.Single(JsonDocument.Parse(list.Stdout).RootElement.EnumerateArray().ToList());
        Assert.Equal(["Source", "Name", "Disk", "Size", "Accessed", "Running", "State"], entry.EnumerateObject().Select(p => p.Name));
        Assert.Equal("local", entry.GetProperty("Source").GetString());
        Assert.Equal(20, entry.GetProperty("Disk").GetInt32());
        Assert.Equal(7, entry.GetProperty("Size").GetInt32());
        Assert.False(entry.GetProperty("Running").GetBoolean());
        Assert.Equal("stopped", entry.GetProperty("State").GetString());
        Assert.True(DateTimeOffset.TryParse(entry.GetProperty("Accessed").GetString(), out _));
        Assert.Contains("\"Name\" : \"vm\"", list.Stdout);
    }

    [Fact]
    public async Task List_text_shows_source_name_and_state_last_and_hides_running()
    {
        await _tools.Tart("clone", Image, "dev-master");

        var list = await _tools.Tart("list", "--source", "local");

        var lines = list.Stdout.TrimEnd('\n').Split('\n');
        Assert.Matches("^Source Name       Disk Size Accessed +State$", lines[0]);
        Assert.StartsWith("local  dev-master 20   7    ", lines[1]);
        Assert.EndsWith(" stopped", lines[1]);
        Assert.DoesNotContain("Running", list.Stdout);
    }

    [Fact]
    public async Task List_rejects_an_unknown_source()
    {
        var list = await _tools.Tart("list", "--source", "remote");

        Assert.Equal(64, list.ExitCode);
        Assert.StartsWith("Error: 'remote' is not a valid <source>\n", list.Stderr);
    }

    [Fact]
    public async Task Run_with_softnet_allow_all_gets_a_softnet_address_and_a_second_run_is_refused()
    {
        var run = await CloneAndRun("vm", "--net-softnet-allow=0.0.0.0/0");

        Assert.StartsWith("192.168.65.", (await _tools.Tart("ip", "vm")).Stdout);
        Assert.Equal(new ToolResult("", "VM \"vm\" is already running!\n", 2), await _tools.Tart("run", "vm", "--no-graphics"));
        var list = JsonDocument.Parse((await _tools.Tart("list", "--format", "json")).Stdout).RootElement[0];
        Assert.Equal("running", list.GetProperty("State").GetString());
        Assert.True(list.GetProperty("Running").GetBoolean());

        Assert.Equal(0, (await _tools.Tart("stop", "vm")).ExitCode);
        Assert.Equal(new ToolResult("", "", 0), await run.WaitAsync(ToolClient.Timeout));
    }

    [Fact]
    public async Task Run_with_default_nat_gets_a_shared_nat_address()
    {
        await CloneAndRun("vm");

        Assert.StartsWith("192.168.64.", (await _tools.Tart("ip", "vm")).Stdout);
    }

    [Fact]
    public async Task Softnet_and_bridged_networking_are_mutually_exclusive()
    {
        await _tools.Tart("clone", Image, "vm");

        var result = await _tools.Tart("run", "vm", "--net-softnet", "--net-bridged=en0");

        Assert.Equal(64, result.ExitCode);
        Assert.StartsWith("Error: --net-bridged, --net-softnet and --net-host are mutually exclusive\n", result.Stderr);
    }

    [Fact]
    public async Task Ip_of_a_vm_that_never_ran_asks_whether_it_is_running()
    {
        await _tools.Tart("clone", Image, "vm");

        Assert.Equal(new ToolResult("", "no IP address found, is your VM running?\n", 1), await _tools.Tart("ip", "vm", "--wait", "2"));
    }

    [Fact]
    public async Task Ip_of_a_stopped_vm_prints_its_last_lease()
    {
        await CloneAndRun("vm", "--net-softnet-allow=0.0.0.0/0");
        var address = (await _tools.Tart("ip", "vm")).Stdout;
        await _tools.Tart("stop", "vm");

        var ip = await _tools.Tart("ip", "vm");

        Assert.Equal(new ToolResult(address, "", 0), ip);
        var state = JsonDocument.Parse((await _tools.Tart("get", "vm", "--format", "json")).Stdout).RootElement.GetProperty("State").GetString();
        Assert.Equal("stopped", state);
    }

    [Fact]
    public async Task The_arp_resolver_finds_nothing_for_a_softnet_vm()
    {
        await CloneAndRun("vm", "--net-softnet-allow=0.0.0.0/0");

        var ip = await _tools.Tart("ip", "vm", "--resolver", "arp");

        Assert.Equal(new ToolResult("", "no IP address found (not all Linux distributions are compatible with the ARP resolver)\n", 1), ip);
    }

    [Fact]
    public async Task Stop_of_a_stopped_vm_exits_2()
    {
        await _tools.Tart("clone", Image, "vm");

        Assert.Equal(new ToolResult("", "VM \"vm\" is not running\n", 2), await _tools.Tart("stop", "vm", "--timeout", "60"));
    }

    [Fact]
    public async Task Delete_refuses_a_running_vm_and_removes_a_stopped_one()
    {
        await CloneAndRun("vm");

        Assert.Equal(new ToolResult("", "VM \"vm\" is running\n", 1), await _tools.Tart("delete", "vm"));
        await _tools.Tart("stop", "vm");
        Assert.Equal(new ToolResult("", "", 0), await _tools.Tart("delete", "vm"));
        Assert.Equal("", (await _tools.Tart("list", "--source", "local", "-q")).Stdout);
    }

    [Fact]
    public async Task When_the_caller_of_tart_run_goes_away_the_vm_stops()
    {
        await _tools.Tart("clone", Image, "vm");
        using var caller = new CancellationTokenSource();
        var run = _tools.RunAsync("tart", ["run", "vm", "--no-graphics"], cancellationToken: caller.Token);
        Assert.Equal(0, (await _tools.Tart("ip", "vm", "--wait", "60")).ExitCode);

        await caller.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);

        var host = _world.Service<MacHost>();
        for (var deadline = DateTime.UtcNow.AddSeconds(30); DateTime.UtcNow < deadline && host.FindVm("vm")!.State is not Simulator.Host.VmState.Stopped;)
        {
            await Task.Delay(10);
        }

        Assert.Equal("stopped", JsonDocument.Parse((await _tools.Tart("get", "vm", "--format", "json")).Stdout).RootElement.GetProperty("State").GetString());
    }

    [Fact]
    public async Task Starting_more_vm_memory_than_the_mac_has_fails_like_virtualization_framework()
    {
        // The default Mac has 96 GB with 8 GB kept by macOS.
        foreach (var vm in new[] { "big1", "big2", "big3" })
        {
            await _tools.Tart("clone", Image, vm);
            await _tools.Tart("set", vm, "--memory", "40960");
        }

        _ = _tools.StartRun("big1");
        Assert.Equal(0, (await _tools.Tart("ip", "big1", "--wait", "60")).ExitCode);
        _ = _tools.StartRun("big2");
        Assert.Equal(0, (await _tools.Tart("ip", "big2", "--wait", "60")).ExitCode);

        var third = await _tools.Tart("run", "big3", "--no-graphics");

        Assert.Equal(1, third.ExitCode);
        Assert.Equal("Error Domain=VZErrorDomain Code=1 \"The virtual machine failed to start.\" UserInfo={NSLocalizedFailure=Internal Virtualization error., NSLocalizedFailureReason=The virtual machine failed to start.}\n", third.Stderr);
    }
}
