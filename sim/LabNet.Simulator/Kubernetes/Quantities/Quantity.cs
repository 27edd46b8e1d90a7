using System.Globalization;
using System.Text.RegularExpressions;

namespace LabNet.Simulator.Kubernetes.Quantities;

/// <summary>How a quantity is written back: <c>1536Mi</c>, <c>1500m</c> or <c>15e2</c>.</summary>
public enum QuantityFormat
{
    DecimalSI,
    BinarySI,
    DecimalExponent,
}

/// <summary>
/// A Kubernetes resource quantity (<c>k8s.io/apimachinery/pkg/api/resource.Quantity</c>): parsed as the API server
/// parses it (values round up to the nano), compared by value, and printed in its canonical form (no fractional
/// digits, the largest exponent that loses nothing; a binary quantity that is not a whole number prints as decimal).
/// </summary>
public readonly partial record struct Quantity(decimal Value, QuantityFormat Format) : IComparable<Quantity>
{
    private static readonly (string Suffix, int Exponent)[] DecimalSuffixes =
        [("n", -9), ("u", -6), ("m", -3), ("", 0), ("k", 3), ("M", 6), ("G", 9), ("T", 12), ("P", 15), ("E", 18)];

    private static readonly (string Suffix, int Power)[] BinarySuffixes =
        [("Ki", 10), ("Mi", 20), ("Gi", 30), ("Ti", 40), ("Pi", 50), ("Ei", 60)];

    [GeneratedRegex(@"^([+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?[0-9]+)?$")]
    private static partial Regex Syntax();

    public static Quantity Zero { get; } = new(0, QuantityFormat.DecimalSI);

    public static Quantity Parse(string text) =>
        TryParse(text, out var quantity) ? quantity : throw new FormatException("quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");

    public static bool TryParse(string? text, out Quantity quantity)
    {
        quantity = Zero;
        var match = text is null ? null : Syntax().Match(text);
        if (match is not { Success: true })
        {
            return false;
        }

        if (!decimal.TryParse(match.Groups[1].Value, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
        {
            return false;
        }

        var suffix = match.Groups[2].Value;
        try
        {
            decimal value;
            QuantityFormat format;
            if (suffix.Length > 1 && suffix[0] is 'e' or 'E')
            {
                if (!int.TryParse(suffix[1..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var exponent) || Math.Abs(exponent) > 30)
                {
                    return false;
                }

                value = number * Power10(exponent);
                format = QuantityFormat.DecimalExponent;
            }
            else if (Array.FindIndex(BinarySuffixes, s => s.Suffix == suffix) is var binary and >= 0)
            {
                value = number * (decimal)Math.Pow(2, BinarySuffixes[binary].Power);
                format = QuantityFormat.BinarySI;
            }
            else
            {
                value = number * Power10(Array.Find(DecimalSuffixes, s => s.Suffix == suffix).Exponent);
                format = QuantityFormat.DecimalSI;
            }

            quantity = new Quantity(RoundUpToNano(value), format);
            return true;
        }
        catch (OverflowException)
        {
            return false;
        }
    }

    public static Quantity FromMilli(long milli, QuantityFormat format = QuantityFormat.DecimalSI) => new(milli / 1000m, format);

    public static Quantity FromNano(long nano) => new(nano / 1_000_000_000m, QuantityFormat.DecimalSI);

    public static Quantity FromBytes(long bytes) => new(bytes, QuantityFormat.BinarySI);

    /// <summary>The value in thousandths, rounded up (what <c>MilliValue()</c> gives: CPU in millicores).</summary>
    public long MilliValue => (long)decimal.Ceiling(Value * 1000);

    /// <summary>The value rounded up to a whole number (what <c>Value()</c> gives: memory in bytes).</summary>
    public long WholeValue => (long)decimal.Ceiling(Value);

    public int Sign => Math.Sign(Value);

    public bool IsInteger => decimal.Truncate(Value) == Value;

    public Quantity Add(Quantity other) => this with { Value = Value + other.Value };

    public Quantity Subtract(Quantity other) => this with { Value = Value - other.Value };

    public int CompareTo(Quantity other) => Value.CompareTo(other.Value);

    /// <summary>Quantities are equal when their values are, whatever their format (<c>1Gi</c> equals <c>1024Mi</c>).</summary>
    public bool Equals(Quantity other) => Value == other.Value;

    public override int GetHashCode() => Value.GetHashCode();

    public override string ToString()
    {
        if (Value == 0)
        {
            return "0";
        }

        var format = Format;
        if (format == QuantityFormat.BinarySI && (Math.Abs(Value) < 1024 || !IsInteger))
        {
            format = QuantityFormat.DecimalSI;
        }

        if (format == QuantityFormat.BinarySI)
        {
            var mantissa = Value;
            var power = 0;
            while (power < 60 && mantissa % 1024 == 0)
            {
                mantissa /= 1024;
                power += 10;
            }

            return mantissa.ToString("0", CultureInfo.InvariantCulture) + (power == 0 ? "" : Array.Find(BinarySuffixes, s => s.Power == power).Suffix);
        }

        var (digits, exponent) = Canonical(Value);
        return digits + (format == QuantityFormat.DecimalExponent
            ? exponent == 0 ? "" : "e" + exponent.ToString(CultureInfo.InvariantCulture)
            : Array.Find(DecimalSuffixes, s => s.Exponent == exponent).Suffix);
    }

    /// <summary>An integer mantissa and the largest exponent (a multiple of 3, from -9 to 18) that represents the value exactly.</summary>
    private static (string Mantissa, int Exponent) Canonical(decimal value)
    {
        var exponent = -9;
        var mantissa = value * 1_000_000_000m;
        while (exponent < 18 && mantissa % 1000 == 0)
        {
            mantissa /= 1000;
            exponent += 3;
        }

        return (decimal.Truncate(mantissa).ToString("0", CultureInfo.InvariantCulture), exponent);
    }

    private static decimal RoundUpToNano(decimal value)
    {
        var scaled = value * 1_000_000_000m;
        var rounded = value >= 0 ? decimal.Ceiling(scaled) : decimal.Floor(scaled);
        return rounded / 1_000_000_000m;
    }

    private static decimal Power10(int exponent)
    {
        var result = 1m;
        for (var i = 0; i < Math.Abs(exponent); i++)
        {
            result = exponent > 0 ? result * 10 : result / 10;
        }

        return result;
    }
}
