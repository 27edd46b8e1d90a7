namespace LabNet.Simulator.Tests.LabWorld;

/// <summary>What a tool printed and how it exited.</summary>
public sealed record ToolResult(string Stdout, string Stderr, int ExitCode)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
}
