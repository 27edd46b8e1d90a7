namespace LabNet.Simulator.Host;

/// <summary>As <c>tart list</c> prints it.</summary>
public enum VmState
{
    Stopped,
    Running,
}
