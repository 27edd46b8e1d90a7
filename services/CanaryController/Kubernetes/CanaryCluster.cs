using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using LabNet.Canary;
using LabNet.CanaryController.Resources;
using LabNet.CanaryController.Rollout;
using LabNet.CanaryController.Serialization;

namespace LabNet.CanaryController.Kubernetes;

/// <summary>
/// The API calls the controller makes, on one cluster: Canaries (list, watch, get, status through the status
/// subresource, annotations), the Istio objects they name, and Events.
/// </summary>
public sealed partial class CanaryCluster(IKubernetes client, TimeProvider timeProvider, ILogger logger)
{
    private const int StatusWriteAttempts = 3;

    /// <summary>Events of one tick share its time; the sequence keeps their names apart.</summary>
    private long eventSequence;

    public IKubernetes Client => client;

    public async Task<(IReadOnlyList<CanaryResource> Items, string ResourceVersion)> ListCanariesAsync(string? @namespace, CancellationToken cancellationToken)
    {
        var response = string.IsNullOrEmpty(@namespace)
            ? await client.CustomObjects.ListClusterCustomObjectWithHttpMessagesAsync<JsonObject>(ApiCoordinates.CanaryGroup, ApiCoordinates.CanaryVersion, ApiCoordinates.CanaryPlural, cancellationToken: cancellationToken)
            : await client.CustomObjects.ListNamespacedCustomObjectWithHttpMessagesAsync<JsonObject>(ApiCoordinates.CanaryGroup, ApiCoordinates.CanaryVersion, @namespace, ApiCoordinates.CanaryPlural, cancellationToken: cancellationToken);
        var list = response.Body;
        var items = (list["items"] as JsonArray)?.OfType<JsonObject>().Select(CanaryResource.FromWire).ToList() ?? [];
        return (items, list["metadata"]?["resourceVersion"]?.ToString() ?? "");
    }

    /// <summary>
    /// Changes since <paramref name="resourceVersion"/> until the server closes the watch. An ERROR event (e.g. 410 Gone:
    /// the version is too old) goes to <paramref name="onError"/>; the caller re-lists.
    /// </summary>
    public async IAsyncEnumerable<(WatchEventType Type, JsonObject Object)> WatchCanariesAsync(
        string? @namespace, string resourceVersion, Action<Exception> onError, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var events = string.IsNullOrEmpty(@namespace)
            ? client.CustomObjects.WatchListClusterCustomObjectAsync(ApiCoordinates.CanaryGroup, ApiCoordinates.CanaryVersion, ApiCoordinates.CanaryPlural,
                allowWatchBookmarks: true, resourceVersion: resourceVersion, onError: onError, cancellationToken: cancellationToken)
            : client.CustomObjects.WatchListNamespacedCustomObjectAsync(ApiCoordinates.CanaryGroup, ApiCoordinates.CanaryVersion, @namespace, ApiCoordinates.CanaryPlural,
                allowWatchBookmarks: true, resourceVersion: resourceVersion, onError: onError, cancellationToken: cancellationToken);
        await foreach (var (type, item) in events)
        {
            if (JsonSerializer.SerializeToNode(item) is JsonObject wire)
            {
                yield return (type, wire);
            }
        }
    }

    public async Task<CanaryResource?> GetCanaryAsync(string @namespace, string name, CancellationToken cancellationToken)
    {
        var wire = await GetCustomAsync(ApiCoordinates.CanaryGroup, ApiCoordinates.CanaryVersion, @namespace, ApiCoordinates.CanaryPlural, name, cancellationToken);
        return wire is null ? null : CanaryResource.FromWire(wire);
    }

    public Task<JsonObject?> GetIstioAsync(string @namespace, string plural, string name, CancellationToken cancellationToken) =>
        GetCustomAsync(ApiCoordinates.IstioGroup, ApiCoordinates.IstioVersion, @namespace, plural, name, cancellationToken);

    public async Task<JsonObject> PatchIstioAsync(string @namespace, string plural, string name, JsonArray jsonPatch, CancellationToken cancellationToken)
    {
        var response = await client.CustomObjects.PatchNamespacedCustomObjectWithHttpMessagesAsync<JsonObject>(
            new V1Patch(jsonPatch.ToJsonString(), V1Patch.PatchType.JsonPatch), ApiCoordinates.IstioGroup, ApiCoordinates.IstioVersion, @namespace, plural, name,
            fieldManager: ApiCoordinates.Component, cancellationToken: cancellationToken);
        return response.Body;
    }

    /// <summary>
    /// Writes <paramref name="status"/> through the status subresource with the Canary's resourceVersion. On 409 the
    /// Canary is read again and the write retried, but only while its status is still the one the tick started from:
    /// anything else means another writer decided, and this tick's result is dropped (the next tick decides again).
    /// </summary>
    public async Task<bool> WriteStatusAsync(CanaryResource canary, CanaryStatus status, CancellationToken cancellationToken)
    {
        var statusNode = JsonSerializer.SerializeToNode(status, CanaryJson.Options);
        var expectedStatus = canary.Wire["status"]?.ToJsonString();
        var current = canary.Wire;
        for (var attempt = 1; ; attempt++)
        {
            var body = current.DeepClone().AsObject();
            body["status"] = statusNode?.DeepClone();
            try
            {
                await client.CustomObjects.ReplaceNamespacedCustomObjectStatusWithHttpMessagesAsync<JsonObject>(
                    body, ApiCoordinates.CanaryGroup, ApiCoordinates.CanaryVersion, canary.Namespace, ApiCoordinates.CanaryPlural, canary.Name,
                    fieldManager: ApiCoordinates.Component, cancellationToken: cancellationToken);
                return true;
            }
            catch (Exception e) when (KubernetesErrors.Is(e, HttpStatusCode.Conflict) && attempt < StatusWriteAttempts)
            {
                var fresh = await GetCustomAsync(ApiCoordinates.CanaryGroup, ApiCoordinates.CanaryVersion, canary.Namespace, ApiCoordinates.CanaryPlural, canary.Name, cancellationToken);
                if (fresh is null || fresh["status"]?.ToJsonString() != expectedStatus)
                {
                    LogStatusChangedElsewhere(canary.Key);
                    return false;
                }

                LogStatusConflictRetry(canary.Key, attempt);
                current = fresh;
            }
        }
    }

    /// <summary>Sets one annotation with a JSON merge patch (the dashboard's operator commands).</summary>
    public async Task<bool> AnnotateCanaryAsync(string @namespace, string name, string key, string value, CancellationToken cancellationToken)
    {
        var patch = new JsonObject { ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { [key] = value } } };
        try
        {
            await client.CustomObjects.PatchNamespacedCustomObjectWithHttpMessagesAsync<JsonObject>(
                new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch), ApiCoordinates.CanaryGroup, ApiCoordinates.CanaryVersion, @namespace, ApiCoordinates.CanaryPlural, name,
                fieldManager: ApiCoordinates.Component, cancellationToken: cancellationToken);
            return true;
        }
        catch (Exception e) when (KubernetesErrors.Is(e, HttpStatusCode.NotFound))
        {
            return false;
        }
    }

    /// <summary>A core/v1 Event on the Canary, as client-go's recorder writes one (name = object name + hex time).</summary>
    public async Task EmitEventAsync(CanaryResource canary, EmitEvent emit, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var nanos = ((now - DateTimeOffset.UnixEpoch).Ticks * 100) + Interlocked.Increment(ref eventSequence);
        var @event = new Corev1Event
        {
            Metadata = new V1ObjectMeta { Name = $"{canary.Name}.{nanos.ToString("x", CultureInfo.InvariantCulture)}", NamespaceProperty = canary.Namespace },
            InvolvedObject = new V1ObjectReference
            {
                ApiVersion = $"{ApiCoordinates.CanaryGroup}/{ApiCoordinates.CanaryVersion}",
                Kind = ApiCoordinates.CanaryKind,
                Name = canary.Name,
                NamespaceProperty = canary.Namespace,
                Uid = canary.Uid,
                ResourceVersion = canary.ResourceVersion,
            },
            Reason = emit.Reason,
            Message = emit.Message,
            Type = emit.Severity == EventSeverity.Warning ? "Warning" : "Normal",
            Source = new V1EventSource { Component = ApiCoordinates.Component },
            ReportingComponent = ApiCoordinates.Component,
            ReportingInstance = Environment.MachineName,
            FirstTimestamp = now.UtcDateTime,
            LastTimestamp = now.UtcDateTime,
            Count = 1,
        };
        await client.CoreV1.CreateNamespacedEventWithHttpMessagesAsync(@event, canary.Namespace, cancellationToken: cancellationToken);
    }

    private async Task<JsonObject?> GetCustomAsync(string group, string version, string @namespace, string plural, string name, CancellationToken cancellationToken)
    {
        try
        {
            var response = await client.CustomObjects.GetNamespacedCustomObjectWithHttpMessagesAsync<JsonObject>(group, version, @namespace, plural, name, cancellationToken: cancellationToken);
            return response.Body;
        }
        catch (Exception e) when (KubernetesErrors.Is(e, HttpStatusCode.NotFound))
        {
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Canary {Canary}: status changed while this tick ran; its result is dropped and the next tick decides again.")]
    private partial void LogStatusChangedElsewhere(string canary);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Canary {Canary}: status write conflicted (attempt {Attempt}); retrying with the current resourceVersion.")]
    private partial void LogStatusConflictRetry(string canary, int attempt);
}
