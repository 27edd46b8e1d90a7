using System.Text;

namespace LabNet.FlowCollector.Flows;

/// <summary>
/// Turns UTF-8 bytes into strings without allocating for values seen before (namespaces, workloads, methods, node
/// names repeat on every flow). Bounded: past <c>maxEntries</c> distinct values new strings are still returned but no
/// longer remembered, so high-cardinality input (pod names) cannot grow memory. Not thread-safe: one per decoder.
/// </summary>
public sealed class Utf8StringPool
{
    private readonly int _maxEntries;
    private Entry[] _entries;
    private int _count;

    public Utf8StringPool(int maxEntries = 16_384)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxEntries);
        _maxEntries = maxEntries;
        _entries = new Entry[256];
    }

    public int Count => _count;

    public string Get(ReadOnlySpan<byte> utf8)
    {
        if (utf8.IsEmpty)
        {
            return "";
        }

        var hash = Utf8Hash.Compute(utf8);
        var mask = _entries.Length - 1;
        for (var i = hash & mask; ; i = (i + 1) & mask)
        {
            ref var entry = ref _entries[i];
            if (entry.Value is null)
            {
                break;
            }

            if (entry.Hash == hash && utf8.SequenceEqual(entry.Utf8))
            {
                return entry.Value;
            }
        }

        var value = Encoding.UTF8.GetString(utf8);
        if (_count < _maxEntries)
        {
            if ((_count + 1) * 2 > _entries.Length)
            {
                Grow();
            }

            Insert(_entries, new Entry(hash, utf8.ToArray(), value));
            _count++;
        }

        return value;
    }

    private void Grow()
    {
        var larger = new Entry[_entries.Length * 2];
        foreach (var entry in _entries)
        {
            if (entry.Value is not null)
            {
                Insert(larger, entry);
            }
        }

        _entries = larger;
    }

    private static void Insert(Entry[] table, Entry entry)
    {
        var mask = table.Length - 1;
        var i = entry.Hash & mask;
        while (table[i].Value is not null)
        {
            i = (i + 1) & mask;
        }

        table[i] = entry;
    }

    private readonly record struct Entry(int Hash, byte[] Utf8, string Value);
}
