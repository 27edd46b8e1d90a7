using LabNet.Hubble.ObserverApi;

namespace LabNet.Simulator.Hubble.Relay;

/// <summary>
/// One node's Hubble ring buffer: the last <see cref="Capacity"/> events, oldest overwritten first. Positions are
/// absolute (the count of events ever written), so a reader that fell more than a ring behind knows how many it lost.
/// </summary>
public sealed class NodeFlowRing
{
    private readonly GetFlowsResponse[] _slots;
    private readonly Lock _sync = new();
    private long _written;

    public NodeFlowRing(string nodeName, int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        NodeName = nodeName;
        _slots = new GetFlowsResponse[capacity];
    }

    /// <summary>The node as Hubble names it: <c>cluster/node</c>.</summary>
    public string NodeName { get; }

    public int Capacity => _slots.Length;

    /// <summary>Events ever written (Hubble's seen_flows).</summary>
    public long Written => Volatile.Read(ref _written);

    /// <summary>Events held now (Hubble's num_flows).</summary>
    public long Count => Math.Min(Written, _slots.Length);

    public void Append(ReadOnlySpan<GetFlowsResponse> events)
    {
        lock (_sync)
        {
            foreach (var e in events)
            {
                _slots[(int)(_written % _slots.Length)] = e;
                _written++;
            }
        }
    }

    /// <summary>Everything held, oldest first, and the position after the last one.</summary>
    public (List<GetFlowsResponse> Events, long Next) Snapshot()
    {
        lock (_sync)
        {
            var list = new List<GetFlowsResponse>((int)Math.Min(_written, _slots.Length));
            for (var p = Math.Max(0, _written - _slots.Length); p < _written; p++)
            {
                list.Add(_slots[(int)(p % _slots.Length)]);
            }

            return (list, _written);
        }
    }

    /// <summary>
    /// Copies the events from <paramref name="position"/> on (at most <paramref name="max"/>) into <paramref name="into"/>.
    /// Returns the position to read from next and how many events were overwritten before this reader got to them.
    /// </summary>
    public (long Next, long Lost) ReadFrom(long position, List<GetFlowsResponse> into, int max)
    {
        lock (_sync)
        {
            var oldest = Math.Max(0, _written - _slots.Length);
            var lost = position < oldest ? oldest - position : 0;
            var p = Math.Max(position, oldest);
            var end = Math.Min(_written, p + max);
            for (; p < end; p++)
            {
                into.Add(_slots[(int)(p % _slots.Length)]);
            }

            return (p, lost);
        }
    }
}
