using LabNet.Simulator.Kubernetes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LabNet.Simulator.Tests.LabWorld;

/// <summary>
/// A simulator for one test: the fastest clock (every modeled wait is one timer tick), a fixed seed, and the simulator's
/// own Kubernetes API servers behind the clusters kubeadm creates.
/// </summary>
public sealed class LabWorldFactory : WebApplicationFactory<Program>
{
    public Dictionary<string, string?> Settings { get; } = new()
    {
        ["Simulator:Clock:SpeedFactor"] = "1000000",
        ["Simulator:Seed"] = "42",
    };

    public IClusterApiRegistry Registry => Services.GetRequiredService<IClusterApiRegistry>();

    public ToolClient Tools()
    {
        var http = CreateClient();
        http.Timeout = Timeout.InfiniteTimeSpan;
        return new ToolClient(http);
    }

    public T Service<T>()
        where T : notnull => Services.GetRequiredService<T>();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }

    }
}
