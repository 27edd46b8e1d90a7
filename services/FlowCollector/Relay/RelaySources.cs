using Microsoft.Extensions.Options;
using LabNet.FlowCollector.Flows;

namespace LabNet.FlowCollector.Relay;

/// <summary>Runs one <see cref="RelayFlowSource"/> per configured relay for the lifetime of the app.</summary>
public sealed class RelaySources : BackgroundService
{
    private readonly IReadOnlyList<RelayFlowSource> _sources;

    public RelaySources(IOptions<FlowCollectorOptions> options, FlowPipeline pipeline, TimeProvider timeProvider, ILoggerFactory loggerFactory)
    {
        var value = options.Value;
        _sources =
        [
            .. value.Relays.OrderBy(r => r.Key, StringComparer.Ordinal).Select(relay => new RelayFlowSource(
                relay.Key, new Uri(relay.Value), pipeline, value, timeProvider, new Random(), loggerFactory.CreateLogger<RelayFlowSource>())),
        ];
    }

    public IReadOnlyList<RelaySourceSnapshot> Statuses() => [.. _sources.Select(s => s.Status.Snapshot())];

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(_sources.Select(s => Task.Run(() => s.RunAsync(stoppingToken), stoppingToken)));
}
