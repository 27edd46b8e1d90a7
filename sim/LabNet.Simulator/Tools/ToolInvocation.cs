namespace LabNet.Simulator.Tools;

/// <summary>
/// One run of a tool as the shim saw it: argv (without the program name), the whole of stdin (empty when stdin was not
/// redirected), the environment variables the tool reads, and the caller's working directory (files named on the
/// command line, such as <c>--values</c> and <c>--kubeconfig</c>, are read relative to it: the simulator shares the
/// caller's disk because both run on the same host).
/// </summary>
public sealed record ToolInvocation(
    IReadOnlyList<string> Argv,
    string Stdin,
    IReadOnlyDictionary<string, string> Environment,
    string WorkingDirectory)
{
    public string? Env(string name) => Environment.TryGetValue(name, out var value) ? value : null;

    /// <summary>A path from the command line, resolved the way the caller's process would.</summary>
    public string ResolvePath(string path)
    {
        if (path.StartsWith("~/", StringComparison.Ordinal) && Env("HOME") is { } home)
        {
            path = Path.Combine(home, path[2..]);
        }

        return Path.IsPathRooted(path) ? path : Path.GetFullPath(Path.Combine(WorkingDirectory, path));
    }
}
