using System.Text;

namespace LabNet.FlowCollector.Flows;

/// <summary>A read-only map from UTF-8 names (JSON keys, enum names) to values, looked up without decoding to strings.</summary>
public sealed class Utf8Lookup<TValue>
{
    private readonly (int Hash, byte[] Key, TValue Value)?[] _table;

    public Utf8Lookup(IEnumerable<KeyValuePair<string, TValue>> entries)
    {
        var list = entries.ToList();
        var size = 16;
        while (size < list.Count * 4)
        {
            size *= 2;
        }

        _table = new (int, byte[], TValue)?[size];
        foreach (var (name, value) in list)
        {
            var key = Encoding.UTF8.GetBytes(name);
            var hash = Utf8Hash.Compute(key);
            var i = hash & (size - 1);
            while (_table[i] is { } existing)
            {
                if (existing.Key.AsSpan().SequenceEqual(key))
                {
                    throw new ArgumentException($"Duplicate name '{name}'.", nameof(entries));
                }

                i = (i + 1) & (size - 1);
            }

            _table[i] = (hash, key, value);
        }
    }

    public bool TryGetValue(ReadOnlySpan<byte> name, out TValue value)
    {
        var hash = Utf8Hash.Compute(name);
        var mask = _table.Length - 1;
        for (var i = hash & mask; _table[i] is { } entry; i = (i + 1) & mask)
        {
            if (entry.Hash == hash && name.SequenceEqual(entry.Key))
            {
                value = entry.Value;
                return true;
            }
        }

        value = default!;
        return false;
    }
}
