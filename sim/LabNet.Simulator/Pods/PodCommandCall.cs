namespace LabNet.Simulator.Pods;

/// <summary>One command run inside a container: its argv, its streams, and modeled time.</summary>
public sealed class PodCommandCall(
    PodProcess process,
    IReadOnlyList<string> argv,
    string stdin,
    TextWriter stdout,
    TextWriter stderr,
    IDictionary<string, string> environment,
    CancellationToken cancellation)
{
    public PodProcess Process { get; } = process;

    /// <summary>argv[0] is the command name as given (e.g. <c>curl</c> or <c>/usr/bin/curl</c>).</summary>
    public IReadOnlyList<string> Argv { get; } = argv;

    public IReadOnlyList<string> Args => Argv.Skip(1).ToArray();

    public string Name => Argv[0][(Argv[0].LastIndexOf('/') + 1)..];

    public string Stdin { get; } = stdin;

    public TextWriter Stdout { get; } = stdout;

    public TextWriter Stderr { get; } = stderr;

    public IDictionary<string, string> Environment { get; } = environment;

    public CancellationToken Cancellation { get; } = cancellation;

    /// <summary>Lets modeled time pass: a sleep in full, a network wait (<paramref name="capped"/>) at most the configured real wait.</summary>
    public Task Elapse(TimeSpan modeled, bool capped) => Process.Services.Elapse(modeled, capped, Cancellation);
}

/// <summary>A program inside a container image.</summary>
public interface IPodCommand
{
    /// <summary>The executable names it answers to (<c>cilium</c> and <c>cilium-dbg</c>).</summary>
    IReadOnlyList<string> Names { get; }

    Task<int> RunAsync(PodCommandCall call);
}
