using System.Net.Http.Json;
using System.Text.Json;
using LabNet.CanaryController.Analysis;
using LabNet.CanaryController.Kubernetes;
using LabNet.Traffic;
using Microsoft.Extensions.Options;

namespace LabNet.CanaryController.Traffic;

/// <summary>
/// Asks the FlowCollector for a service's traffic per version (<see cref="TrafficSummaryApi"/>, the contract both sides
/// build on). Never throws into the controller loop: connection
/// failures, 5xx, timeouts and answers it cannot read are <see cref="MetricsUnavailable"/> with the reason.
/// A singleton that takes a client from the factory per request, so handlers (and resolved addresses) rotate.
/// </summary>
public sealed partial class FlowCollectorClient(IHttpClientFactory httpClients, TimeProvider timeProvider, IOptions<CanaryControllerOptions> options, ILogger<FlowCollectorClient> logger)
{
    /// <summary>The named HttpClient (base address <c>CanaryController:FlowCollector</c>).</summary>
    public const string HttpClientName = "flowcollector";

    /// <summary>The FlowCollector keeps five minutes of per-second counters.</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromMinutes(5);

    /// <summary>The summary for the window, or null when there is no time to ask about yet (the last window ended now).</summary>
    public async Task<TrafficObservation?> GetTrafficAsync(TrafficQuery query, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var window = now - query.Since;
        var cap = query.MaxWindow < Retention ? query.MaxWindow : Retention;
        if (window > cap)
        {
            window = cap; // a gap after a long outage is skipped, never counted twice
        }

        if (window <= TimeSpan.Zero)
        {
            return null;
        }

        var uri = TrafficSummaryApi.Uri(query.Namespace, query.Service, window, query.ProbeHeader, query.ProbeValue);

        var http = httpClients.CreateClient(HttpClientName);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.FlowCollectorTimeout);
        try
        {
            using var response = await http.GetAsync(uri, timeout.Token);
            if (!response.IsSuccessStatusCode)
            {
                var body = await response.Content.ReadAsStringAsync(timeout.Token);
                return Unavailable($"the FlowCollector answered {(int)response.StatusCode} {response.ReasonPhrase} to {uri}: {Shorten(body)}");
            }

            var summary = await response.Content.ReadFromJsonAsync<TrafficSummary>(TrafficSummaryApi.Json, timeout.Token);
            return summary is null ? Unavailable($"the FlowCollector answered null to {uri}") : ToWindow(summary, query);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Unavailable($"the FlowCollector did not answer {uri} within {options.Value.FlowCollectorTimeout.TotalSeconds:0.#}s");
        }
        catch (HttpRequestException e)
        {
            return Unavailable($"the FlowCollector at {http.BaseAddress} cannot be reached: {e.Message}");
        }
        catch (JsonException e)
        {
            return Unavailable($"the FlowCollector's answer to {uri} is not a traffic summary: {e.Message}");
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            // e.g. the resilience pipeline's open circuit: still only "unavailable" for the decision.
            return Unavailable($"asking the FlowCollector {uri} failed: {e.GetType().Name}: {e.Message}");
        }
    }

    /// <summary>The summary's rows of the stable and canary versions over its window (a version without traffic is zero requests).</summary>
    public static TrafficWindow ToWindow(TrafficSummary summary, TrafficQuery query) =>
        new(summary.From, summary.To, summary.Version(query.StableVersion), summary.Version(query.CanaryVersion));

    private MetricsUnavailable Unavailable(string reason)
    {
        LogUnavailable(reason);
        return new MetricsUnavailable(reason);
    }

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "...";

    [LoggerMessage(Level = LogLevel.Warning, Message = "Metrics unavailable: {Reason}")]
    private partial void LogUnavailable(string reason);
}
