using LabNet.Simulator.Host;
using LabNet.Simulator.Shell;

namespace LabNet.Simulator.Guest.Commands;

/// <summary>
/// A VM guest as a shell sees it, logged in as the cirruslabs image's user (or as root, under sudo): bash (and dash as
/// <c>sh</c>), the guest's installed programs, its disk with that user's permissions, the modeled clock.
/// </summary>
public sealed class GuestShellHost : IShellHost
{
    private static readonly ShellDialect Dash = new("sh", ShellFlavor.Dash);
    private readonly GuestPrograms _programs;

    public GuestShellHost(TartVm vm, MacHost mac, GuestPrograms programs, bool isRoot, CancellationToken cancellation)
    {
        Vm = vm;
        Mac = mac;
        _programs = programs;
        IsRoot = isRoot;
        Cancellation = cancellation;
        Files = new GuestFiles(vm.Guest, isRoot);
        var user = isRoot ? "root" : mac.Options.GuestUser;
        WorkingDirectory = isRoot ? "/root" : GuestOs.AdminHome;
        Environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["HOME"] = WorkingDirectory,
            ["USER"] = user,
            ["LOGNAME"] = user,
            ["PATH"] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            ["SHELL"] = "/bin/bash",
            ["IFS"] = " \t\n",
        };
    }

    public TartVm Vm { get; }

    public MacHost Mac { get; }

    public bool IsRoot { get; }

    /// <summary>An ssh session's login shell: a process of the running guest, never PID 1.</summary>
    public int ProcessId => 4242;

    public IReadOnlyDictionary<string, string> Environment { get; }

    public string WorkingDirectory { get; }

    public string Hostname => Vm.Guest.Hostname;

    public string? Address => Vm.Address;

    public bool BusyBox => false;

    /// <summary>ssh runs commands without a terminal (no <c>-t</c>).</summary>
    public bool Terminal => false;

    public IShellFileSystem Files { get; }

    public CancellationToken Cancellation { get; }

    /// <summary>The same guest as root (passwordless sudo, as the cirruslabs images have it).</summary>
    public GuestShellHost AsRoot() => new(Vm, Mac, _programs, isRoot: true, Cancellation);

    public ShellDialect? Shell(string name) => name switch
    {
        "bash" => ShellDialect.Bash,
        "sh" => Dash,
        _ => null,
    };

    public bool HasProgram(string name) => _programs.Knows(name) && Vm.Guest.HasCommand(name);

    public async Task<int?> RunProgramAsync(ProgramCall call) =>
        HasProgram(call.Name) ? await _programs.RunAsync(call, this) : null;

    public Task Elapse(TimeSpan modeled, bool networkWait) => Mac.Clock.Elapse(modeled, Cancellation);
}
