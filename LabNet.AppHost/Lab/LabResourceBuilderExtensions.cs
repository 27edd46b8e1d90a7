using System.Collections.Immutable;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LabNet.AppHost.Lab;

internal static class LabResourceBuilderExtensions
{
    private static readonly TimeSpan StatusInterval = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Adds the lab: a resource under the Provisioner that shows each cluster's progress and offers plan, apply and
    /// destroy as dashboard commands. With <paramref name="applyAtStart"/> it applies the lab as soon as the
    /// Provisioner is healthy.
    /// </summary>
    public static IResourceBuilder<LabResource> AddLab(this IDistributedApplicationBuilder builder, string name,
        IResourceBuilder<ProjectResource> provisioner, bool applyAtStart)
    {
        builder.Services.AddHttpClient(name);
        var lab = new LabResource(name, provisioner.GetEndpoint("http"));

        return builder.AddResource(lab)
            .ExcludeFromManifest()
            .WithParentRelationship(provisioner)
            .WaitFor(provisioner)
            .WithIconName("Server")
            .WithInitialState(new CustomResourceSnapshot
            {
                ResourceType = "Lab",
                State = KnownResourceStates.NotStarted,
                Properties = [],
            })
            .OnInitializeResource((resource, e, cancellationToken) =>
            {
                // The status loop lives as long as the AppHost; start-up must not wait for it.
                _ = Task.Run(() => RunAsync(resource, e, applyAtStart, cancellationToken), cancellationToken);
                return Task.CompletedTask;
            })
            .WithCommand("lab-plan", "Plan lab", context => PostAsync(context, lab, "/api/lab/plan"), new CommandOptions
            {
                Description = "Show what an apply would change, from what the VMs and clusters report now. Changes nothing.",
                IconName = "DocumentSearch",
                UpdateState = WhenRunning,
            })
            .WithCommand("lab-apply", "Apply lab", context => PostAsync(context, lab, "/api/lab/apply"), new CommandOptions
            {
                Description = "Converge the lab to config/clusters.json: create what is missing, skip what is done.",
                IconName = "Play",
                IsHighlighted = true,
                UpdateState = WhenRunning,
            })
            .WithCommand("lab-repair", "Repair lab", context => PostAsync(context, lab, "/api/lab/repair"), new CommandOptions
            {
                Description = "After the Mac restarted: boot the VMs, re-resolve their addresses, repair control planes whose address changed.",
                IconName = "Wrench",
                UpdateState = WhenRunning,
            })
            .WithCommand("lab-destroy", "Destroy lab", context => PostAsync(context, lab, "/api/lab/destroy?confirm=yes"), new CommandOptions
            {
                Description = "Stop and delete every VM of the lab and remove the kubeconfigs.",
                ConfirmationMessage = "Destroy the lab? Every VM of config/clusters.json is stopped and deleted.",
                IconName = "Delete",
                UpdateState = WhenRunning,
            });
    }

    private static ResourceCommandState WhenRunning(UpdateCommandStateContext context) =>
        context.ResourceSnapshot.State?.Text == KnownResourceStates.Running ? ResourceCommandState.Enabled : ResourceCommandState.Disabled;

    private static async Task<ExecuteCommandResult> PostAsync(ExecuteCommandContext context, LabResource lab, string path)
    {
        var client = new ProvisionerClient(context.Services.GetRequiredService<IHttpClientFactory>().CreateClient(lab.Name), lab.Provisioner);
        var (success, body) = await client.PostAsync(path, context.CancellationToken);
        return success
            ? CommandResults.Success(body)
            : CommandResults.Failure(body);
    }

    private static async Task RunAsync(LabResource lab, InitializeResourceEvent e, bool applyAtStart, CancellationToken cancellationToken)
    {
        await e.Eventing.PublishAsync(new BeforeResourceStartedEvent(lab, e.Services), cancellationToken);
        await e.Notifications.PublishUpdateAsync(lab, s => s with { State = KnownResourceStates.Running, StartTimeStamp = DateTime.UtcNow });

        var client = new ProvisionerClient(e.Services.GetRequiredService<IHttpClientFactory>().CreateClient(lab.Name), lab.Provisioner);
        if (applyAtStart)
        {
            var (success, body) = await client.PostAsync("/api/lab/apply", cancellationToken);
            e.Logger.LogInformation("Applying the lab at start: {Outcome} {Body}", success ? "started" : "refused", body);
        }

        using var timer = new PeriodicTimer(StatusInterval);
        ImmutableArray<ResourcePropertySnapshot> last = [];
        var available = true;
        while (await timer.WaitForNextTickAsync(cancellationToken))
        {
            try
            {
                if (await client.StatusAsync(cancellationToken) is { } status)
                {
                    available = true;
                    var properties = LabStatusProperties.From(status);
                    if (!properties.SequenceEqual(last))
                    {
                        last = properties;
                        await e.Notifications.PublishUpdateAsync(lab, s => s with { Properties = properties });
                    }
                }
            }
            catch (HttpRequestException ex) when (available)
            {
                // Once per outage, not every two seconds (the provisioner stopping at shutdown is one too).
                available = false;
                e.Logger.LogWarning("The provisioner's status is not available: {Error}", ex.Message);
            }
            catch (HttpRequestException)
            {
                // Still unavailable; already reported.
            }
        }
    }
}
