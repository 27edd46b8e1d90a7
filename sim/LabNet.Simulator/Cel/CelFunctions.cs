using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using System.Text;
using LabNet.Simulator.Kubernetes.Quantities;

namespace LabNet.Simulator.Cel;

/// <summary>
/// CEL's standard functions and operators (cel-spec's langdef), with cel-go's error messages, plus the function
/// libraries an environment adds (Kubernetes: lists, sets, strings, regex, url, quantity). Overloads are chosen by
/// the runtime types of the arguments, as cel-go does for dynamic values.
/// </summary>
public sealed class CelFunctions
{
    private readonly ICelLibrary[] _libraries;
    private static readonly ConcurrentDictionary<string, Regex> Regexes = new();

    public CelFunctions(params ICelLibrary[] libraries) => _libraries = libraries;

    /// <summary>CEL's standard definitions and every library Kubernetes adds for CRD validation rules.</summary>
    public static CelFunctions Kubernetes { get; } = new(
        new KubernetesLists(), new KubernetesSets(), new KubernetesStrings(), new KubernetesRegex(), new KubernetesUrls(), new KubernetesQuantity(), new CelOptionals());

    public bool IsGlobal(string qualifiedName) => _libraries.Any(l => l.GlobalFunctions.Contains(qualifiedName));

    public object Invoke(string function, object? target, object[] args)
    {
        if (Standard(function, target, args) is { } result)
        {
            return result;
        }

        foreach (var library in _libraries)
        {
            if (library.Invoke(function, target, args) is { } fromLibrary)
            {
                return fromLibrary;
            }
        }

        return CelError.NoMatchingOverload(function);
    }

    private static object? Standard(string function, object? target, object[] args)
    {
        if (target is null)
        {
            switch (function, args.Length)
            {
                case ("_+_", 2): return Add(args[0], args[1]);
                case ("_-_", 2): return Subtract(args[0], args[1]);
                case ("_*_", 2): return Multiply(args[0], args[1]);
                case ("_/_", 2): return Divide(args[0], args[1]);
                case ("_%_", 2): return Modulo(args[0], args[1]);
                case ("-_", 1): return Negate(args[0]);
                case ("!_", 1): return args[0] is bool value ? !value : CelError.NoMatchingOverload("!_");
                case ("_==_", 2): return CelEquality.AreEqual(args[0], args[1]);
                case ("_!=_", 2): return !CelEquality.AreEqual(args[0], args[1]);
                case ("_<_", 2): return Relation(args[0], args[1], "_<_", c => c < 0);
                case ("_<=_", 2): return Relation(args[0], args[1], "_<=_", c => c <= 0);
                case ("_>_", 2): return Relation(args[0], args[1], "_>_", c => c > 0);
                case ("_>=_", 2): return Relation(args[0], args[1], "_>=_", c => c >= 0);
                case ("@in", 2): return In(args[0], args[1]);
                case ("_[_]", 2): return Index(args[0], args[1]);
                case ("_[?_]", 2): return OptionalIndex(args[0], args[1]);
                case ("size", 1): return Size(args[0]);
                case ("matches", 2): return Matches(args[0], args[1]);
                case ("type", 1): return TypeOf(args[0]);
                case ("dyn", 1): return args[0];
                case ("int", 1): return CelConversions.ToInt(args[0]);
                case ("uint", 1): return CelConversions.ToUint(args[0]);
                case ("double", 1): return CelConversions.ToDouble(args[0]);
                case ("string", 1): return CelConversions.ToCelString(args[0]);
                case ("bytes", 1): return args[0] switch { CelBytes bytes => bytes, string s => new CelBytes(Encoding.UTF8.GetBytes(s)), _ => null };
                case ("bool", 1): return CelConversions.ToBool(args[0]);
                case ("duration", 1): return args[0] switch { TimeSpan d => d, string s => CelConversions.ParseDuration(s), _ => null };
                case ("timestamp", 1): return CelConversions.ToTimestamp(args[0]);
            }

            return null;
        }

        switch (function, target, args.Length)
        {
            case ("size", _, 0): return Size(target);
            case ("contains", string s, 1) when args[0] is string sub: return s.Contains(sub, StringComparison.Ordinal);
            case ("startsWith", string s, 1) when args[0] is string prefix: return s.StartsWith(prefix, StringComparison.Ordinal);
            case ("endsWith", string s, 1) when args[0] is string suffix: return s.EndsWith(suffix, StringComparison.Ordinal);
            case ("matches", string, 1): return Matches(target, args[0]);
            case (_, DateTimeOffset t, 0 or 1): return CelConversions.TimestampAccessor(function, t, args);
            case (_, TimeSpan d, 0): return CelConversions.DurationAccessor(function, d);
        }

        return null;
    }

    public static CelType TypeOf(object value) => value switch
    {
        long => CelType.Int,
        ulong => CelType.Uint,
        double => CelType.Double,
        bool => CelType.Bool,
        string => CelType.String,
        CelBytes => CelType.Bytes,
        CelNull => CelType.Null,
        CelList => CelType.List,
        CelMap => CelType.Map,
        CelType => CelType.Type,
        TimeSpan => CelType.Duration,
        DateTimeOffset => CelType.Timestamp,
        CelOptional => CelType.Optional,
        ICelObject o => o.Type,
        _ => new CelType(value.GetType().Name),
    };

    /// <summary>A value as cel-go prints it in messages (strings quoted).</summary>
    public static string Format(object value) => value switch
    {
        string s => $"\"{s}\"",
        _ => CelConversions.ToCelString(value) as string ?? value.ToString() ?? "",
    };

    internal static Regex CompileRegex(string pattern) =>
        Regexes.GetOrAdd(pattern, p => new Regex(p, RegexOptions.CultureInvariant | RegexOptions.NonBacktracking));

    private static object Matches(object value, object pattern)
    {
        if (value is not string s || pattern is not string p)
        {
            return CelError.NoMatchingOverload("matches");
        }

        try
        {
            return CompileRegex(p).IsMatch(s);
        }
        catch (ArgumentException e)
        {
            return new CelError($"error parsing regexp: {e.Message}");
        }
    }

    private static object Size(object value) => value switch
    {
        string s => (long)s.EnumerateRunes().Count(),
        CelBytes b => (long)b.Value.Length,
        CelList l => (long)l.Count,
        CelMap m => (long)m.Count,
        _ => CelError.NoMatchingOverload("size"),
    };

    private static object Relation(object a, object b, string name, Func<int, bool> holds) =>
        CelEquality.Compare(a, b) switch
        {
            null => CelError.NoMatchingOverload(name),
            CelEquality.Unordered => false,
            var c => holds(c.Value),
        };

    private static object In(object element, object container) => container switch
    {
        CelList list => list.Any(item => CelEquality.AreEqual(item, element)),
        CelMap map => map.ContainsKey(element),
        _ => CelError.NoMatchingOverload("@in"),
    };

    private static object Index(object container, object index)
    {
        switch (container)
        {
            case CelList list:
                long i;
                switch (index)
                {
                    case long l:
                        i = l;
                        break;
                    case ulong u when u <= long.MaxValue:
                        i = (long)u;
                        break;
                    case double d when Math.Floor(d) == d && d >= long.MinValue && d <= long.MaxValue:
                        i = (long)d;
                        break;
                    default:
                        return index is double ? new CelError($"unsupported index value {CelConversions.ToCelString(index)} in list") : CelError.NoMatchingOverload("_[_]");
                }

                return i >= 0 && i < list.Count ? list[(int)i] : new CelError($"index out of bounds: {i}");
            case CelMap map:
                return map.TryGetValue(index, out var value) ? value : new CelError($"no such key: {CelConversions.ToCelString(index)}");
            case CelOptional optional:
                return !optional.HasValue ? CelOptional.None : OptionalIndex(optional.Value!, index);
            default:
                return CelError.NoMatchingOverload("_[_]");
        }
    }

    private static object OptionalIndex(object container, object index)
    {
        if (container is CelOptional optional)
        {
            return optional.HasValue ? OptionalIndex(optional.Value!, index) : CelOptional.None;
        }

        var value = Index(container, index);
        return value is CelError { Message: var m } && (m.StartsWith("no such key", StringComparison.Ordinal) || m.StartsWith("index out of bounds", StringComparison.Ordinal))
            ? CelOptional.None
            : value is CelError ? value : new CelOptional(value);
    }

    internal static object Add(object a, object b)
    {
        try
        {
            return (a, b) switch
            {
                (long x, long y) => checked(x + y),
                (ulong x, ulong y) => checked(x + y),
                (double x, double y) => x + y,
                (string x, string y) => x + y,
                (CelBytes x, CelBytes y) => new CelBytes([.. x.Value, .. y.Value]),
                (CelList x, CelList y) => new CelList([.. x, .. y]),
                (TimeSpan x, TimeSpan y) => x + y,
                (DateTimeOffset x, TimeSpan y) => x + y,
                (TimeSpan x, DateTimeOffset y) => y + x,
                _ => CelError.NoMatchingOverload("_+_"),
            };
        }
        catch (OverflowException)
        {
            return Overflow(a);
        }
    }

    private static object Subtract(object a, object b)
    {
        try
        {
            return (a, b) switch
            {
                (long x, long y) => checked(x - y),
                (ulong x, ulong y) => checked(x - y),
                (double x, double y) => x - y,
                (TimeSpan x, TimeSpan y) => x - y,
                (DateTimeOffset x, TimeSpan y) => x - y,
                (DateTimeOffset x, DateTimeOffset y) => x - y,
                _ => CelError.NoMatchingOverload("_-_"),
            };
        }
        catch (OverflowException)
        {
            return Overflow(a);
        }
    }

    private static object Multiply(object a, object b)
    {
        try
        {
            return (a, b) switch
            {
                (long x, long y) => checked(x * y),
                (ulong x, ulong y) => checked(x * y),
                (double x, double y) => x * y,
                _ => CelError.NoMatchingOverload("_*_"),
            };
        }
        catch (OverflowException)
        {
            return Overflow(a);
        }
    }

    private static object Divide(object a, object b) => (a, b) switch
    {
        (long, 0L) or (ulong, 0UL) => new CelError("division by zero"),
        (long x, -1L) when x == long.MinValue => new CelError("integer overflow"),
        (long x, long y) => x / y,
        (ulong x, ulong y) => x / y,
        (double x, double y) => x / y,
        _ => CelError.NoMatchingOverload("_/_"),
    };

    private static object Modulo(object a, object b) => (a, b) switch
    {
        (long, 0L) or (ulong, 0UL) => new CelError("modulus by zero"),
        (long x, -1L) when x == long.MinValue => new CelError("integer overflow"),
        (long x, long y) => x % y,
        (ulong x, ulong y) => x % y,
        _ => CelError.NoMatchingOverload("_%_"),
    };

    private static object Negate(object a) => a switch
    {
        long x when x == long.MinValue => new CelError("integer overflow"),
        long x => -x,
        double x => -x,
        TimeSpan x => -x,
        _ => CelError.NoMatchingOverload("-_"),
    };

    private static CelError Overflow(object operand) =>
        new(operand is ulong ? "unsigned integer overflow" : operand is TimeSpan or DateTimeOffset ? "timestamp overflow" : "integer overflow");
}

/// <summary>A set of functions an environment adds; <see cref="Invoke"/> returns null when no overload of the library applies.</summary>
public interface ICelLibrary
{
    /// <summary>Functions called by qualified name (<c>sets.contains</c>), which parse as a call on an identifier.</summary>
    IReadOnlySet<string> GlobalFunctions { get; }

    object? Invoke(string function, object? target, object[] args);
}

/// <summary>A library's own value type (a Kubernetes Quantity, a URL), with the type name <c>type()</c> reports.</summary>
public interface ICelObject
{
    CelType Type { get; }
}
