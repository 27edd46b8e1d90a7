namespace LabNet.Provisioner.Tools;

/// <summary>What a tool run produced. Output is already redacted of the invocation's secrets.</summary>
public sealed record ToolResult(int ExitCode, string StandardOutput, string StandardError, TimeSpan Duration)
{
    public bool Succeeded => ExitCode == 0;

    /// <summary>The tool's own words for a failure: the last non-empty lines of stderr, else of stdout.</summary>
    public string ErrorSummary
    {
        get
        {
            var source = string.IsNullOrWhiteSpace(StandardError) ? StandardOutput : StandardError;
            var lines = source.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            return lines.Length == 0 ? $"exit code {ExitCode} with no output" : string.Join(" | ", lines.TakeLast(6));
        }
    }
}
