using LabNet.Simulator.Shell;

namespace LabNet.Simulator.Pods;

/// <summary>
/// Every program the twin models inside containers, by name: the shared ones (coreutils, grep, curl...) and the
/// containers' own. Whether an image has one is the image's business (<see cref="ContainerImage.Has"/>).
/// </summary>
public sealed class PodPrograms(IEnumerable<IShellProgram> shared, IEnumerable<IPodCommand> own)
{
    private readonly Dictionary<string, IShellProgram> _shared = shared
        .SelectMany(p => p.Names.Select(n => (Name: n, Program: p))).ToDictionary(x => x.Name, x => x.Program, StringComparer.Ordinal);

    private readonly Dictionary<string, IPodCommand> _own = own
        .SelectMany(c => c.Names.Select(n => (Name: n, Command: c))).ToDictionary(x => x.Name, x => x.Command, StringComparer.Ordinal);

    /// <summary>Runs the program; null when the twin models none of that name.</summary>
    public async Task<int?> RunAsync(ProgramCall call, PodShellHost host) =>
        _own.TryGetValue(call.Name, out var command) ? await command.RunAsync(new PodCommandCall(call, host.Process))
        : _shared.TryGetValue(call.Name, out var program) ? await program.RunAsync(call)
        : null;
}
