using System.Globalization;
using LabNet.Simulator.Cel;

namespace LabNet.Simulator.Tests.Cel;

/// <summary>Evaluates an expression and prints the result in one line, so expected values read like CEL.</summary>
internal static class CelRendering
{
    public static string Eval(string expression, IReadOnlyDictionary<string, object>? variables = null) =>
        Render(CelProgram.Compile(expression).Evaluate(variables ?? new Dictionary<string, object>()));

    public static string Render(object value) => value switch
    {
        CelError e => "error: " + e.Message,
        long l => l.ToString(CultureInfo.InvariantCulture),
        ulong u => u.ToString(CultureInfo.InvariantCulture) + "u",
        double d => CelConversions.FormatDouble(d) is var s && (s.Contains('.') || s.Contains('e') || s.Contains("Inf") || s == "NaN") ? s : s + ".0",
        bool b => b ? "true" : "false",
        string s => $"'{s}'",
        CelNull => "null",
        CelList list => "[" + string.Join(", ", list.Select(Render)) + "]",
        CelMap map => "{" + string.Join(", ", map.Select(e => $"{Render(e.Key)}: {Render(e.Value)}")) + "}",
        CelOptional o => o.HasValue ? $"optional.of({Render(o.Value!)})" : "optional.none()",
        TimeSpan or DateTimeOffset => (string)CelConversions.ToCelString(value),
        _ => value.ToString() ?? "",
    };
}
