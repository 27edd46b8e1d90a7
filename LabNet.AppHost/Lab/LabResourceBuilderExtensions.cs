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

        var resource = builder.AddResource(lab)
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
            });

        // Each command answers with the operation it started (its operationId), or with the plan.
        foreach (var command in Commands)
        {
            resource.WithCommand(command.Name, command.DisplayName, context => PostAsync(context, lab, command.Path), new CommandOptions
            {
                Description = command.Description,
                ConfirmationMessage = command.Confirmation,
                IconName = command.Icon,
                IsHighlighted = command.Name == "lab-apply",
                UpdateState = WhenRunning,
            });
        }

        return resource;
    }

    private sealed record LabCommand(string Name, string DisplayName, string Path, string Description, string Icon, string? Confirmation = null);

    private static readonly LabCommand[] Commands =
    [
        new("lab-plan", "Plan lab", "/api/lab/plan",
            "Show what an apply would change, from what the VMs and clusters report now. Changes nothing.", "DocumentSearch"),
        new("lab-apply", "Apply lab", "/api/lab/apply",
            "Converge the lab to config/clusters.json: create what is missing, skip what is done.", "Play"),
        new("lab-repair", "Repair lab", "/api/lab/repair",
            "After the Mac restarted: boot the VMs, re-resolve their addresses, repair control planes whose address changed.", "Wrench"),
        new("lab-destroy", "Destroy lab", "/api/lab/destroy?confirm=yes",
            "Stop and delete every VM of the lab and remove the kubeconfigs.", "Delete",
            "Destroy the lab? Every VM of config/clusters.json is stopped and deleted."),
    ];

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
