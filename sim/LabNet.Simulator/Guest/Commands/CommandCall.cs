using LabNet.Simulator.Clock;
using LabNet.Simulator.Host;
using LabNet.Simulator.Shell;

namespace LabNet.Simulator.Guest.Commands;

/// <summary>One run of a program that only a VM guest has (apt-get, systemctl, kubeadm...): the call, and the VM it runs in.</summary>
public sealed class CommandCall(ProgramCall program, GuestShellHost host)
{
    public ProgramCall Program { get; } = program;

    public string Name => Program.Name;

    public IReadOnlyList<string> Args => Program.Args;

    public string Stdin => Program.Stdin;

    public TextWriter Out => Program.Out;

    public TextWriter Error => Program.Error;

    public IReadOnlyDictionary<string, string> Environment => Program.Environment;

    /// <summary>The shell host the program runs on (the guest, as this user).</summary>
    public GuestShellHost Host { get; } = host;

    public TartVm Vm => Host.Vm;

    public GuestOs Guest => Host.Vm.Guest;

    /// <summary>The Mac the VM runs on (its other VMs, faults, durations, random source).</summary>
    public MacHost Mac => Host.Mac;

    public SimulationClock Clock => Mac.Clock;

    public ModeledDurations Durations => Mac.Durations;

    public bool IsRoot => Host.IsRoot;

    public CancellationToken Cancellation => Program.Cancellation;

    /// <summary>An absolute guest path for an argument, relative to the working directory.</summary>
    public string PathOf(string path) => Program.PathOf(path);

    public bool CanRead(string path) => Host.Files.CanRead(path);

    public bool CanWrite(string path) => Host.Files.CanWrite(path);

    /// <summary>Writes an error line and returns the exit status to end with.</summary>
    public int Fail(string message, int exitCode = 1) => Program.Fail(message, exitCode);

    public Task Elapse(TimeSpan modeled) => Clock.Elapse(modeled, Cancellation);
}
