using System.Text.Json.Nodes;
using System.Threading.Channels;
using LabNet.Simulator.Hubble.Relay;
using LabNet.Simulator.Kubernetes;
using Microsoft.Extensions.Options;

namespace LabNet.Simulator.Hubble;

/// <summary>
/// Runs a cluster's hubble-relay while the cluster has one: it starts when a <c>hubble-relay</c> Deployment (pods labeled
/// <c>k8s-app: hubble-relay</c>) appears in the cluster's API (Cilium's chart with <c>hubble.relay.enabled</c>) and stops when that goes (helm uninstall, an
/// upgrade that turns it off) or the cluster does. It listens on the port <see cref="HubbleOptions.RelayPorts"/>
/// names for the cluster, else on a free loopback port, and keeps that port for the simulator's life. The fault hooks
/// kill, restart and start one. Starts and stops happen in order, on a queue of their own.
/// </summary>
public sealed class HubbleRelays(
    IClusterApiRegistry registry,
    HubbleClusters clusters,
    IOptions<HubbleOptions> options,
    TimeProvider time,
    ILogger<HubbleRelays> logger) : IHostedService, IAsyncDisposable
{
    public const string RelayName = "hubble-relay";

    private readonly Dictionary<string, RelayServer> _relays = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _ports = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IDisposable> _subscriptions = new(StringComparer.Ordinal);
    private readonly Channel<Func<CancellationToken, Task>> _work = Channel.CreateUnbounded<Func<CancellationToken, Task>>(new() { SingleReader = true });
    private readonly CancellationTokenSource _stopping = new();
    private IDisposable? _watch;
    private Task _worker = Task.CompletedTask;
    private int _stopped;

    /// <summary>Every cluster's relay (running, or down by a fault), by port: in the order the configuration gives the ports.</summary>
    public IReadOnlyList<(string Cluster, Uri? Address, bool Running)> List()
    {
        lock (_relays)
        {
            return [.. _relays.Values
                .OrderBy(r => r.Address?.Port ?? int.MaxValue)
                .ThenBy(r => r.ClusterName, StringComparer.Ordinal)
                .Select(r => (r.ClusterName, r.Address, r.IsRunning))];
        }
    }

    /// <summary>The address of the cluster's relay while it runs, else null.</summary>
    public Uri? AddressOf(string cluster)
    {
        lock (_relays)
        {
            return _relays.TryGetValue(cluster, out var relay) && relay.IsRunning ? relay.Address : null;
        }
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _worker = Task.Run(() => WorkAsync(_stopping.Token), CancellationToken.None);
        _watch = registry.Watch(Follow, Forget);
        return Task.CompletedTask;
    }

    /// <summary>Kills the cluster's relay (streams break) and, unless <paramref name="stayDown"/>, starts it again on the same port.</summary>
    /// <returns>False when the cluster has no relay.</returns>
    public Task<bool> RestartAsync(string cluster, bool stayDown, CancellationToken cancellationToken) =>
        RunAsync(async stop =>
        {
            if (Find(cluster) is not { } relay)
            {
                return false;
            }

            await relay.StopAsync(stop);
            logger.LogWarning("hubble-relay of {Cluster} killed by a fault", cluster);
            if (!stayDown)
            {
                await relay.StartAsync(stop);
                logger.LogInformation("hubble-relay of {Cluster} restarted on {Address}", cluster, relay.Address);
            }

            return true;
        }, cancellationToken);

    /// <summary>Starts a relay the fault hook left down.</summary>
    /// <returns>False when the cluster has no relay.</returns>
    public Task<bool> StartRelayAsync(string cluster, CancellationToken cancellationToken) =>
        RunAsync(async stop =>
        {
            if (Find(cluster) is not { } relay)
            {
                return false;
            }

            await relay.StartAsync(stop);
            return true;
        }, cancellationToken);

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            return;
        }

        Interlocked.Exchange(ref _watch, null)?.Dispose();
        lock (_subscriptions)
        {
            foreach (var subscription in _subscriptions.Values)
            {
                subscription.Dispose();
            }

            _subscriptions.Clear();
        }

        _work.Writer.TryComplete();
        await _stopping.CancelAsync();
        await _worker.WaitAsync(cancellationToken);
        RelayServer[] relays;
        lock (_relays)
        {
            relays = [.. _relays.Values];
            _relays.Clear();
        }

        foreach (var relay in relays)
        {
            await relay.StopAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync(CancellationToken.None);

    /// <summary>A new cluster: follow its objects for the relay's Deployment and its nodes (each node's agent holds a ring).</summary>
    private void Follow(IClusterApi api)
    {
        var name = api.Bootstrap.Name;
        // Subscribe first so nothing written between the look and the subscription is missed; both steps are idempotent.
        var subscription = api.Subscribe(change => OnChange(name, change));
        lock (_subscriptions)
        {
            _subscriptions[name] = subscription;
        }

        foreach (var node in api.List("v1", "Node"))
        {
            OnChange(name, new ClusterObjectChange("ADDED", node));
        }

        if (api.List("apps/v1", "Deployment").FirstOrDefault(IsRelay) is { } deployment)
        {
            OnChange(name, new ClusterObjectChange("ADDED", deployment));
        }
    }

    private void Forget(IClusterApi api)
    {
        var name = api.Bootstrap.Name;
        lock (_subscriptions)
        {
            if (_subscriptions.Remove(name, out var subscription))
            {
                subscription.Dispose();
            }
        }

        Enqueue(stop => StopRelayAsync(name, stop));
    }

    private void OnChange(string cluster, ClusterObjectChange change)
    {
        var obj = change.Object;
        if (obj["kind"]?.GetValue<string>() == "Node" && change.Type == "ADDED" && obj["metadata"]?["name"]?.GetValue<string>() is { } node)
        {
            clusters.GetOrCreate(cluster).AddNode(node);
        }
        else if (IsRelay(obj))
        {
            switch (change.Type)
            {
                case "ADDED":
                    Enqueue(stop => StartRelayOfDeploymentAsync(cluster, stop));
                    break;
                case "DELETED":
                    Enqueue(stop => StopRelayAsync(cluster, stop));
                    break;
            }
        }
    }

    /// <summary>The Deployment whose pods are hubble-relay (<c>k8s-app: hubble-relay</c>, as Cilium's chart labels them).</summary>
    private static bool IsRelay(JsonObject obj) =>
        obj["kind"]?.GetValue<string>() == "Deployment"
        && obj["metadata"]?["name"]?.GetValue<string>() == RelayName
        && obj["spec"]?["template"]?["metadata"]?["labels"]?["k8s-app"]?.GetValue<string>() == RelayName;

    private async Task StartRelayOfDeploymentAsync(string cluster, CancellationToken stop)
    {
        RelayServer relay;
        lock (_relays)
        {
            if (_relays.ContainsKey(cluster))
            {
                return;
            }

            var port = _ports.TryGetValue(cluster, out var kept) ? kept : options.Value.RelayPorts.GetValueOrDefault(cluster);
            relay = new RelayServer(clusters.GetOrCreate(cluster), time, port);
            _relays[cluster] = relay;
        }

        try
        {
            await relay.StartAsync(stop);
        }
        catch (IOException e)
        {
            // The port is taken (another simulator, a port-forward): say where, and leave the relay down.
            logger.LogError(e, "hubble-relay of {Cluster} cannot listen on its port; it stays down", cluster);
            return;
        }

        lock (_relays)
        {
            _ports[cluster] = relay.Address!.Port;
        }

        logger.LogInformation("hubble-relay of {Cluster} listening on {Address}", cluster, relay.Address);
    }

    private async Task StopRelayAsync(string cluster, CancellationToken stop)
    {
        RelayServer? relay;
        lock (_relays)
        {
            _relays.Remove(cluster, out relay);
        }

        if (relay is not null)
        {
            await relay.StopAsync(stop);
            logger.LogInformation("hubble-relay of {Cluster} stopped: its Deployment or its cluster is gone", cluster);
        }
    }

    private RelayServer? Find(string cluster)
    {
        lock (_relays)
        {
            return _relays.GetValueOrDefault(cluster);
        }
    }

    private void Enqueue(Func<CancellationToken, Task> work) => _work.Writer.TryWrite(work);

    /// <summary>Runs <paramref name="work"/> on the queue, after what is already there, and returns its result.</summary>
    private async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        Enqueue(async stop =>
        {
            try
            {
                done.TrySetResult(await work(stop));
            }
            catch (Exception e)
            {
                done.TrySetException(e);
            }
        });
        return await done.Task.WaitAsync(cancellationToken);
    }

    private async Task WorkAsync(CancellationToken stop)
    {
        try
        {
            await foreach (var work in _work.Reader.ReadAllAsync(stop))
            {
                try
                {
                    await work(stop);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogError(e, "A hubble-relay start or stop failed");
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
