namespace LabNet.FlowCollector.Relay;

/// <summary>Live state of one relay source, updated by its stream loop and read by the status API.</summary>
public sealed class RelaySourceStatus(string cluster, string address)
{
    private readonly Lock _gate = new();
    private bool _connected;
    private long _lastFlowTimeUnixNanos;
    private long _flows;
    private long _duplicates;
    private long _lostEvents;
    private long _undecodable;
    private long _reconnects;
    private string? _lastError;
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
            _reconnects++;
        }
    }

    public void FlowCounted(long timeUnixNanos)
    {
        lock (_gate)
        {
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
        lock (_gate)
        {
            return new RelaySourceSnapshot(cluster, address, _connected, _connectedSince,
                _lastFlowTimeUnixNanos == 0 ? null : Decoding.Rfc3339.Format(_lastFlowTimeUnixNanos),
                _flows, _duplicates, _lostEvents, _undecodable, _reconnects, _lastError);
        }
    }
}

/// <summary>What <c>GET /api/sources</c> shows per relay.</summary>
public sealed record RelaySourceSnapshot(
    string Cluster,
    string Address,
    bool Connected,
    DateTimeOffset? ConnectedSince,
    string? LastFlowTime,
    long Flows,
    long DuplicatesDropped,
    long LostEvents,
    long UndecodableFlows,
    long Disconnects,
    string? LastError);
