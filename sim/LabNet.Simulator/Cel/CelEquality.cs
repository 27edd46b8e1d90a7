namespace LabNet.Simulator.Cel;

/// <summary>
/// CEL's heterogeneous equality and ordering: numbers compare by value across int, uint and double (NaN equals
/// nothing); values of different kinds are simply unequal; lists and maps compare element by element.
/// </summary>
public static class CelEquality
{
    public static bool AreEqual(object a, object b)
    {
        if (IsNumber(a) && IsNumber(b))
        {
            return CompareNumbers(a, b) == 0;
        }

        return (a, b) switch
        {
            (string x, string y) => string.Equals(x, y, StringComparison.Ordinal),
            (bool x, bool y) => x == y,
            (CelNull, CelNull) => true,
            (CelBytes x, CelBytes y) => x.Equals(y),
            (CelList x, CelList y) => x.Count == y.Count && x.Zip(y).All(p => AreEqual(p.First, p.Second)),
            (CelMap x, CelMap y) => x.Count == y.Count && x.All(e => y.TryGetValue(e.Key, out var other) && AreEqual(e.Value, other)),
            (CelType x, CelType y) => x.Name == y.Name,
            (TimeSpan x, TimeSpan y) => x == y,
            (DateTimeOffset x, DateTimeOffset y) => x == y,
            (CelOptional x, CelOptional y) => x.HasValue == y.HasValue && (!x.HasValue || AreEqual(x.Value!, y.Value!)),
            _ => a.GetType() == b.GetType() && a.Equals(b),
        };
    }

    /// <summary>-1, 0 or 1; <see cref="Unordered"/> when a NaN is involved; null when the values are not comparable (no such overload).</summary>
    public static int? Compare(object a, object b)
    {
        if (IsNumber(a) && IsNumber(b))
        {
            return CompareNumbers(a, b);
        }

        return (a, b) switch
        {
            (string x, string y) => Math.Sign(string.CompareOrdinal(x, y)),
            (bool x, bool y) => x.CompareTo(y),
            (CelBytes x, CelBytes y) => Math.Sign(x.Value.AsSpan().SequenceCompareTo(y.Value)),
            (TimeSpan x, TimeSpan y) => x.CompareTo(y),
            (DateTimeOffset x, DateTimeOffset y) => x.CompareTo(y),
            _ => null,
        };
    }

    /// <summary>What <see cref="Compare"/> gives when a NaN is involved: every relation is false.</summary>
    public const int Unordered = 2;

    public static bool IsNumber(object value) => value is long or ulong or double;

    /// <summary>Orders numbers of any two CEL numeric types exactly (no precision loss across int and uint).</summary>
    private static int CompareNumbers(object a, object b)
    {
        switch (a, b)
        {
            case (long x, long y):
                return x.CompareTo(y);
            case (ulong x, ulong y):
                return x.CompareTo(y);
            case (long x, ulong y):
                return x < 0 ? -1 : ((ulong)x).CompareTo(y);
            case (ulong x, long y):
                return y < 0 ? 1 : x.CompareTo((ulong)y);
        }

        var dx = ToDouble(a);
        var dy = ToDouble(b);
        if (double.IsNaN(dx) || double.IsNaN(dy))
        {
            return Unordered;
        }

        return dx.CompareTo(dy);
    }

    private static double ToDouble(object value) => value switch
    {
        long l => l,
        ulong u => u,
        _ => (double)value,
    };
}
