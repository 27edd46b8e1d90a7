using System.Collections.Concurrent;

namespace LabNet.Benchmarks.CanaryQuality;

/// <summary>A few FlowCollector hosts (one per core), each lent to one run at a time.</summary>
public sealed class FlowCollectorHosts : IAsyncDisposable
{
    private readonly ConcurrentBag<FlowCollectorHost> idle;
    private readonly FlowCollectorHost[] all;

    private FlowCollectorHosts(FlowCollectorHost[] hosts)
    {
        all = hosts;
        idle = [.. hosts];
    }

    public int Count => all.Length;

    public static async Task<FlowCollectorHosts> StartAsync(int? count = null)
    {
        var hosts = await Task.WhenAll(Enumerable.Range(0, count ?? Math.Clamp(Environment.ProcessorCount, 1, 4)).Select(_ => FlowCollectorHost.StartAsync()));
        return new FlowCollectorHosts(hosts);
    }

    public FlowCollectorHost Take() =>
        idle.TryTake(out var host) ? host : throw new InvalidOperationException("More runs at once than hosts.");

    public void Return(FlowCollectorHost host) => idle.Add(host);

    public async ValueTask DisposeAsync()
    {
        foreach (var host in all)
        {
            await host.DisposeAsync();
        }
    }
}
