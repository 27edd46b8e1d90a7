namespace LabNet.Simulator.Shell;

/// <summary>
/// The machine a shell runs on, as far as the shell and its programs see it: a VM guest (reached by ssh) or a
/// container (reached by <c>kubectl exec</c> and <c>kubectl run</c>). The shell's grammar, builtins, expansions and exit
/// codes are the same everywhere; what differs is here.
/// </summary>
public interface IShellHost
{
    /// <summary>What <c>$$</c> is in a shell started here.</summary>
    int ProcessId { get; }

    /// <summary>The variables a shell (or program) started here begins with: HOME, PATH, the container's env...</summary>
    IReadOnlyDictionary<string, string> Environment { get; }

    /// <summary>Where a shell started here begins (the login's home, the container's working directory).</summary>
    string WorkingDirectory { get; }

    /// <summary>The machine's name, as <c>hostname</c> prints it.</summary>
    string Hostname { get; }

    /// <summary>The machine's address on its network (<c>hostname -i</c>), null while it has none.</summary>
    string? Address { get; }

    /// <summary>The machine's programs are BusyBox applets (Alpine, busybox, curl images): some errors read differently from GNU's.</summary>
    bool BusyBox { get; }

    /// <summary>Whether the process has a terminal (curl then draws no progress meter).</summary>
    bool Terminal { get; }

    IShellFileSystem Files { get; }

    /// <summary>Ends every program of this machine's session: the caller went away, the VM stopped, the pod is gone.</summary>
    CancellationToken Cancellation { get; }

    /// <summary>How the shell program <paramref name="name"/> (bash, sh, ash, dash) words its errors here; null when there is no such shell.</summary>
    ShellDialect? Shell(string name);

    /// <summary>Whether a program of that name is installed here (<c>command -v</c>, <c>sudo</c>'s lookup).</summary>
    bool HasProgram(string name);

    /// <summary>Runs an installed program; null when there is none of that name (the shell then says "not found", 127).</summary>
    Task<int?> RunProgramAsync(ProgramCall call);

    /// <summary>
    /// Lets modeled time pass for a program (a sleep, a download); a network wait (<paramref name="networkWait"/>) may
    /// be cut short in wall time where the twin caps it.
    /// </summary>
    Task Elapse(TimeSpan modeled, bool networkWait);
}
