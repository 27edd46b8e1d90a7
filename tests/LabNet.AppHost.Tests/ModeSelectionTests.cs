using System.Diagnostics;

namespace LabNet.AppHost.Tests;

public sealed class ModeSelectionTests
{
    [Fact]
    public async Task Real_mode_builds_the_three_services_without_a_simulator()
    {
        using var cts = new CancellationTokenSource(TestTimeouts.Build);

        var builder = await DistributedApplicationTestingBuilder
            .CreateAsync<Projects.LabNet_AppHost>(["DOTNET_LAUNCH_PROFILE=http", "LabNet:Mode=Real"], cts.Token)
            .WaitAsync(TestTimeouts.Build, cts.Token);

        var names = builder.Resources.OfType<ProjectResource>().Select(r => r.Name).Order().ToArray();

        Assert.Equal(["canarycontroller", "flowcollector", "provisioner"], names);
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
        var appHostProject = Projects.LabNet_AppHost.ProjectPath;
        var startInfo = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { "run", "--no-build", "--configuration", BuildConfiguration, "--project", appHostProject, "--", "--LabNet:Mode=Foo" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };

        using var process = Process.Start(startInfo)!;
        using var cts = new CancellationTokenSource(TestTimeouts.Process);
        var stdout = process.StandardOutput.ReadToEndAsync(cts.Token);
        var stderr = process.StandardError.ReadToEndAsync(cts.Token);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        var message = await stderr;
        Assert.NotEqual(0, process.ExitCode);
        Assert.Contains("LabNet:Mode", message);
        Assert.Contains("'Foo'", message);
        Assert.Contains("Simulation", message);
        Assert.Contains("Real", message);
        Assert.DoesNotContain("Now listening", await stdout);
    }

#if DEBUG
    private const string BuildConfiguration = "Debug";
#else
    private const string BuildConfiguration = "Release";
#endif
}
