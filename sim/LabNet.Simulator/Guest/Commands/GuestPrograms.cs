using LabNet.Simulator.Shell;

namespace LabNet.Simulator.Guest.Commands;

/// <summary>
/// Every program a VM guest can have, by name: the shared ones (coreutils, grep, sed...) and the guest's own. Whether a
/// guest has one installed is the guest's business (<see cref="GuestOs.HasCommand"/>).
/// </summary>
public sealed class GuestPrograms(IEnumerable<IShellProgram> shared, IEnumerable<IGuestCommand> own)
{
    private readonly Dictionary<string, IShellProgram> _shared = ByName(shared, p => p.Names);
    private readonly Dictionary<string, IGuestCommand> _own = ByName(own, c => c.Names);

    public bool Knows(string name) => _own.ContainsKey(name) || _shared.ContainsKey(name);

    /// <summary>Runs the program; null when the twin knows none of that name.</summary>
    public async Task<int?> RunAsync(ProgramCall call, GuestShellHost host) =>
        _own.TryGetValue(call.Name, out var command) ? await command.RunAsync(new CommandCall(call, host))
        : _shared.TryGetValue(call.Name, out var program) ? await program.RunAsync(call)
        : null;

    private static Dictionary<string, T> ByName<T>(IEnumerable<T> programs, Func<T, IReadOnlyList<string>> names) =>
        programs.SelectMany(p => names(p).Select(n => (Name: n, Program: p))).ToDictionary(x => x.Name, x => x.Program, StringComparer.Ordinal);
}
