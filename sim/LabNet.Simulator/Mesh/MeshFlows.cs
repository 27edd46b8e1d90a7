using Google.Protobuf.WellKnownTypes;
using LabNet.Hubble.FlowApi;

namespace LabNet.Simulator.Mesh;

/// <summary>Adjusts the builder's flows of a connection that the server reset instead of closing.</summary>
public static class MeshFlows
{
    /// <summary>
    /// The handshake completed, then the server side answered the request with RST: the client's FIN never happens and
    /// the server's FIN becomes RST.
    /// </summary>
    public static void EndWithReset(List<Flow> flows)
    {
        for (var i = flows.Count - 1; i >= 0; i--)
        {
            var tcp = flows[i].L4?.TCP;
            if (tcp?.Flags is not { FIN: true } flags || flows[i].Type != FlowType.L3L4)
            {
                continue;
            }

            if (flows[i].IsReply == true)
            {
                flags.FIN = false;
                flags.ACK = false;
                flags.RST = true;
#pragma warning disable CS0612 // Hubble still fills the deprecated Summary.
                flows[i].Summary = "TCP Flags: RST";
#pragma warning restore CS0612
            }
            else
            {
                flows.RemoveAt(i);
            }
        }
    }

    /// <summary>Moves flows <paramref name="start"/>..<paramref name="end"/> (exclusive) by <paramref name="offset"/> in time.</summary>
    public static void Shift(List<Flow> flows, int start, int end, TimeSpan offset)
    {
        if (offset == TimeSpan.Zero)
        {
            return;
        }

        for (var i = start; i < end; i++)
        {
            flows[i].Time = Timestamp.FromDateTimeOffset(flows[i].Time.ToDateTimeOffset() + offset);
        }
    }
}
