using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace LabNet.Simulator.Kubernetes;

/// <summary>
/// <c>?watch=true</c>: the change stream of a resource from a resourceVersion (replayed from the store's history, 410
/// when too old), <c>sendInitialEvents</c> with its closing bookmark, periodic bookmarks, Table rows, the timeout; the
/// stream is cut when the API server stops serving.
/// </summary>
public sealed class WatchRequests(KubernetesApiMetrics metrics, TimeProvider time, ILogger<WatchRequests> logger)
{
    private static readonly TimeSpan DefaultWatchTimeout = TimeSpan.FromMinutes(30);
    private static readonly TimeSpan BookmarkInterval = TimeSpan.FromSeconds(60);

    public async Task WatchAsync(HttpContext context, ClusterApi cluster, ResourceType type, string? ns, LabelSelector labels, FieldSelector fields)
    {
        var query = context.Request.Query;
        long? from = long.TryParse(query["resourceVersion"], out var rv) ? rv : null;
        var sendInitial = query["sendInitialEvents"] == "true";
        var bookmarks = query["allowWatchBookmarks"] == "true";
        var timeout = int.TryParse(query["timeoutSeconds"], out var seconds) && seconds > 0 ? TimeSpan.FromSeconds(seconds) : DefaultWatchTimeout;
        var asTable = ApiResponses.WantsTable(context);
        var includeObject = query["includeObject"].ToString();

        using var watcher = cluster.Watch(type, ns, labels, fields, from, sendInitial);
        using var open = metrics.Watch(cluster.Bootstrap.Name, type.QualifiedName);
        var initialEvents = sendInitial ? watcher.InitialEventCount : 0;
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        await context.Response.StartAsync(context.RequestAborted);
        await context.Response.BodyWriter.FlushAsync(context.RequestAborted);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        stop.CancelAfter(timeout);
        var first = true;
        var lastResourceVersion = cluster.Store.ResourceVersion.ToString(CultureInfo.InvariantCulture);
        try
        {
            if (sendInitial && initialEvents == 0)
            {
                await WriteEventAsync(context, Bookmark(type, lastResourceVersion, initialEventsEnd: true));
            }

            var written = 0;
            while (true)
            {
                var readTask = watcher.Events.WaitToReadAsync(stop.Token).AsTask();
                if (bookmarks)
                {
                    var finished = await Task.WhenAny(readTask, Task.Delay(BookmarkInterval, time, stop.Token));
                    if (finished != readTask)
                    {
                        await WriteEventAsync(context, Bookmark(type, cluster.Store.ResourceVersion.ToString(CultureInfo.InvariantCulture), false));
                        await context.Response.Body.FlushAsync(stop.Token);
                        continue;
                    }
                }

                if (!await readTask)
                {
                    // The API server went down or away: the client sees its connection drop, as with a real one.
                    logger.LogWarning("Watch of {Resource} in cluster {Cluster} cut: the API server is not serving", type.QualifiedName, cluster.Bootstrap.Name);
                    context.Abort();
                    break;
                }

                while (watcher.Events.TryRead(out var change))
                {
                    var obj = ApiResponses.WithApiVersion(type, change.Object);
                    lastResourceVersion = obj["metadata"]?["resourceVersion"]?.GetValue<string>() ?? lastResourceVersion;
                    JsonNode payload = asTable
                        ? TablePrinter.Table(type, [obj], includeObject, time.GetUtcNow(), lastResourceVersion, withHeaders: first)
                        : obj;
                    first = false;
                    await WriteEventAsync(context, new JsonObject { ["type"] = change.Type, ["object"] = payload.DeepClone() });
                    written++;
                    if (sendInitial && written == initialEvents)
                    {
                        await WriteEventAsync(context, Bookmark(type, cluster.Store.ResourceVersion.ToString(CultureInfo.InvariantCulture), initialEventsEnd: true));
                    }
                }

                await context.Response.Body.FlushAsync(stop.Token);
            }
        }
        catch (OperationCanceledException)
        {
            // Client went away or the watch timed out: the stream just ends, as the apiserver's does.
        }
    }

    private static JsonObject Bookmark(ResourceType type, string resourceVersion, bool initialEventsEnd)
    {
        var metadata = new JsonObject { ["resourceVersion"] = resourceVersion };
        if (initialEventsEnd)
        {
            metadata["annotations"] = new JsonObject { ["k8s.io/initial-events-end"] = "true" };
        }

        return new JsonObject
        {
            ["type"] = "BOOKMARK",
            ["object"] = new JsonObject { ["kind"] = type.Kind, ["apiVersion"] = type.ApiVersion, ["metadata"] = metadata },
        };
    }

    private static async Task WriteEventAsync(HttpContext context, JsonObject watchEvent)
    {
        var writer = new Utf8JsonWriter(context.Response.BodyWriter, ApiResponses.WriterOptions);
        await using (writer.ConfigureAwait(false))
        {
            watchEvent.WriteTo(writer);
        }

        context.Response.BodyWriter.Write("\n"u8);
        await context.Response.BodyWriter.FlushAsync(context.RequestAborted);
    }
}
