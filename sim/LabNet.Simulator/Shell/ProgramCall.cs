namespace LabNet.Simulator.Shell;

/// <summary>
/// One run of a program: its name (without the directory it was found in), arguments, stdin, stdout and stderr, its
/// environment and working directory, and the machine it runs on.
/// </summary>
public sealed class ProgramCall(
    string name,
    IReadOnlyList<string> args,
    string stdin,
    TextWriter stdout,
    TextWriter stderr,
    IReadOnlyDictionary<string, string> environment,
    string workingDirectory,
    IShellHost host)
{
    public string Name { get; } = ShellPaths.FileName(name);

    public IReadOnlyList<string> Args { get; } = args;

    public string Stdin { get; } = stdin;

    public TextWriter Out { get; } = stdout;

    public TextWriter Error { get; } = stderr;

    public IReadOnlyDictionary<string, string> Environment { get; } = environment;

    public string WorkingDirectory { get; } = workingDirectory;

    public IShellHost Host { get; } = host;

    public IShellFileSystem Files => Host.Files;

    public CancellationToken Cancellation => Host.Cancellation;

    /// <summary>An absolute path for an argument, relative to the working directory.</summary>
    public string PathOf(string path) => ShellPaths.Resolve(WorkingDirectory, path);

    /// <summary>Writes an error line and returns the exit status to end with.</summary>
    public int Fail(string message, int exitCode = 1)
    {
        Error.WriteLine(message);
        return exitCode;
    }

    /// <summary>Lets modeled time pass (see <see cref="IShellHost.Elapse"/>).</summary>
    public Task Elapse(TimeSpan modeled, bool networkWait = false) => Host.Elapse(modeled, networkWait);
}

/// <summary>A program that runs the same on every machine of the lab (coreutils, grep, sed...).</summary>
public interface IShellProgram
{
    /// <summary>The names it answers to (e.g. <c>env</c> and <c>printenv</c>).</summary>
    IReadOnlyList<string> Names { get; }

    Task<int> RunAsync(ProgramCall call);
}
