using LabNet.Provisioner.Tools;

namespace LabNet.Provisioner;

/// <summary>A tool run that failed in a way the caller did not expect; carries the tool's own words (secrets redacted).</summary>
public sealed class ToolFailedException(ToolInvocation invocation, ToolResult result)
    : Exception($"`{invocation.DisplayCommandLine}` failed with exit code {result.ExitCode}: {result.ErrorSummary}")
{
    public ToolResult Result { get; } = result;

    public string CommandLine { get; } = invocation.DisplayCommandLine;

    public static void ThrowIfFailed(ToolInvocation invocation, ToolResult result)
    {
        if (!result.Succeeded)
        {
            throw new ToolFailedException(invocation, result);
        }
    }
}
