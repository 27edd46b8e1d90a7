using LabNet.Simulator.Clock;
using LabNet.Simulator.Hubble;
using LabNet.Simulator.Mesh;
using Microsoft.Extensions.Options;

namespace LabNet.Simulator.Pods;

/// <summary>
/// What processes inside pods reach of the rest of the twin. The data plane (<see cref="IPodHttpClient"/>,
/// <see cref="IClusterDns"/>) is looked up when used, so the simulator starts without it; without one, pods have
/// no working network (curl: could not resolve host), as with a broken CNI.
/// </summary>
public sealed class PodRuntimeServices(IServiceProvider services, TimeProvider time, IOptions<PodRuntimeOptions> options)
{
    public TimeProvider Time { get; } = time;

    public PodRuntimeOptions Options => options.Value;

    public IPodHttpClient? Http => services.GetService<IPodHttpClient>();

    public IClusterDns? Dns => services.GetService<IClusterDns>();

    public HubbleClusters? Hubble => services.GetService<HubbleClusters>();

    public ContainerLogStore Logs => services.GetRequiredService<ContainerLogStore>();

    public double SpeedFactor => services.GetService<SimulationClock>()?.SpeedFactor ?? 1;

    /// <summary>The modeled time of the twin (the clock's, when the lab world runs).</summary>
    public DateTimeOffset Now => services.GetService<SimulationClock>()?.Now ?? Time.GetUtcNow();

    /// <summary>
    /// Waits for <paramref name="modeled"/> scaled by the clock's speed; a network wait (<paramref name="capped"/>) never
    /// longer than <see cref="PodRuntimeOptions.MaxRealWait"/>.
    /// </summary>
    public async Task Elapse(TimeSpan modeled, bool capped, CancellationToken cancellation)
    {
        if (modeled <= TimeSpan.Zero)
        {
            return;
        }

        var real = modeled / SpeedFactor;
        if (capped && real > Options.MaxRealWait)
        {
            real = Options.MaxRealWait;
        }

        if (real > TimeSpan.Zero)
        {
            await Task.Delay(real, Time, cancellation);
        }
    }
}
