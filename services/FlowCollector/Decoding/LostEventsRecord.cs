namespace LabNet.FlowCollector.Decoding;

/// <summary>A decoded <c>flow.LostEvent</c>: how many events Hubble lost, and where (LostEventSource number).</summary>
public readonly record struct LostEventsRecord(int Source, ulong Count);
