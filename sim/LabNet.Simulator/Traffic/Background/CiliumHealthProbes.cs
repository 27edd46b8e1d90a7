using LabNet.Simulator.Cilium.Policy;

namespace LabNet.Simulator.Traffic.Background;

/// <summary>
/// cilium-health: every <see cref="BackgroundTrafficOptions.HealthProbeSeconds"/>, each node's agent checks every node's
/// health endpoint (its own included) with an ICMP echo and a TCP connection to port 4240. On the probed node the probe
/// comes from <c>reserved:host</c> (its own) or <c>reserved:remote-node</c> (another node) to <c>reserved:health</c>.
/// Probes of the nodes' own addresses stay in the host network and are not shown.
/// </summary>
public static class CiliumHealthProbes
{
    public const int Port = 4240;

    public static void Run(BackgroundStep step)
    {
        var connections = step.Connections;
        var period = TimeSpan.FromSeconds(step.Options.HealthProbeSeconds);
        foreach (var prober in step.AgentNodes.Values.OrderBy(n => n.Name, StringComparer.Ordinal))
        {
            foreach (var target in step.AgentNodes.Values.OrderBy(n => n.Name, StringComparer.Ordinal))
            {
                if (target.HealthAddress is null)
                {
                    continue;
                }

                foreach (var at in step.Due($"health/{prober.Name}/{target.Name}", period))
                {
                    var source = prober.Name == target.Name ? connections.Host(prober) : connections.RemoteNode(prober);
                    var health = connections.Health(target);
                    var rtt = TimeSpan.FromMilliseconds(0.2 + connections.Random.NextDouble() * 0.6);
                    connections.Connect("health", source, health, IpProtocol.Icmp, 0, at - rtt * 2, rtt);
                    connections.Connect("health", source, health, IpProtocol.Tcp, Port, at, rtt * 3);
                }
            }
        }
    }
}
