namespace LabNet.Provisioner.Tools;

/// <summary>Runs command-line tools. The only way the Provisioner reaches tart, ssh and helm.</summary>
public interface IToolRunner
{
    /// <summary>Runs to completion and returns the exit code and output; a non-zero exit is a result, not an exception.</summary>
    Task<ToolResult> RunAsync(ToolInvocation invocation, CancellationToken cancellationToken);

    /// <summary>
    /// Starts a long-lived process (such as <c>tart run</c>, which stays in the foreground while the VM runs) and
    /// returns at once; the task completes when the process exits. Nothing here stops it: the process outlives a
    /// Provisioner restart, as a VM started with nohup does, and ends by its own protocol (<c>tart stop</c>).
    /// </summary>
    Task<ToolResult> StartAsync(ToolInvocation invocation);
}
