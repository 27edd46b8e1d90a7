using LabNet.AppHost.Traffic;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LabNet.AppHost.Canary;

/// <summary>
/// <c>LabNet:Scenario=BadCanary</c>: the lab as in Default, and once the canary first reaches Progressing the AppHost
/// injects the canary fault, exactly as the "Inject canary fault" command does, so the controller rolls it back.
/// </summary>
internal static class BadCanaryScenario
{
    public static IResourceBuilder<CanaryRolloutResource> WithFaultWhenProgressing(this IResourceBuilder<CanaryRolloutResource> canary,
        IResourceBuilder<TrafficResource> traffic) =>
        canary.OnInitializeResource((resource, e, cancellationToken) =>
        {
            _ = Task.Run(async () =>
            {
                await e.Notifications.WaitForResourceAsync(resource.Name,
                    update => CanaryStatusProperties.PhaseOf(update.Snapshot) == "Progressing", cancellationToken);
                var http = e.Services.GetRequiredService<IHttpClientFactory>().CreateClient(traffic.Resource.Name);
                try
                {
                    var result = await traffic.Resource.Control.InjectCanaryFaultAsync(http, cancellationToken);
                    e.Logger.LogWarning("BadCanary scenario: canary {Canary} reached Progressing. {Outcome}", resource.CanaryKey, result.Message);
                }
                catch (HttpRequestException ex)
                {
                    e.Logger.LogError("BadCanary scenario: canary {Canary} reached Progressing, but the fault could not be injected: {Error}", resource.CanaryKey, ex.Message);
                }
            }, cancellationToken);
            return Task.CompletedTask;
        });
}
