namespace LabNet.Simulator.Guest;

/// <summary>Every guest program the twin knows, by name. Whether a guest has it installed is the guest's business.</summary>
public sealed class GuestCommandRegistry(IEnumerable<IGuestCommand> commands)
{
    private readonly Dictionary<string, IGuestCommand> _byName = commands
        .SelectMany(c => c.Names.Select(n => (Name: n, Command: c)))
        .ToDictionary(x => x.Name, x => x.Command, StringComparer.Ordinal);

    public IGuestCommand? Find(string name) => _byName.GetValueOrDefault(name);
}
