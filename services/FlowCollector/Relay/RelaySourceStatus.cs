namespace LabNet.FlowCollector.Relay;

/// <summary>Live state of one relay source, updated by its stream loop and read by the status API.</summary>
public sealed class RelaySourceStatus(string cluster, string address, TimeProvider timeProvider)
{
    // Flows per arrival second over the last RateWindow seconds, for flows/s.
    private const int RateWindow = 10;

    private readonly Lock _gate = new();
    private readonly long[] _secondStamps = new long[RateWindow];
    private readonly long[] _secondCounts = new long[RateWindow];
    private bool _connected;
    private long _lastFlowTimeUnixNanos;
    private long _flows;
    private long _duplicates;
    private long _lostEvents;
    private long _undecodable;
    private long _reconnects;
    private string? _lastError;
    private DateTimeOffset? _lastErrorAt;
    private DateTimeOffset? _connectedSince;

    public string Cluster => cluster;

    public string Address => address;

    public void Connected(DateTimeOffset now)
    {
        lock (_gate)
        {
            _connected = true;
            _connectedSince = now;
        }
    }

    public void Disconnected(string? error)
    {
        lock (_gate)
        {
            _connected = false;
            _connectedSince = null;
            _lastError = error;
            _lastErrorAt = timeProvider.GetUtcNow();
            _reconnects++;
        }
    }

    public void FlowCounted(long timeUnixNanos)
    {
        var second = timeProvider.GetUtcNow().ToUnixTimeSeconds();
        lock (_gate)
        {
            var slot = (int)(second % RateWindow);
            if (_secondStamps[slot] != second)
            {
                _secondStamps[slot] = second;
                _secondCounts[slot] = 0;
            }

            _secondCounts[slot]++;
            _flows++;
            _lastFlowTimeUnixNanos = Math.Max(_lastFlowTimeUnixNanos, timeUnixNanos);
        }
    }

    public void DuplicateDropped()
    {
        lock (_gate)
        {
            _duplicates++;
        }
    }

    public void LostEvents(ulong count)
    {
        lock (_gate)
        {
            _lostEvents += (long)count;
        }
    }

    public void Undecodable()
    {
        lock (_gate)
        {
            _undecodable++;
        }
    }

    public RelaySourceSnapshot Snapshot()
    {
        // The current second is still filling: the rate is over the RateWindow - 1 complete seconds before it.
        var now = timeProvider.GetUtcNow().ToUnixTimeSeconds();
        lock (_gate)
        {
            long recent = 0;
            for (var i = 0; i < RateWindow; i++)
            {
                if (_secondStamps[i] < now && _secondStamps[i] >= now - (RateWindow - 1))
                {
                    recent += _secondCounts[i];
                }
            }

            return new RelaySourceSnapshot(cluster, address, _connected, _connectedSince,
                _lastFlowTimeUnixNanos == 0 ? null : Decoding.Rfc3339.Format(_lastFlowTimeUnixNanos),
                (double)recent / (RateWindow - 1),
                _flows, _duplicates, _lostEvents, _undecodable, _reconnects, _lastError, _lastErrorAt);
        }
    }
}

/// <summary>
/// What <c>GET /api/sources</c> shows per relay. <see cref="LastError"/> is the last disconnect's reason and stays after
/// a reconnect (history, not the current state): compare <see cref="LastErrorAt"/> with <see cref="ConnectedSince"/>.
/// </summary>
public sealed record RelaySourceSnapshot(
    string Cluster,
    string Address,
    bool Connected,
    DateTimeOffset? ConnectedSince,
    string? LastFlowTime,
    double FlowsPerSecond,
    long Flows,
    long DuplicatesDropped,
    long LostEvents,
    long UndecodableFlows,
    long Disconnects,
    string? LastError,
    DateTimeOffset? LastErrorAt);
