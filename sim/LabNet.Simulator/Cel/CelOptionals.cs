namespace LabNet.Simulator.Cel;

/// <summary>cel-go's optional types, which Kubernetes enables: <c>optional.of</c>, <c>optional.none</c>, <c>hasValue</c>, <c>value</c>, <c>orValue</c>, <c>or</c>.</summary>
public sealed class CelOptionals : ICelLibrary
{
    public IReadOnlySet<string> GlobalFunctions { get; } = new HashSet<string> { "optional.of", "optional.none", "optional.ofNonZeroValue" };

    public object? Invoke(string function, object? target, object[] args)
    {
        if (target is null)
        {
            return (function, args.Length) switch
            {
                ("optional.of", 1) => new CelOptional(args[0]),
                ("optional.none", 0) => CelOptional.None,
                ("optional.ofNonZeroValue", 1) => IsZero(args[0]) ? CelOptional.None : new CelOptional(args[0]),
                _ => null,
            };
        }

        if (target is not CelOptional optional)
        {
            return null;
        }

        return (function, args.Length) switch
        {
            ("hasValue", 0) => optional.HasValue,
            ("value", 0) => optional.HasValue ? optional.Value! : new CelError("optional.none() dereference"),
            ("orValue", 1) => optional.HasValue ? optional.Value! : args[0],
            ("or", 1) when args[0] is CelOptional other => optional.HasValue ? optional : other,
            _ => null,
        };
    }

    private static bool IsZero(object value) => value switch
    {
        long l => l == 0,
        ulong u => u == 0,
        double d => d == 0,
        bool b => !b,
        string s => s.Length == 0,
        CelBytes b => b.Value.Length == 0,
        CelList l => l.Count == 0,
        CelMap m => m.Count == 0,
        CelNull => true,
        TimeSpan d => d == TimeSpan.Zero,
        _ => false,
    };
}
