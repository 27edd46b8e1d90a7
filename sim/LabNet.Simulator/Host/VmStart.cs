namespace LabNet.Simulator.Host;

/// <summary>What powering a VM on did (<see cref="MacHost.Start"/>); <paramref name="Run"/> is the new run when it started.</summary>
public sealed record VmStart(VmStartOutcome Outcome, VmRun? Run);

public enum VmStartOutcome
{
    Started,

    /// <summary>Started after its MAC was replaced: another running VM had it.</summary>
    StartedWithNewMac,

    AlreadyRunning,

    /// <summary>Virtualization.framework cannot back the guest's memory.</summary>
    OutOfMemory,
}
