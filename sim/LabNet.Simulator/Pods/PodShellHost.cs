using LabNet.Simulator.Shell;

namespace LabNet.Simulator.Pods;

/// <summary>
/// A container as a shell sees it: the image's shells (busybox ash, dash as <c>sh</c>, bash) and programs, the
/// container's environment and files, the pod's hostname and address, and modeled waits scaled by the clock.
/// </summary>
public sealed class PodShellHost : IShellHost
{
    private readonly PodPrograms _programs;

    public PodShellHost(PodProcess process, PodPrograms programs, int processId, CancellationToken cancellation)
    {
        Process = process;
        _programs = programs;
        ProcessId = processId;
        Cancellation = cancellation;
        Environment = PodCommandInterpreter.Environment(process);
        WorkingDirectory = process.ContainerSpec?["workingDir"]?.GetValue<string>() is { Length: > 0 } dir ? ShellPaths.Normalize(dir) : "/";
        Files = new ContainerFileSystem(process);
        if (WorkingDirectory != "/")
        {
            Files.CreateDirectory(WorkingDirectory);
        }
    }

    public PodProcess Process { get; }

    /// <summary>1 for the container's main process; an exec'd process gets a later PID.</summary>
    public int ProcessId { get; }

    public IReadOnlyDictionary<string, string> Environment { get; }

    public string WorkingDirectory { get; }

    public string Hostname => Process.Hostname;

    public string? Address => Process.PodIp;

    public bool BusyBox => Process.Image.Has("ash");

    public bool Terminal => Process.Tty;

    public IShellFileSystem Files { get; }

    public CancellationToken Cancellation { get; }

    public ShellDialect? Shell(string name)
    {
        if (!Process.Image.Has(name))
        {
            return null;
        }

        return name switch
        {
            "bash" => ShellDialect.Bash,
            "sh" or "ash" when BusyBox => new ShellDialect(name, ShellFlavor.Ash),
            "sh" or "dash" => new ShellDialect(name, ShellFlavor.Dash),
            _ => null,
        };
    }

    public bool HasProgram(string name) => Process.Image.Has(name);

    public async Task<int?> RunProgramAsync(ProgramCall call)
    {
        if (!Process.Image.Has(call.Name))
        {
            return null;
        }

        if (await _programs.RunAsync(call, this) is { } code)
        {
            return code;
        }

        // The image has the file, but the twin does not model what it does: say so rather than pretend.
        await call.Error.WriteLineAsync($"{call.Name}: this program is in the image but its behaviour is not modelled by the LabNet simulator");
        return 126;
    }

    public Task Elapse(TimeSpan modeled, bool networkWait) => Process.Services.Elapse(modeled, networkWait, Cancellation);
}
