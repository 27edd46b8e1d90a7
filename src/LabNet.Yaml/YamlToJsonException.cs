namespace LabNet.Yaml;

/// <summary>YAML that cannot be read, or holds a value JSON cannot; <see cref="Line"/> and <see cref="Column"/> are 1-based.</summary>
public sealed class YamlToJsonException(string problem, int line, int column, Exception? inner = null)
    : FormatException($"line {line}, column {column}: {problem}", inner)
{
    /// <summary>What is wrong, without the position (e.g. <c>json: unsupported value: +Inf</c>).</summary>
    public string Problem { get; } = problem;

    public int Line { get; } = line;

    public int Column { get; } = column;
}
