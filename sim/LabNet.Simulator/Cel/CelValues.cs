using System.Collections;
using System.Text;

namespace LabNet.Simulator.Cel;

/// <summary>
/// CEL's values as .NET objects: <c>long</c> (int), <c>ulong</c> (uint), <c>double</c>, <c>bool</c>, <c>string</c>,
/// <see cref="CelBytes"/>, <see cref="CelNull"/>, <see cref="CelList"/>, <see cref="CelMap"/>, <see cref="CelType"/>,
/// <see cref="TimeSpan"/> (google.protobuf.Duration), <see cref="DateTimeOffset"/> (google.protobuf.Timestamp),
/// <see cref="CelOptional"/>, the Kubernetes library's types, and <see cref="CelError"/>: an error is a value, so the
/// logical operators and the comprehensions can absorb it as CEL specifies.
/// </summary>
public sealed class CelNull
{
    public static CelNull Value { get; } = new();

    private CelNull()
    {
    }

    public override string ToString() => "null";
}

/// <summary>An evaluation error, carried as a value; the message is cel-go's (e.g. <c>no such key: steps</c>).</summary>
public sealed record CelError(string Message)
{
    public static CelError NoSuchOverload { get; } = new("no such overload");

    public static CelError NoMatchingOverload(string function) => new($"found no matching overload for '{function}' applied to the given arguments");

    public override string ToString() => Message;
}

public sealed class CelBytes(byte[] value) : IEquatable<CelBytes>
{
    public byte[] Value { get; } = value;

    public bool Equals(CelBytes? other) => other is not null && Value.AsSpan().SequenceEqual(other.Value);

    public override bool Equals(object? obj) => Equals(obj as CelBytes);

    public override int GetHashCode() => Value.Length;

    public override string ToString() => Encoding.UTF8.GetString(Value);
}

public sealed class CelList(IReadOnlyList<object> items) : IReadOnlyList<object>
{
    public static CelList Empty { get; } = new([]);

    public object this[int index] => items[index];

    public int Count => items.Count;

    public IEnumerator<object> GetEnumerator() => items.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>A map with CEL's key semantics: 1, 1u and 1.0 are the same key; iteration in insertion order.</summary>
public sealed class CelMap : IEnumerable<KeyValuePair<object, object>>
{
    private readonly Dictionary<object, object> _entries = new(CelKeyComparer.Instance);
    private readonly List<object> _keys = [];

    public int Count => _keys.Count;

    public IEnumerable<object> Keys => _keys;

    /// <summary>Adds an entry; false when the key is already present.</summary>
    public bool TryAdd(object key, object value)
    {
        if (!_entries.TryAdd(key, value))
        {
            return false;
        }

        _keys.Add(key);
        return true;
    }

    public bool TryGetValue(object key, out object value)
    {
        var found = _entries.TryGetValue(key, out var stored);
        value = stored!;
        return found;
    }

    public bool ContainsKey(object key) => _entries.ContainsKey(key);

    public IEnumerator<KeyValuePair<object, object>> GetEnumerator() =>
        _keys.Select(k => KeyValuePair.Create(k, _entries[k])).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private sealed class CelKeyComparer : IEqualityComparer<object>
    {
        public static CelKeyComparer Instance { get; } = new();

        public new bool Equals(object? x, object? y) => x is not null && y is not null && CelEquality.AreEqual(x, y);

        public int GetHashCode(object obj) => obj switch
        {
            long l => l.GetHashCode(),
            ulong u when u <= long.MaxValue => ((long)u).GetHashCode(),
            double d when d >= long.MinValue && d <= long.MaxValue && Math.Floor(d) == d => ((long)d).GetHashCode(),
            _ => obj.GetHashCode(),
        };
    }
}

/// <summary>A value of CEL's <c>type</c> type (what <c>type(x)</c> returns), compared by name.</summary>
public sealed record CelType(string Name)
{
    public static readonly CelType Int = new("int");
    public static readonly CelType Uint = new("uint");
    public static readonly CelType Double = new("double");
    public static readonly CelType Bool = new("bool");
    public static readonly CelType String = new("string");
    public static readonly CelType Bytes = new("bytes");
    public static readonly CelType List = new("list");
    public static readonly CelType Map = new("map");
    public static readonly CelType Null = new("null_type");
    public static readonly CelType Type = new("type");
    public static readonly CelType Duration = new("google.protobuf.Duration");
    public static readonly CelType Timestamp = new("google.protobuf.Timestamp");
    public static readonly CelType Optional = new("optional_type");

    public override string ToString() => Name;
}

/// <summary>cel-go's optional values (<c>self.?field</c>, <c>optional.of(x)</c>).</summary>
public sealed record CelOptional(object? Value)
{
    public static CelOptional None { get; } = new((object?)null);

    public bool HasValue => Value is not null;
}
