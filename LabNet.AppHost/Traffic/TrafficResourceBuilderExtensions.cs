using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LabNet.AppHost.Traffic;

internal static class TrafficResourceBuilderExtensions
{
    private static readonly TimeSpan StatusInterval = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Adds the simulated lab's demo traffic under the simulator: total rate and httpbin's versions as properties, and
    /// rate up / down and the canary's faults (errors, latency) with their heal as commands.
    /// </summary>
    public static IResourceBuilder<TrafficResource> AddTraffic(this IDistributedApplicationBuilder builder, string name, IResourceBuilder<ProjectResource> simulator)
    {
        builder.Services.AddHttpClient(name);
        var traffic = new TrafficResource(name, simulator.GetEndpoint("http"));

        return builder.AddResource(traffic)
            .ExcludeFromManifest()
            .WithParentRelationship(simulator)
            .WaitFor(simulator)
            .WithIconName("DataLine")
            .WithInitialState(new CustomResourceSnapshot
            {
                ResourceType = "Traffic",
                State = KnownResourceStates.NotStarted,
                Properties = [],
            })
            .OnInitializeResource((resource, e, cancellationToken) =>
            {
                // The status loop lives as long as the AppHost; start-up must not wait for it.
                _ = Task.Run(() => RunAsync(resource, e, cancellationToken), cancellationToken);
                return Task.CompletedTask;
            })
            .WithCommand("traffic-rate-up", "Traffic rate x2", context => RunAsync(context, traffic, (control, http, ct) => control.ScaleRatesAsync(http, 2, ct)), new CommandOptions
            {
                Description = "Double the rate of every demo traffic scenario (PUT /traffic on the simulator).",
                IconName = "ArrowTrendingLines",
                UpdateState = WhenRunning,
            })
            .WithCommand("traffic-rate-down", "Traffic rate /2", context => RunAsync(context, traffic, (control, http, ct) => control.ScaleRatesAsync(http, 0.5, ct)), new CommandOptions
            {
                Description = "Halve the rate of every demo traffic scenario (PUT /traffic on the simulator).",
                IconName = "ArrowTrendingDown",
                UpdateState = WhenRunning,
            })
            .WithFaultCommands(traffic, CanaryFault.Errors, "canary-fault", "Inject canary fault", "Heal canary fault", "Bug",
                $"Break the canary: {CanaryFault.Errors.Description}. The CanaryController should roll it back for its errors.")
            .WithFaultCommands(traffic, CanaryFault.Latency, "canary-latency", "Inject canary latency", "Heal canary latency", "Timer",
                $"Slow the canary down: {CanaryFault.Latency.Description}. The CanaryController should roll it back for its latency.");
    }

    /// <summary>Inject and heal commands for one canary fault; each enabled only when it can do something.</summary>
    private static IResourceBuilder<TrafficResource> WithFaultCommands(this IResourceBuilder<TrafficResource> resource, TrafficResource traffic, CanaryFault fault,
        string name, string injectName, string healName, string icon, string description) =>
        resource
            .WithCommand($"{name}-inject", injectName, context => RunAsync(context, traffic, (control, http, ct) => control.InjectAsync(http, fault, ct)), new CommandOptions
            {
                Description = description,
                IconName = icon,
                IsHighlighted = true,
                UpdateState = context => Running(context) && !traffic.Control.IsInjected(fault) ? ResourceCommandState.Enabled : ResourceCommandState.Disabled,
            })
            .WithCommand($"{name}-heal", healName, context => RunAsync(context, traffic, (control, http, ct) => control.HealAsync(http, fault, ct)), new CommandOptions
            {
                Description = $"Undo the {fault.Name}: httpbin v2 answers as it did before it was injected.",
                IconName = "HeartPulse",
                UpdateState = context => Running(context) && traffic.Control.IsInjected(fault) ? ResourceCommandState.Enabled : ResourceCommandState.Disabled,
            });

    private static bool Running(UpdateCommandStateContext context) => context.ResourceSnapshot.State?.Text == KnownResourceStates.Running;

    private static ResourceCommandState WhenRunning(UpdateCommandStateContext context) =>
        Running(context) ? ResourceCommandState.Enabled : ResourceCommandState.Disabled;

    private static HttpClient Client(IServiceProvider services, TrafficResource traffic) =>
        services.GetRequiredService<IHttpClientFactory>().CreateClient(traffic.Name);

    private static async Task<ExecuteCommandResult> RunAsync(ExecuteCommandContext context, TrafficResource traffic,
        Func<TrafficControl, HttpClient, CancellationToken, Task<TrafficChange>> change)
    {
        try
        {
            var result = await change(traffic.Control, Client(context.Services, traffic), context.CancellationToken);
            context.Logger.Log(result.Success ? LogLevel.Information : LogLevel.Warning, "{Message}", result.Message);
            return result.Success ? CommandResults.Success(result.Message) : CommandResults.Failure(result.Message);
        }
        catch (HttpRequestException ex)
        {
            return CommandResults.Failure($"The simulator's traffic API did not answer: {ex.Message}");
        }
    }

    private static async Task RunAsync(TrafficResource traffic, InitializeResourceEvent e, CancellationToken cancellationToken)
    {
        await e.Eventing.PublishAsync(new BeforeResourceStartedEvent(traffic, e.Services), cancellationToken);
        await e.Notifications.PublishUpdateAsync(traffic, s => s with { State = KnownResourceStates.Running, StartTimeStamp = DateTime.UtcNow });

        var http = Client(e.Services, traffic);
        using var timer = new PeriodicTimer(StatusInterval);
        ImmutableArray<ResourcePropertySnapshot> last = [];
        var available = true;
        do
        {
            try
            {
                var properties = Properties(await traffic.Control.ReadAsync(http, poll: true, cancellationToken), traffic.Control);
                available = true;
                if (!properties.SequenceEqual(last))
                {
                    last = properties;
                    await e.Notifications.PublishUpdateAsync(traffic, s => s with { Properties = properties });
                }
            }
            catch (HttpRequestException ex) when (available)
            {
                // Once per outage, not every two seconds (the simulator stopping at shutdown is one too).
                available = false;
                e.Logger.LogWarning("The simulator's traffic settings are not available: {Error}", ex.Message);
            }
            catch (HttpRequestException)
            {
                // Still unavailable; already reported.
            }
        }
        while (await timer.WaitForNextTickAsync(cancellationToken));
    }

    private static ImmutableArray<ResourcePropertySnapshot> Properties(JsonObject settings, TrafficControl control)
    {
        var versions = TrafficControl.Versions(settings);
        return
        [
            Highlighted("traffic.total", "Total rate", string.Create(CultureInfo.InvariantCulture, $"{TrafficControl.TotalRate(settings):0.##} requests/s"), 0),
            Highlighted("traffic.rates", "Rates", TrafficControl.RateList(settings), 1),
            Highlighted("traffic.httpbin.v1", "httpbin v1", CanaryFault.Describe(versions["v1"]), 2),
            Highlighted("traffic.httpbin.v2", "httpbin v2", CanaryFault.Describe(versions["v2"]), 3),
            Highlighted("traffic.fault", "Canary fault", control.IsInjected(CanaryFault.Errors) ? $"injected: {CanaryFault.Errors.Description}" : "none", 4),
            Highlighted("traffic.latency", "Canary latency", control.IsInjected(CanaryFault.Latency) ? $"injected: {CanaryFault.Latency.Description}" : "none", 5),
        ];
    }

    private static ResourcePropertySnapshot Highlighted(string name, string displayName, string value, int order) =>
        new(name, value) { DisplayName = displayName, IsHighlighted = true, SortOrder = order };
}
