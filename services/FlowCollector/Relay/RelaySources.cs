using System.Text.RegularExpressions;
using LabNet.FlowCollector.Flows;
using LabNet.FlowCollector.Relay.PortForward;
using Microsoft.Extensions.Options;

namespace LabNet.FlowCollector.Relay;

/// <summary>
/// Runs one <see cref="RelayFlowSource"/> per cluster for the lifetime of the app: one per fixed address of
/// <c>FlowCollector:Relays</c>, and one per <c>&lt;cluster&gt;.yaml</c> in the kubeconfig directory (through the
/// cluster's port-forward to hubble-relay). The directory is looked at again and again: clusters appear when the
/// Provisioner has built them, and a cluster whose kubeconfig is removed (destroyed) is no longer followed.
/// </summary>
public sealed partial class RelaySources(
    IOptions<FlowCollectorOptions> options,
    FlowPipeline pipeline,
    TimeProvider timeProvider,
    ILoggerFactory loggerFactory) : BackgroundService
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, RunningSource> _sources = new(StringComparer.Ordinal);
    private readonly ILogger<RelaySources> _logger = loggerFactory.CreateLogger<RelaySources>();

    public IReadOnlyList<RelaySourceSnapshot> Statuses()
    {
        lock (_gate)
        {
            return [.. _sources.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => s.Value.Source.Status.Snapshot())];
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var value = options.Value;
        foreach (var (cluster, address) in value.Relays)
        {
            Start(cluster, RelayConnection.Direct(new Uri(address)), null, stoppingToken);
        }

        if (value.KubeconfigDirectory is { Length: > 0 } directory)
        {
            LogWatching(_logger, Path.GetFullPath(directory));
            try
            {
                while (!stoppingToken.IsCancellationRequested)
                {
                    Rescan(Path.GetFullPath(directory), stoppingToken);
                    await Task.Delay(value.KubeconfigScanInterval, timeProvider, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
            }
        }

        await Task.WhenAll(Running());
        lock (_gate)
        {
            foreach (var source in _sources.Values)
            {
                source.Kubeconfig?.Dispose();
            }
        }
    }

    private void Rescan(string directory, CancellationToken stoppingToken)
    {
        var present = Directory.Exists(directory)
            ? Directory.EnumerateFiles(directory, "*.yaml")
                .Select(file => (Cluster: Path.GetFileNameWithoutExtension(file), File: file))
                .Where(k => ClusterName().IsMatch(k.Cluster) && !options.Value.Relays.ContainsKey(k.Cluster))
                .ToDictionary(k => k.Cluster, k => k.File, StringComparer.Ordinal)
            : [];

        List<(string Cluster, RunningSource Source)> gone;
        lock (_gate)
        {
            gone = [.. _sources.Where(s => s.Value.Kubeconfig is not null && !present.ContainsKey(s.Key)).Select(s => (s.Key, s.Value))];
            foreach (var (cluster, _) in gone)
            {
                _sources.Remove(cluster);
            }
        }

        foreach (var (cluster, source) in gone)
        {
            LogClusterGone(_logger, cluster);
            source.Stop.Cancel();
            _ = source.Running.ContinueWith(_ => { source.Kubeconfig!.Dispose(); source.Stop.Dispose(); }, TaskScheduler.Default);
        }

        foreach (var (cluster, file) in present)
        {
            bool known;
            lock (_gate)
            {
                known = _sources.ContainsKey(cluster);
            }

            if (!known)
            {
                var kubeconfig = new KubeconfigClient(file);
                LogClusterFound(_logger, cluster, file);
                Start(cluster, RelayConnection.ThroughPortForward(new ServicePortForward(kubeconfig, options.Value.RelayService)), kubeconfig, stoppingToken);
            }
        }
    }

    private void Start(string cluster, RelayConnection connection, KubeconfigClient? kubeconfig, CancellationToken stoppingToken)
    {
        var stop = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var source = new RelayFlowSource(cluster, connection, pipeline, options.Value, timeProvider, new Random(), loggerFactory.CreateLogger<RelayFlowSource>());
        var running = Task.Run(() => source.RunAsync(stop.Token), CancellationToken.None);
        lock (_gate)
        {
            _sources[cluster] = new RunningSource(source, running, stop, kubeconfig);
        }
    }

    private Task[] Running()
    {
        lock (_gate)
        {
            return [.. _sources.Values.Select(s => s.Running)];
        }
    }

    private sealed record RunningSource(RelayFlowSource Source, Task Running, CancellationTokenSource Stop, KubeconfigClient? Kubeconfig);

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")]
    private static partial Regex ClusterName();

    [LoggerMessage(Level = LogLevel.Information, Message = "Following hubble-relay of every cluster whose kubeconfig appears in {Directory}")]
    private static partial void LogWatching(ILogger logger, string directory);

    [LoggerMessage(Level = LogLevel.Information, Message = "Cluster {Cluster} appeared ({Kubeconfig}): following its hubble-relay through the Kubernetes API's port-forward")]
    private static partial void LogClusterFound(ILogger logger, string cluster, string kubeconfig);

    [LoggerMessage(Level = LogLevel.Information, Message = "Cluster {Cluster}'s kubeconfig is gone: no longer following its hubble-relay")]
    private static partial void LogClusterGone(ILogger logger, string cluster);
}
