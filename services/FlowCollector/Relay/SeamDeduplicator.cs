namespace LabNet.FlowCollector.Relay;

/// <summary>
/// Remembers the identities of the last N flows of one relay stream. A resumed stream (since = last flow time seen)
/// repeats the flows at and after that time; those already counted are recognised here and dropped. Bounded memory.
/// </summary>
public sealed class SeamDeduplicator(int capacity)
{
    // Not preallocated: an idle or slow relay should not cost the full window.
    private readonly HashSet<FlowIdentity> _seen = [];
    private readonly Queue<FlowIdentity> _order = new();

    /// <summary>True the first time an identity is offered; false for a repeat.</summary>
    public bool TryAdd(FlowIdentity identity)
    {
        if (!_seen.Add(identity))
        {
            return false;
        }

        _order.Enqueue(identity);
        if (_order.Count > capacity)
        {
            _seen.Remove(_order.Dequeue());
        }

        return true;
    }
}

/// <summary>A flow's identity across reconnects: its time and node, and a 64-bit hash of its uuid (or of its bytes without one).</summary>
public readonly record struct FlowIdentity(long TimeUnixNanos, string NodeName, ulong Hash);
