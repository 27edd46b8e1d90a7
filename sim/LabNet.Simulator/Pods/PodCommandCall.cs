using LabNet.Simulator.Shell;

namespace LabNet.Simulator.Pods;

/// <summary>One run of a program that only containers have (cilium-dbg, nslookup...): the call, and the container it runs in.</summary>
public sealed class PodCommandCall(ProgramCall program, PodProcess process)
{
    public ProgramCall Program { get; } = program;

    public PodProcess Process { get; } = process;

    public string Name => Program.Name;

    public IReadOnlyList<string> Args => Program.Args;

    public string Stdin => Program.Stdin;

    public TextWriter Stdout => Program.Out;

    public TextWriter Stderr => Program.Error;

    public IReadOnlyDictionary<string, string> Environment => Program.Environment;

    public CancellationToken Cancellation => Program.Cancellation;

    /// <summary>Lets modeled time pass: a sleep in full, a network wait (<paramref name="capped"/>) at most the configured real wait.</summary>
    public Task Elapse(TimeSpan modeled, bool capped) => Program.Elapse(modeled, capped);
}

/// <summary>A program only containers have (the shared ones are <see cref="IShellProgram"/>s).</summary>
public interface IPodCommand
{
    /// <summary>The executable names it answers to (<c>cilium</c> and <c>cilium-dbg</c>).</summary>
    IReadOnlyList<string> Names { get; }

    Task<int> RunAsync(PodCommandCall call);
}
