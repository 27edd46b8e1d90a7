namespace LabNet.Simulator.Faults;

/// <summary>An injected fault: which kind, which VM (null = any), how many more times it fires.</summary>
public sealed record Fault(FaultKind Kind, string? Vm, int Remaining);
