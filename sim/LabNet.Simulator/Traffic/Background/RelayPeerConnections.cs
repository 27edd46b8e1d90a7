using LabNet.Simulator.Cilium.Policy;

namespace LabNet.Simulator.Traffic.Background;

/// <summary>
/// hubble-relay's connections to the Hubble server of every node's agent (port 4244, in the host network): opened when
/// the relay pod and the agent are both up, then kept open for the relay's gRPC streams, so Hubble sees their handshake
/// once. A relay pod that is replaced, or an agent that comes back, opens them again.
/// </summary>
public static class RelayPeerConnections
{
    public const int HubblePort = 4244;

    public static void Run(BackgroundStep step)
    {
        var connections = step.Connections;
        foreach (var relay in step.Endpoints.Where(p => p.Namespace == "kube-system" && p.Label("k8s-app") == Hubble.HubbleRelays.RelayName))
        {
            foreach (var agent in step.AgentNodes.Values.OrderBy(n => n.Name, StringComparer.Ordinal))
            {
                if (!step.Schedule.Once($"relay/{relay.Namespace}/{relay.Name}/{agent.Name}/{agent.Address}"))
                {
                    continue;
                }

                var peer = agent.Name == relay.NodeName ? connections.Host(agent) : connections.RemoteNode(agent);
                var handshake = TimeSpan.FromMilliseconds(0.3 + connections.Random.NextDouble() * 0.5);
                connections.Connect("relay", connections.Pod(relay), peer, IpProtocol.Tcp, HubblePort, step.Now, handshake, open: true);
            }
        }
    }
}
