namespace LabNet.AppHost;

internal static class LabWorldExtensions
{
    /// <summary>
    /// Points a service at the world it drives: in simulation the simulator (referenced and waited for), in real mode
    /// nothing to wait for. Only configuration differs between the two; the service's code paths are the same.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithLabWorld(
        this IResourceBuilder<ProjectResource> service,
        IResourceBuilder<ProjectResource>? simulator)
    {
        if (simulator is not null)
        {
            service.WithReference(simulator).WaitFor(simulator);
        }

        return service;
    }
}
