namespace LabNet.AppHost.Tests;

public sealed class ModeSelectionTests
{
    [Fact]
    public async Task Real_mode_builds_the_three_services_without_a_simulator()
    {
        using var cts = new CancellationTokenSource(TestTimeouts.Build);

        using var tools = FakeMacTools.Create();
        var builder = await DistributedApplicationTestingBuilder
            .CreateAsync<Projects.LabNet_AppHost>(["DOTNET_LAUNCH_PROFILE=http", "LabNet:Mode=Real", .. tools.Settings], cts.Token)
            .WaitAsync(TestTimeouts.Build, cts.Token);

        var names = builder.Resources.OfType<ProjectResource>().Select(r => r.Name).Order().ToArray();

        Assert.Equal(["canarycontroller", "flowcollector", "provisioner"], names);
    }

    [Fact]
    public async Task Real_mode_has_the_canary_and_its_commands_but_no_traffic_to_change()
    {
        using var cts = new CancellationTokenSource(TestTimeouts.Build);

        using var tools = FakeMacTools.Create();
        var builder = await DistributedApplicationTestingBuilder
            .CreateAsync<Projects.LabNet_AppHost>(["DOTNET_LAUNCH_PROFILE=http", "LabNet:Mode=Real", .. tools.Settings], cts.Token)
            .WaitAsync(TestTimeouts.Build, cts.Token);

        Assert.Equal(
            ["canary-pause", "canary-resume", "canary-promote", "canary-abort", "canary-restart-analysis"],
            Commands(builder, "httpbin-canary"));
        Assert.DoesNotContain(builder.Resources, r => r.Name == "traffic");
    }

    [Fact]
    public async Task Simulation_adds_the_traffic_resource_with_rate_and_fault_commands()
    {
        using var cts = new CancellationTokenSource(TestTimeouts.Build);

        var builder = await DistributedApplicationTestingBuilder
            .CreateAsync<Projects.LabNet_AppHost>(["DOTNET_LAUNCH_PROFILE=http"], cts.Token)
            .WaitAsync(TestTimeouts.Build, cts.Token);

        Assert.Equal(["traffic-rate-up", "traffic-rate-down", "canary-fault-inject", "canary-fault-heal", "canary-latency-inject", "canary-latency-heal"], Commands(builder, "traffic"));
        Assert.Equal(5, Commands(builder, "httpbin-canary").Length);
    }

    [Fact]
    public async Task Real_mode_without_the_macs_tools_stops_at_once_listing_what_is_missing()
    {
        var (exitCode, stdout, stderr) = await RunAppHostAsync("--LabNet:Mode=Real", "--LabNet:Real:Tart=/nonexistent/tart", "--LabNet:Real:SoftNet=/nonexistent/softnet");

        Assert.NotEqual(0, exitCode);
        Assert.Contains("LabNet cannot start in real mode", stderr);
        Assert.Contains("tart: '/nonexistent/tart' was not found", stderr);
        Assert.Contains("brew install cirruslabs/cli/tart", stderr);
        Assert.Contains("softnet", stderr);
        Assert.DoesNotContain("Now listening", stdout);
    }

    [Fact]
    public async Task The_bad_canary_scenario_is_refused_in_real_mode_before_any_tool_is_checked()
    {
        var (exitCode, stdout, stderr) = await RunAppHostAsync("--LabNet:Mode=Real", "--LabNet:Scenario=BadCanary");

        Assert.NotEqual(0, exitCode);
        Assert.Contains("'LabNet:Scenario' is 'BadCanary'", stderr);
        Assert.Contains("only in simulation", stderr);
        Assert.DoesNotContain("thing(s) missing", stderr);
        Assert.DoesNotContain("Now listening", stdout);
    }

    [Fact]
    public async Task Simulation_is_the_default_mode_and_adds_the_simulator()
    {
        using var cts = new CancellationTokenSource(TestTimeouts.Build);

        var builder = await DistributedApplicationTestingBuilder
            .CreateAsync<Projects.LabNet_AppHost>(["DOTNET_LAUNCH_PROFILE=http"], cts.Token)
            .WaitAsync(TestTimeouts.Build, cts.Token);

        var names = builder.Resources.OfType<ProjectResource>().Select(r => r.Name).Order().ToArray();

        Assert.Equal(["canarycontroller", "flowcollector", "provisioner", "simulator"], names);
    }

    [Fact]
    public async Task An_unknown_mode_stops_the_apphost_at_start_naming_the_setting_and_the_allowed_values()
    {
        var (exitCode, stdout, message) = await RunAppHostAsync("--LabNet:Mode=Foo");

        Assert.NotEqual(0, exitCode);
        Assert.Contains("LabNet:Mode", message);
        Assert.Contains("'Foo'", message);
        Assert.Contains("Simulation", message);
        Assert.Contains("Real", message);
        Assert.DoesNotContain("Now listening", stdout);
    }

    [Fact]
    public async Task A_lab_spec_that_does_not_exist_stops_the_apphost_at_start_naming_the_setting()
    {
        var (exitCode, stdout, stderr) = await RunAppHostAsync("--LabNet:SpecPath=config/no-such-lab.json");

        Assert.NotEqual(0, exitCode);
        Assert.Contains("config/no-such-lab.json' does not exist", stderr);
        Assert.Contains("'LabNet:SpecPath'", stderr);
        Assert.DoesNotContain("Now listening", stdout);
    }

    private static string[] Commands(IDistributedApplicationTestingBuilder builder, string resource) =>
        [.. builder.Resources.Single(r => r.Name == resource).Annotations.OfType<ResourceCommandAnnotation>().Select(c => c.Name)];

    private static Task<ProcessResult> RunAppHostAsync(params string[] arguments) =>
        ProcessRunner.RunAsync("dotnet", ["run", "--no-build", "--configuration", BuildConfiguration, "--project", Projects.LabNet_AppHost.ProjectPath, "--", .. arguments], TestTimeouts.Process);

#if DEBUG
    private const string BuildConfiguration = "Debug";
#else
    private const string BuildConfiguration = "Release";
#endif
}
