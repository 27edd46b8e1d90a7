using Microsoft.Extensions.Options;

namespace LabNet.Simulator.Hubble.Relay;

/// <summary>Runs every cluster's hubble-relay while the simulator runs; the fault hooks stop and restart one.</summary>
public sealed class HubbleRelays(HubbleClusters clusters, IOptions<HubbleOptions> options, TimeProvider time, ILogger<HubbleRelays> logger) : IHostedService, IAsyncDisposable
{
    private readonly Dictionary<string, RelayServer> _relays = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>Cluster -> relay address (null while the relay is down), in the lab spec's order.</summary>
    public IReadOnlyList<(string Cluster, Uri? Address, bool Running)> List()
    {
        lock (_relays)
        {
            return clusters.Names.Where(_relays.ContainsKey).Select(n => (n, _relays[n].Address, _relays[n].IsRunning)).ToArray();
        }
    }

    public Uri? AddressOf(string cluster)
    {
        lock (_relays)
        {
            return _relays.TryGetValue(cluster, out var relay) && relay.IsRunning ? relay.Address : null;
        }
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var firstPort = options.Value.FirstRelayPort;
        var index = 0;
        foreach (var name in clusters.Names)
        {
            var relay = new RelayServer(clusters.GetOrCreate(name), time, firstPort == 0 ? 0 : firstPort + index);
            index++;
            await relay.StartAsync(cancellationToken);
            lock (_relays)
            {
                _relays[name] = relay;
            }

            logger.LogInformation("hubble-relay of {Cluster} listening on {Address}", name, relay.Address);
        }
    }

    /// <summary>Kills the cluster's relay (streams break) and, unless <paramref name="stayDown"/>, starts it again on the same port.</summary>
    /// <returns>False when the cluster has no relay.</returns>
    public async Task<bool> RestartAsync(string cluster, bool stayDown, CancellationToken cancellationToken)
    {
        RelayServer? relay;
        lock (_relays)
        {
            relay = _relays.GetValueOrDefault(cluster);
        }

        if (relay is null)
        {
            return false;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            await relay.StopAsync(cancellationToken);
            logger.LogWarning("hubble-relay of {Cluster} killed by a fault", cluster);
            if (!stayDown)
            {
                await relay.StartAsync(cancellationToken);
                logger.LogInformation("hubble-relay of {Cluster} restarted on {Address}", cluster, relay.Address);
            }
        }
        finally
        {
            _gate.Release();
        }

        return true;
    }

    /// <summary>Starts a relay the fault hook left down.</summary>
    public async Task<bool> StartRelayAsync(string cluster, CancellationToken cancellationToken)
    {
        RelayServer? relay;
        lock (_relays)
        {
            relay = _relays.GetValueOrDefault(cluster);
        }

        if (relay is null)
        {
            return false;
        }

        await relay.StartAsync(cancellationToken);
        return true;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        RelayServer[] relays;
        lock (_relays)
        {
            relays = [.. _relays.Values];
        }

        foreach (var relay in relays)
        {
            await relay.StopAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None);
        _gate.Dispose();
    }
}
