namespace LabNet.Provisioner.Tools;

public static class ToolRunnerExtensions
{
    /// <summary>Runs the tool and throws <see cref="ToolFailedException"/> (with the tool's own words) unless it exits 0.</summary>
    public static async Task<ToolResult> RunCheckedAsync(this IToolRunner runner, ToolInvocation invocation, CancellationToken cancellationToken)
    {
        var result = await runner.RunAsync(invocation, cancellationToken);
        ToolFailedException.ThrowIfFailed(invocation, result);
        return result;
    }
}
