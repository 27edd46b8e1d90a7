namespace LabNet.FlowCollector.Query;

/// <summary>
/// The last <c>capacity</c> flows received from relays, kept as their GetFlowsResponse bytes (the array the relay
/// source already owns: no copy), numbered in arrival order. Bounded memory; followers wait on <see cref="Changed"/>.
/// Thread-safe.
/// </summary>
public sealed class FlowRingBuffer(int capacity = FlowRingBuffer.DefaultCapacity)
{
    public const int DefaultCapacity = 20_000;

    private readonly Lock _gate = new();
    private readonly byte[]?[] _payloads = new byte[capacity][];
    private long _next;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int Capacity => capacity;

    /// <summary>Completes when a flow is added after this call.</summary>
    public Task Changed
    {
        get
        {
            lock (_gate)
            {
                return _changed.Task;
            }
        }
    }

    public void Add(byte[] getFlowsResponse)
    {
        TaskCompletionSource changed;
        lock (_gate)
        {
            _payloads[_next % capacity] = getFlowsResponse;
            _next++;
            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        changed.TrySetResult();
    }

    /// <summary>The flows numbered from <paramref name="after"/> + 1 on that are still in the buffer, and the next number.</summary>
    public (IReadOnlyList<byte[]> Payloads, long Next) ReadAfter(long after)
    {
        lock (_gate)
        {
            var from = Math.Max(after + 1, _next - capacity);
            var payloads = new List<byte[]>((int)Math.Max(0, _next - from));
            for (var sequence = from; sequence < _next; sequence++)
            {
                payloads.Add(_payloads[sequence % capacity]!);
            }

            return (payloads, _next - 1);
        }
    }
}
