namespace LabNet.AppHost.Traffic;

/// <summary>
/// The simulated lab's demo traffic as a dashboard resource (simulation only): rates and how each httpbin version
/// answers, from the simulator's <c>GET /traffic</c>; its commands change them through <c>PUT /traffic</c>.
/// </summary>
public sealed class TrafficResource(string name, EndpointReference simulator) : Resource(name), IResourceWithWaitSupport
{
    public EndpointReference Simulator { get; } = simulator;

    /// <summary>The one place traffic is changed, by the dashboard commands and by the BadCanary and SlowCanary scenarios alike.</summary>
    internal TrafficControl Control { get; } = new(simulator);
}
