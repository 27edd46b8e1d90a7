using System.Net;
using LabNet.Simulator.Cilium.Identity;
using LabNet.Simulator.Hubble.Flows;
using LabNet.Simulator.Tests.Cilium;

namespace LabNet.Simulator.Tests.Hubble;

/// <summary>The demo lab's endpoints as flow endpoints, with identities from the lab's policy engine.</summary>
internal sealed class FlowFixtures
{
    public static readonly DateTimeOffset Start = new(2026, 11, 26, 8, 0, 0, TimeSpan.Zero);

    public DemoLab Lab { get; } = DemoLab.With(DemoLab.ShippedPolicies);

    public HubbleFlowBuilder Builder { get; } = new("dev", new FlowUuidSource(42));

    public FlowEndpoint Of(PolicyEndpoint endpoint, string node = "dev-worker1") => endpoint switch
    {
        PodEndpoint pod => new FlowEndpoint(pod.PodIp!, Lab.Engine.IdentityOf(pod), pod.Namespace, pod.Name, node, pod.Labels.GetValueOrDefault("app"), "Deployment", 100),
        _ => new FlowEndpoint(endpoint.Address ?? IPAddress.Any, Lab.Engine.IdentityOf(endpoint)),
    };

    public SimulatedConnection Tcp(PolicyEndpoint source, PolicyEndpoint destination, int port, ServiceName? service = null) =>
        new(Of(source), Of(destination), LabNet.Simulator.Cilium.Policy.IpProtocol.Tcp, 40000, port, Start, TimeSpan.FromMilliseconds(30), service);
}
