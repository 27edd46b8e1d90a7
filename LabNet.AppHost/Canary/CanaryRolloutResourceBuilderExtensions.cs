using System.Collections.Immutable;
using LabNet.Canary;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace LabNet.AppHost.Canary;

internal static class CanaryRolloutResourceBuilderExtensions
{
    private static readonly TimeSpan StatusInterval = TimeSpan.FromSeconds(2);

    /// <summary>How long a command waits for the controller to act on it before it reports that it has not.</summary>
    private static readonly TimeSpan CommandHandled = TimeSpan.FromSeconds(20);

    private static readonly TimeSpan CommandPoll = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// Adds one Canary as a resource under the CanaryController: phase, weight, step and last decision as properties,
    /// and pause / resume / promote / abort / restart-analysis as commands, each enabled when the controller says it applies.
    /// </summary>
    public static IResourceBuilder<CanaryRolloutResource> AddCanaryRollout(this IDistributedApplicationBuilder builder, string name,
        IResourceBuilder<ProjectResource> controller, string canaryNamespace, string canaryName)
    {
        builder.Services.AddHttpClient(name);
        builder.Services.TryAddSingleton(TimeProvider.System);
        var canary = new CanaryRolloutResource(name, controller.GetEndpoint("http"), canaryNamespace, canaryName);

        var resource = builder.AddResource(canary)
            .ExcludeFromManifest()
            .WithParentRelationship(controller)
            .WaitFor(controller)
            .WithIconName("ArrowSplit")
            .WithInitialState(new CustomResourceSnapshot
            {
                ResourceType = "Canary",
                State = KnownResourceStates.NotStarted,
                Properties = [],
            })
            .OnInitializeResource((resource, e, cancellationToken) =>
            {
                // The status loop lives as long as the AppHost; start-up must not wait for it.
                _ = Task.Run(() => RunAsync(resource, e, cancellationToken), cancellationToken);
                return Task.CompletedTask;
            });

        foreach (var command in CanaryCommand.All)
        {
            resource.WithCommand(command.Name, command.DisplayName, context => ExecuteAsync(context, canary, command), new CommandOptions
            {
                Description = command.Description,
                IconName = command.IconName,
                ConfirmationMessage = command == CanaryCommand.Abort ? $"Roll canary {canary.CanaryKey} back to weight 0 now?" : null,
                UpdateState = context => StateOf(context, command),
            });
        }

        return resource;
    }

    private static ResourceCommandState StateOf(UpdateCommandStateContext context, CanaryCommand command) =>
        context.ResourceSnapshot.State?.Text == KnownResourceStates.Running
        && CanaryStatusProperties.CommandsOf(context.ResourceSnapshot).Contains(command.Word)
            ? ResourceCommandState.Enabled
            : ResourceCommandState.Disabled;

    private static CanaryControllerClient Client(IServiceProvider services, CanaryRolloutResource canary) =>
        new(services.GetRequiredService<IHttpClientFactory>().CreateClient(canary.Name), canary.Controller);

    /// <summary>
    /// Checks with the controller first (so a refusal names the phase), writes the command through it, then waits until the
    /// controller has acted on it and reports where the canary is now.
    /// </summary>
    private static async Task<ExecuteCommandResult> ExecuteAsync(ExecuteCommandContext context, CanaryRolloutResource canary, CanaryCommand command)
    {
        var client = Client(context.Services, canary);
        var time = context.Services.GetRequiredService<TimeProvider>();
        var cancellationToken = context.CancellationToken;
        try
        {
            var (before, problem) = await FindAsync(client, canary, cancellationToken);
            if (before is null)
            {
                return CommandResults.Failure(problem!);
            }

            if (before.PendingCommand is { } pending)
            {
                return CommandResults.Failure($"canary {canary.CanaryKey} has the command '{pending}' still waiting for the controller; try again in a moment.");
            }

            if (!before.Accepts(command.Word))
            {
                return CommandResults.Failure(command.NotApplicable(before));
            }

            var sentAt = time.GetUtcNow();
            var (value, refusal) = await client.SendAsync(canary.CanaryNamespace, canary.CanaryName, command.Word, cancellationToken);
            if (value is null)
            {
                return CommandResults.Failure($"The CanaryController refused '{command.Word}' for canary {canary.CanaryKey}: {refusal}");
            }

            context.Logger.LogInformation("Sent {Command} to canary {Canary} ({Annotation})", command.Word, canary.CanaryKey, value);
            var deadline = sentAt + CommandHandled;
            while (time.GetUtcNow() < deadline)
            {
                await Task.Delay(CommandPoll, time, cancellationToken);
                var (after, _) = await FindAsync(client, canary, cancellationToken);
                if (after is null || after.PendingCommand == value)
                {
                    continue;
                }

                if (after.LastDecision is { Reason: DecisionReasons.CommandNotApplicable } refused && refused.At >= sentAt.AddSeconds(-1))
                {
                    return CommandResults.Failure($"canary {canary.CanaryKey}: {refused.Message}");
                }

                var outcome = after.LastDecision is { } decision ? $" {decision.Message}" : "";
                return CommandResults.Success($"canary {canary.CanaryKey}: {before.Phase} -> {after.Phase}, canary weight {after.CanaryWeight}%.{outcome}");
            }

            return CommandResults.Failure(
                $"The CanaryController accepted '{command.Word}' for canary {canary.CanaryKey} ({value}) but has not acted on it within " +
                $"{CommandHandled.TotalSeconds:0} s; see the canarycontroller's logs.");
        }
        catch (HttpRequestException ex)
        {
            return CommandResults.Failure($"The CanaryController did not answer: {ex.Message}");
        }
    }

    private static async Task<(CanarySummary? Canary, string? Problem)> FindAsync(CanaryControllerClient client, CanaryRolloutResource canary, CancellationToken cancellationToken)
    {
        var (canaries, problem) = await client.ListAsync(poll: false, cancellationToken);
        if (canaries is null)
        {
            return (null, $"The CanaryController cannot list canaries: {problem}");
        }

        return canary.FindIn(canaries) is { } found
            ? (found, null)
            : (null, $"canary {canary.CanaryKey} does not exist yet: the lab applies manifests/canary/ on dev (Apply lab), or kubectl apply it.");
    }

    private static async Task RunAsync(CanaryRolloutResource canary, InitializeResourceEvent e, CancellationToken cancellationToken)
    {
        await e.Eventing.PublishAsync(new BeforeResourceStartedEvent(canary, e.Services), cancellationToken);
        await e.Notifications.PublishUpdateAsync(canary, s => s with { State = KnownResourceStates.Running, StartTimeStamp = DateTime.UtcNow });

        var client = Client(e.Services, canary);
        using var timer = new PeriodicTimer(StatusInterval, e.Services.GetRequiredService<TimeProvider>());
        ImmutableArray<ResourcePropertySnapshot> last = [];
        CanaryPhase? lastPhase = null;
        do
        {
            ImmutableArray<ResourcePropertySnapshot> properties;
            try
            {
                var (canaries, problem) = await client.ListAsync(poll: true, cancellationToken);
                var found = canaries is null ? null : canary.FindIn(canaries);
                properties = (canaries, found) switch
                {
                    (null, _) => CanaryStatusProperties.Missing("Unknown", $"the CanaryController cannot list canaries: {problem}"),
                    (_, null) => CanaryStatusProperties.Missing("NotApplied", $"no Canary {canary.CanaryKey} in the cluster yet (the lab applies manifests/canary/ on dev)."),
                    _ => CanaryStatusProperties.From(found),
                };

                if (found is not null && found.Phase != lastPhase)
                {
                    // A readable line per phase change in the resource's console log.
                    e.Logger.LogInformation("canary {Canary}: {From} -> {Phase} at canary weight {Weight}%. {Decision}",
                        canary.CanaryKey, lastPhase?.ToString() ?? "(new)", found.Phase, found.CanaryWeight, found.LastDecision?.Message);
                    lastPhase = found.Phase;
                }
            }
            catch (HttpRequestException ex)
            {
                properties = CanaryStatusProperties.Missing("Unknown", $"the CanaryController did not answer: {ex.Message}");
            }

            if (!properties.SequenceEqual(last))
            {
                last = properties;
                await e.Notifications.PublishUpdateAsync(canary, s => s with { Properties = properties });
            }
        }
        while (await timer.WaitForNextTickAsync(cancellationToken));
    }
}
