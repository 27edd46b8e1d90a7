using LabNet.Simulator.Guest.Shell;

namespace LabNet.Simulator.Guest;

/// <summary>One run of a guest program: its name and arguments, stdin, stdout/stderr, and the shell it runs in.</summary>
public sealed class CommandCall(string name, IReadOnlyList<string> args, string stdin, TextWriter stdout, TextWriter stderr, ShellSession shell)
{
    public string Name { get; } = name;

    public IReadOnlyList<string> Args { get; } = args;

    public string Stdin { get; } = stdin;

    public TextWriter Out { get; } = stdout;

    public TextWriter Error { get; } = stderr;

    public ShellSession Shell { get; } = shell;

    public GuestOs Guest => Shell.Guest;

    public bool IsRoot => Shell.IsRoot;

    public CancellationToken Cancellation => Shell.Cancellation;

    /// <summary>An absolute guest path for an argument, relative to the shell's working directory.</summary>
    public string PathOf(string path) => GuestOs.Normalize(path.StartsWith('/') ? path : Shell.WorkingDirectory + "/" + path);

    /// <summary>The usual "Permission denied" of a program run by a user who is not root.</summary>
    public int Fail(string message, int exitCode = 1)
    {
        Error.WriteLine(message);
        return exitCode;
    }

    public Task Elapse(TimeSpan modeled) => Shell.Clock.Elapse(modeled, Cancellation);
}
