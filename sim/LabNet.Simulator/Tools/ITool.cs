namespace LabNet.Simulator.Tools;

/// <summary>A command-line tool the twin answers for (<c>tart</c>, <c>ssh</c>, <c>helm</c>).</summary>
public interface ITool
{
    /// <summary>The executable's name, as the shim is called.</summary>
    string Name { get; }

    /// <summary>Runs the tool and returns its exit code.</summary>
    /// <param name="callerGone">Fires when the caller's process went away (the shim was killed).</param>
    Task<int> RunAsync(ToolInvocation invocation, ToolOutput output, CancellationToken callerGone);
}
