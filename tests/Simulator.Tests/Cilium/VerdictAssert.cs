using LabNet.Simulator.Cilium.Engine;

namespace LabNet.Simulator.Tests.Cilium;

internal static class VerdictAssert
{
    public static void Forwarded(ConnectionVerdict verdict)
    {
        Assert.True(verdict.IsForwarded,
            $"expected FORWARDED, got DROPPED at {verdict.Direction} ({verdict.DropReason}) for {verdict.Source} -> {verdict.Destination}:{verdict.DestinationPort}");
        Assert.Equal(DropReason.DropReasonUnknown, verdict.DropReason);
    }

    public static void Dropped(ConnectionVerdict verdict, TrafficDirection direction, DropReason reason = DropReason.PolicyDenied)
    {
        Assert.False(verdict.IsForwarded, $"expected DROPPED at {direction}, got FORWARDED for {verdict.Source} -> {verdict.Destination}:{verdict.DestinationPort}");
        Assert.Equal(FlowVerdict.Dropped, verdict.Verdict);
        Assert.Equal(direction, verdict.Direction);
        Assert.Equal(reason, verdict.DropReason);
    }
}
