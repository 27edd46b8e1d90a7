namespace LabNet.AppHost.Lab;

/// <summary>
/// The lab itself as a dashboard resource: its state and per-cluster progress come from the Provisioner's status API,
/// and its commands (plan, apply, destroy) are the Provisioner's lab API. It owns no process.
/// </summary>
public sealed class LabResource(string name, EndpointReference provisioner) : Resource(name), IResourceWithWaitSupport
{
    public EndpointReference Provisioner { get; } = provisioner;
}
