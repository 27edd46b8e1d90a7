using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace LabNet.Provisioner.Tests.Simulation;

/// <summary>
/// The Provisioner (its real composition) pointed at a simulator process through the shims, at the fastest modeled
/// clock: configuration is the only thing that differs from a real lab.
/// </summary>
public sealed class SimulatedLab : IAsyncDisposable
{
    private SimulatedLab(SimulatorProcess simulator, WebApplicationFactory<Program> provisioner, string kubeconfigs)
    {
        Simulator = simulator;
        Provisioner = provisioner;
        KubeconfigDirectory = kubeconfigs;
    }

    public SimulatorProcess Simulator { get; }

    public WebApplicationFactory<Program> Provisioner { get; }

    public string KubeconfigDirectory { get; }

    public static async Task<SimulatedLab> StartAsync(string specPath, params (string Key, string Value)[] provisionerSettings)
    {
        var simulator = await SimulatorProcess.StartAsync("--Simulator:Clock:SpeedFactor=1000000", "--Simulator:Seed=7");
        var kubeconfigs = Directory.CreateTempSubdirectory("labnet-kubeconfig-").FullName;
        var shims = SimulatorProcess.ShimsDirectory;
        var settings = new Dictionary<string, string>
        {
            ["Tools:Tart"] = Path.Combine(shims, "tart"),
            ["Tools:Ssh"] = Path.Combine(shims, "ssh"),
            ["Tools:SshPass"] = Path.Combine(shims, "sshpass"),
            ["Tools:Helm"] = Path.Combine(shims, "helm"),
            ["Tools:Environment:LABNET_SIMULATOR_URL"] = simulator.Url.ToString().TrimEnd('/'),
            ["Lab:SpecPath"] = specPath,
            ["Lab:KubeconfigDirectory"] = kubeconfigs,
            ["Lab:ManifestsDirectory"] = RepositoryRoot.Combine("manifests"),
            ["Provisioning:Retry:InitialDelay"] = "00:00:00.050",
            ["Provisioning:Retry:MaxDelay"] = "00:00:00.200",
        };
        foreach (var (key, value) in provisionerSettings)
        {
            settings[key] = value;
        }

        var provisioner = new WebApplicationFactory<Program>().WithWebHostBuilder(host =>
        {
            foreach (var (key, value) in settings)
            {
                host.UseSetting(key, value);
            }
        });

        return new SimulatedLab(simulator, provisioner, kubeconfigs);
    }

    public async ValueTask DisposeAsync()
    {
        await Provisioner.DisposeAsync();
        await Simulator.DisposeAsync();
        Directory.Delete(KubeconfigDirectory, recursive: true);
    }
}
