namespace LabNet.Simulator.Hubble.Flows;

/// <summary>Cilium monitor message types (pkg/monitor/api/types.go) as Hubble's <c>event_type.type</c> carries them.</summary>
public static class HubbleEventTypes
{
    public const int Drop = 1;
    public const int Trace = 4;
    public const int PolicyVerdict = 5;
    public const int AccessLog = 129;

    /// <summary>Datapath trace observation points (event_type.sub_type of a trace; not the proto enum's numbers).</summary>
    public const int TraceToEndpoint = 0;
    public const int TraceToProxy = 1;
    public const int TraceToStack = 3;
    public const int TraceFromNetwork = 10;
}
