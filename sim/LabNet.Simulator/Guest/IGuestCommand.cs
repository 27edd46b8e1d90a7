namespace LabNet.Simulator.Guest;

/// <summary>A program installed in the guest (coreutils, apt-get, systemctl, kubeadm...).</summary>
public interface IGuestCommand
{
    /// <summary>The names it answers to (e.g. <c>apt-get</c> and <c>apt</c>).</summary>
    IReadOnlyList<string> Names { get; }

    Task<int> RunAsync(CommandCall call);
}
