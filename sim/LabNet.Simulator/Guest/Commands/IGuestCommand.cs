namespace LabNet.Simulator.Guest.Commands;

/// <summary>A program only the VM guests have (apt-get, systemctl, kubeadm...); the shared ones are <see cref="Shell.IShellProgram"/>s.</summary>
public interface IGuestCommand
{
    /// <summary>The names it answers to (e.g. <c>apt-get</c> and <c>apt</c>).</summary>
    IReadOnlyList<string> Names { get; }

    Task<int> RunAsync(CommandCall call);
}
