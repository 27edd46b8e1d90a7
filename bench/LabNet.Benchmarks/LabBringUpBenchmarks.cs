using BenchmarkDotNet.Attributes;
using LabNet.Simulator.Kubernetes;
using LabNet.Simulator.Tests.LabWorld;
using LabNet.Simulator.LabWorld;
using LabNet.Simulator.Tools;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LabNet.Benchmarks;

/// <summary>
/// Issue 3, acceptance line 6: the whole 10-VM lab of config/clusters.json brought up by the original install's tool
/// calls (pull, clone, set, run with softnet, ip --wait, ssh preparation, kubeadm init, token create, join, helm
/// install cilium + hubble) over the simulator's real loopback HTTP tools endpoint, at the fastest clock.
/// Target: under 10 s of wall time per bring-up.
/// </summary>
public class LabBringUpBenchmarks
{
    private LabSpec _spec = null!;
    private WebApplication _app = null!;
    private IClusterApiRegistry _registry = null!;
    private HttpClient _http = null!;

    [GlobalSetup]
    public void Setup() => _spec = LabSpec.Load();

    [IterationSetup]
    public void StartSimulator()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Configuration["Simulator:Clock:SpeedFactor"] = "1000000";
        builder.Services.AddCiliumPolicy();
        builder.Services.AddKubernetesApi();
        builder.Services.AddLabWorld(builder.Configuration);
        _app = builder.Build();
        _app.MapKubernetesApi();
        _app.MapLabWorld();
        _registry = _app.Services.GetRequiredService<IClusterApiRegistry>();
        _app.StartAsync().GetAwaiter().GetResult();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _http = new HttpClient { BaseAddress = new Uri(address), Timeout = Timeout.InfiniteTimeSpan };
    }

    [Benchmark]
    public async Task Full_lab_10_vms_fastest_clock()
    {
        var install = new OriginalLabInstall(new ToolClient(_http), _spec);
        await install.AllAsync();

        var ready = _registry.Clusters.Sum(c => c.List("v1", "Node").Count(n =>
            n["status"]!["conditions"]!.AsArray().Any(x => x!["type"]!.GetValue<string>() == "Ready" && x["status"]!.GetValue<string>() == "True")));
        if (ready != 10)
        {
            throw new InvalidOperationException($"Expected 10 Ready nodes, found {ready}.");
        }
    }

    [IterationCleanup]
    public void StopSimulator()
    {
        // Dropping the long-lived tart run calls powers the VMs off, as killing the real tart run would.
        _http.CancelPendingRequests();
        _http.Dispose();
        _app.StopAsync().GetAwaiter().GetResult();
        _app.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }
}
