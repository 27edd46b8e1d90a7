using LabNet.Simulator.Cilium.Policy;
using LabNet.Simulator.Hubble.Flows;

namespace LabNet.Simulator.Traffic.Background;

/// <summary>
/// The kubelet probing its pods: each liveness and readiness probe that goes over the network, every
/// <c>periodSeconds</c>, from the pod's node (<c>reserved:host</c>, which Cilium lets in by its allow-localhost rule
/// where a default deny would drop it) to the pod's port. An HTTP GET carries the kubelet's user agent, which an L7 proxy
/// on that port would log.
/// </summary>
public static class KubeletProbes
{
    public static void Run(BackgroundStep step)
    {
        var minor = string.Join('.', step.KubernetesVersion.TrimStart('v').Split('.').Take(2));
        var headers = new Dictionary<string, string>(StringComparer.Ordinal) { ["user-agent"] = $"kube-probe/{minor}" };
        foreach (var pod in step.Endpoints)
        {
            foreach (var probe in pod.Probes ?? [])
            {
                foreach (var at in step.Due($"probe/{pod.Namespace}/{pod.Name}/{probe.Container}/{probe.Kind}", probe.Period))
                {
                    var latency = TimeSpan.FromMilliseconds(0.5 + step.Connections.Random.NextDouble() * 2);
                    var http = probe.IsPlainHttp
                        ? new SimulatedHttpExchange("GET", $"{pod.Ip}:{probe.Port}", probe.Path ?? "/", 200, latency, headers)
                        : null;
                    step.Connections.Connect("probe", step.Connections.Host(step.AgentNodes[pod.NodeName!]), step.Connections.Pod(pod), IpProtocol.Tcp, probe.Port, at, latency, http: http);
                }
            }
        }
    }
}
