using LabNet.Simulator.Kubernetes.Quantities;
using LabNet.Simulator.Kubernetes;

namespace LabNet.Simulator.Cel;

/// <summary>
/// Kubernetes' quantity library: <c>quantity(s)</c>, <c>isQuantity(s)</c>, <c>sign</c>, <c>isInteger</c>,
/// <c>asInteger</c>, <c>asApproximateFloat</c>, <c>add</c>, <c>sub</c>, <c>isGreaterThan</c>, <c>isLessThan</c>,
/// <c>compareTo</c>. Two quantities are equal when their values are (<c>quantity('1Gi') == quantity('1024Mi')</c>).
/// </summary>
public sealed class KubernetesQuantity : ICelLibrary
{
    public IReadOnlySet<string> GlobalFunctions { get; } = new HashSet<string>();

    public object? Invoke(string function, object? target, object[] args)
    {
        if (target is null)
        {
            return (function, args) switch
            {
                ("quantity", [string s]) => Parse(s),
                ("isQuantity", [string s]) => Quantity.TryParse(s, out _),
                ("sign", [CelQuantity q]) => (long)q.Value.Sign,
                _ => null,
            };
        }

        if (target is not CelQuantity quantity)
        {
            return null;
        }

        var value = quantity.Value;
        return (function, args) switch
        {
            ("sign", []) => (long)value.Sign,
            ("isInteger", []) => AsInteger(value) is long,
            ("asInteger", []) => AsInteger(value) ?? (object)new CelError("cannot convert value to integer"),
            ("asApproximateFloat", []) => (double)value.Value,
            ("add", [CelQuantity other]) => new CelQuantity(value.Add(other.Value)),
            ("add", [long other]) => new CelQuantity(value.Add(new Quantity(other, QuantityFormat.DecimalExponent))),
            ("sub", [CelQuantity other]) => new CelQuantity(value.Subtract(other.Value)),
            ("sub", [long other]) => new CelQuantity(value.Subtract(new Quantity(other, QuantityFormat.DecimalExponent))),
            ("isGreaterThan", [CelQuantity other]) => value.CompareTo(other.Value) > 0,
            ("isLessThan", [CelQuantity other]) => value.CompareTo(other.Value) < 0,
            ("compareTo", [CelQuantity other]) => (long)Math.Sign(value.CompareTo(other.Value)),
            _ => null,
        };
    }

    private static object Parse(string s)
    {
        if (Quantity.TryParse(s, out var quantity))
        {
            return new CelQuantity(quantity);
        }

        return new CelError(System.Text.RegularExpressions.Regex.IsMatch(s, "^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$")
            ? "unable to parse quantity's suffix"
            : "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
    }

    private static long? AsInteger(Quantity q) =>
        q.IsInteger && q.Value >= long.MinValue && q.Value <= long.MaxValue ? (long)q.Value : null;
}

/// <summary>A Kubernetes resource quantity as a CEL value (<c>kubernetes.Quantity</c>).</summary>
public sealed record CelQuantity(Quantity Value) : ICelObject
{
    public CelType Type { get; } = new("kubernetes.Quantity");

    public override string ToString() => Value.ToString();
}
