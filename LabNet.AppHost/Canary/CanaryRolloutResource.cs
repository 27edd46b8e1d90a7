using LabNet.Canary;

namespace LabNet.AppHost.Canary;

/// <summary>
/// One Canary (the <c>labnet.io/v1alpha1</c> custom resource) as a dashboard resource: its phase, weights, step and last
/// decision come from the CanaryController's API, and its commands are the controller's pause, resume, promote, abort
/// and restart. It owns no process.
/// </summary>
public sealed class CanaryRolloutResource(string name, EndpointReference controller, string canaryNamespace, string canaryName)
    : Resource(name), IResourceWithWaitSupport
{
    public EndpointReference Controller { get; } = controller;

    public string CanaryNamespace { get; } = canaryNamespace;

    public string CanaryName { get; } = canaryName;

    /// <summary>How commands and messages name it: <c>demo/httpbin</c>.</summary>
    public string CanaryKey => $"{CanaryNamespace}/{CanaryName}";

    /// <summary>This Canary among the controller's list, or null when the cluster does not have it (yet).</summary>
    public CanarySummary? FindIn(IEnumerable<CanarySummary> canaries) =>
        canaries.FirstOrDefault(c => c.Namespace == CanaryNamespace && c.Name == CanaryName);
}
