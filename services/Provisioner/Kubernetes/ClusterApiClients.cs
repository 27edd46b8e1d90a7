using System.Net;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace LabNet.Provisioner.Kubernetes;

/// <summary>
/// Talks to a cluster's Kubernetes API through the kubeconfig the Provisioner wrote for it: one client per cluster,
/// reused by every step and poll (connections stay open), built again only when the kubeconfig was rewritten (a new
/// cluster, or a repair that moved the API server). Every request goes through a retry with exponential backoff and
/// jitter: a real API server resets a connection or answers 5xx/429 now and then (a restart, a leader change, load),
/// and one such answer must not fail a whole apply.
/// </summary>
public sealed class ClusterApiClients(KubeconfigStore kubeconfigs, TimeProvider time) : IDisposable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, LoadedClient> _clients = new(StringComparer.Ordinal);
    private readonly List<k8s.Kubernetes> _replaced = [];

    /// <summary>The cluster's client; the same instance until its kubeconfig changes. Never dispose it.</summary>
    public k8s.Kubernetes For(string cluster)
    {
        var path = kubeconfigs.PathFor(cluster);
        var content = File.ReadAllText(path);
        lock (_gate)
        {
            if (_clients.TryGetValue(cluster, out var current))
            {
                if (current.Content == content)
                {
                    return current.Client;
                }

                // Calls in flight may still use the old client; it goes with this service.
                _replaced.Add(current.Client);
            }

            var configuration = KubernetesClientConfiguration.BuildConfigFromConfigFile(path);
            var client = new k8s.Kubernetes(configuration, new ResilienceHandler(Retry(time)));
            _clients[cluster] = new LoadedClient(content, client);
            return client;
        }
    }

    /// <summary>Every node with whether its <c>Ready</c> condition is <c>True</c> (selected by type, never by position).</summary>
    public async Task<IReadOnlyList<NodeReadiness>> NodesAsync(string cluster, CancellationToken cancellationToken)
    {
        var nodes = await For(cluster).CoreV1.ListNodeAsync(cancellationToken: cancellationToken);
        return nodes.Items.Select(NodeReadiness.From).ToList();
    }

    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var client in _clients.Values.Select(c => c.Client).Concat(_replaced))
            {
                client.Dispose();
            }
        }
    }

    /// <summary>
    /// Retries what a healthy API server answers when it is briefly unavailable: connection failures, 408, 429 and
    /// 5xx, for every verb. A create that is retried after the server did create the object gets 409 AlreadyExists,
    /// which the manifest applier reads as "exists" (it then compares and updates).
    /// </summary>
    public static ResiliencePipeline<HttpResponseMessage> Retry(TimeProvider time) =>
        new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = time }
            .AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = 6,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(200),
                MaxDelay = TimeSpan.FromSeconds(5),
                ShouldHandle = args => ValueTask.FromResult(args.Outcome switch
                {
                    { Exception: HttpRequestException or IOException } => true,
                    { Exception: OperationCanceledException } => false,
                    { Result: { } response } => response.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)response.StatusCode >= 500,
                    _ => false,
                }),
            })
            .Build();

    private sealed record LoadedClient(string Content, k8s.Kubernetes Client);
}

public sealed record NodeReadiness(string Name, bool Ready, string? Reason, string? InternalIp)
{
    public static NodeReadiness From(V1Node node)
    {
        var ready = node.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready");
        var internalIp = node.Status?.Addresses?.FirstOrDefault(a => a.Type == "InternalIP")?.Address;
        return new NodeReadiness(node.Metadata.Name, ready?.Status == "True", ready?.Message ?? ready?.Reason, internalIp);
    }
}
