namespace LabNet.Simulator.Tart;

/// <summary>As <c>tart list</c> prints it.</summary>
public enum VmState
{
    Stopped,
    Running,
}
