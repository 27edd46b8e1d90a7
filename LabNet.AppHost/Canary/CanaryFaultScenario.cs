using LabNet.AppHost.Traffic;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LabNet.AppHost.Canary;

/// <summary>
/// <c>LabNet:Scenario=BadCanary</c> and <c>SlowCanary</c>: the lab as in Default, and once the canary first reaches
/// Progressing the AppHost injects a canary fault (errors, or latency), exactly as the traffic resource's command does,
/// so the controller rolls the canary back.
/// </summary>
internal static class CanaryFaultScenario
{
    public static IResourceBuilder<CanaryRolloutResource> WithFaultWhenProgressing(this IResourceBuilder<CanaryRolloutResource> canary,
        IResourceBuilder<TrafficResource> traffic, CanaryFault fault) =>
        canary.OnInitializeResource((resource, e, cancellationToken) =>
        {
            _ = Task.Run(async () =>
            {
                await e.Notifications.WaitForResourceAsync(resource.Name,
                    update => CanaryStatusProperties.PhaseOf(update.Snapshot) == "Progressing", cancellationToken);
                var http = e.Services.GetRequiredService<IHttpClientFactory>().CreateClient(traffic.Resource.Name);
                try
                {
                    var result = await traffic.Resource.Control.InjectAsync(http, fault, cancellationToken);
                    e.Logger.LogWarning("Scenario: canary {Canary} reached Progressing. {Outcome}", resource.CanaryKey, result.Message);
                }
                catch (HttpRequestException ex)
                {
                    e.Logger.LogError("Scenario: canary {Canary} reached Progressing, but the {Fault} could not be injected: {Error}", resource.CanaryKey, fault.Name, ex.Message);
                }
            }, cancellationToken);
            return Task.CompletedTask;
        });
}
