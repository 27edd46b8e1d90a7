using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace LabNet.Simulator.Kubernetes;

/// <summary>Registers the simulated Kubernetes API servers and serves them at <c>/clusters/&lt;name&gt;/...</c>.</summary>
public static class KubernetesApiEndpoints
{
    public static IServiceCollection AddKubernetesApi(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<KubernetesApiOptions>()
            .BindConfiguration(KubernetesApiOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton<ClusterApiRegistry>();
        services.TryAddSingleton<IClusterApiRegistry>(sp => sp.GetRequiredService<ClusterApiRegistry>());
        services.AddMetrics();
        services.TryAddSingleton<KubernetesApiMetrics>();
        services.TryAddSingleton<KubernetesApiRequestHandler>();
        return services;
    }

    public static IEndpointRouteBuilder MapKubernetesApi(this IEndpointRouteBuilder endpoints)
    {
        var handler = endpoints.ServiceProvider.GetRequiredService<KubernetesApiRequestHandler>();
        endpoints.Map("/clusters/{cluster}/{**path}", (HttpContext context, string cluster, string? path) =>
            handler.HandleAsync(context, cluster, path ?? ""));
        return endpoints;
    }
}

/// <summary>
/// Routes one request of the Kubernetes REST API (discovery, OpenAPI, the resource verbs, watch) to the cluster's
/// <see cref="ClusterApi"/> and writes the answer the way the apiserver does (objects, lists, Tables, Status errors).
/// </summary>
public sealed class KubernetesApiRequestHandler(
    ClusterApiRegistry registry,
    TimeProvider time,
    KubernetesApiMetrics metrics,
    ILogger<KubernetesApiRequestHandler> logger)
{
    private const string ResourceItem = "LabNet.Kubernetes.Resource";

    // Like Go's encoder: quotes come out as \" rather than \u0022, so bodies read the same as a real apiserver's.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly TimeSpan DefaultWatchTimeout = TimeSpan.FromMinutes(30);
    private static readonly TimeSpan BookmarkInterval = TimeSpan.FromSeconds(60);

    public async Task HandleAsync(HttpContext context, string clusterName, string path)
    {
        var cluster = registry.FindApi(clusterName);
        if (cluster is null)
        {
            logger.LogWarning("Refused {Method} /clusters/{Cluster}/{Path}: no such cluster (connection aborted, like a host with no API server)",
                context.Request.Method, clusterName, path);
            context.Abort();
            return;
        }

        if (!cluster.Availability.Serving)
        {
            logger.LogWarning("Refused {Method} /clusters/{Cluster}/{Path}: the API server is down ({Reason})",
                context.Request.Method, clusterName, path, cluster.Availability.Reason);
            context.Abort();
            return;
        }

        try
        {
            await DispatchAsync(context, cluster, path.Split('/', StringSplitOptions.RemoveEmptyEntries));
        }
        catch (KubernetesApiException e)
        {
            await WriteAsync(context, e.Code, e.ToStatus());
        }
        catch (JsonException e)
        {
            await WriteAsync(context, 400, KubernetesApiException.BadRequest($"error decoding request body: {e.Message}").ToStatus());
        }
        catch (Exception e) when (e is not OperationCanceledException && !context.Response.HasStarted)
        {
            logger.LogError(e, "{Method} /clusters/{Cluster}/{Path} failed", context.Request.Method, clusterName, path);
            await WriteAsync(context, 500, new KubernetesApiException(500, "InternalError", $"Internal error occurred: {e.Message}").ToStatus());
        }
        finally
        {
            metrics.Request(clusterName, context.Request.Method, context.Items[ResourceItem] as string ?? "", context.Response.StatusCode);
        }
    }

    private async Task DispatchAsync(HttpContext context, ClusterApi cluster, string[] segments)
    {
        var method = context.Request.Method;
        if (segments.Length == 0)
        {
            await WriteAsync(context, 200, new JsonObject { ["paths"] = new JsonArray("/api", "/api/v1", "/apis", "/openapi/v3", "/version") });
            return;
        }

        switch (segments)
        {
            case ["version"]:
                await WriteAsync(context, 200, DiscoveryDocuments.Version(cluster.Bootstrap));
                return;
            case ["api"]:
                await WriteAsync(context, 200, DiscoveryDocuments.CoreVersions(cluster.Bootstrap));
                return;
            case ["apis"]:
                await WriteAsync(context, 200, DiscoveryDocuments.GroupList(cluster.Catalog));
                return;
            case ["apis", var group]:
                await WriteAsync(context, 200, DiscoveryDocuments.GroupDocument(cluster.Catalog, group) ?? throw KubernetesApiException.ResourceNotFound());
                return;
            case ["api", var v] when method == "GET":
                await WriteAsync(context, 200, DiscoveryDocuments.ResourceList(cluster.Catalog, "", v) ?? throw KubernetesApiException.ResourceNotFound());
                return;
            case ["apis", var group, var v] when method == "GET":
                await WriteAsync(context, 200, DiscoveryDocuments.ResourceList(cluster.Catalog, group, v) ?? throw KubernetesApiException.ResourceNotFound());
                return;
            case ["openapi", "v2"]:
                await OpenApiV2Async(context, cluster);
                return;
            case ["openapi", "v3"]:
                await WriteAsync(context, 200, OpenApiDocuments.Index(cluster.Catalog, cluster.Bootstrap, $"/clusters/{cluster.Bootstrap.Name}"));
                return;
            case ["openapi", "v3", "api", var v]:
                await WriteAsync(context, 200, OpenApiDocuments.ForGroupVersion(cluster.Catalog, cluster.Bootstrap, "", v) ?? throw KubernetesApiException.ResourceNotFound());
                return;
            case ["openapi", "v3", "apis", var group, var v]:
                await WriteAsync(context, 200, OpenApiDocuments.ForGroupVersion(cluster.Catalog, cluster.Bootstrap, group, v) ?? throw KubernetesApiException.ResourceNotFound());
                return;
            case ["api", var v, .. var rest]:
                await ResourceAsync(context, cluster, "", v, rest);
                return;
            case ["apis", var group, var v, .. var rest]:
                await ResourceAsync(context, cluster, group, v, rest);
                return;
        }

        throw KubernetesApiException.ResourceNotFound();
    }

    /// <summary>
    /// The OpenAPI v2 document, which kubectl falls back to for kinds the v3 documents do not know (a kind whose CRD is
    /// missing). It holds no definitions: the schemas are published in v3, so kubectl skips client-side validation of
    /// an unknown kind and then reports "no matches for kind", as against a real cluster.
    /// </summary>
    private static async Task OpenApiV2Async(HttpContext context, ClusterApi cluster)
    {
        if (context.Request.Headers.Accept.ToString().Contains("protobuf", StringComparison.Ordinal))
        {
            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/octet-stream";
            // openapi_v2.Document { swagger: "2.0" }: field 1, wire type 2, length 3.
            await context.Response.Body.WriteAsync(new byte[] { 0x0A, 0x03, (byte)'2', (byte)'.', (byte)'0' });
            return;
        }

        await WriteAsync(context, 200, new JsonObject
        {
            ["swagger"] = "2.0",
            ["info"] = new JsonObject { ["title"] = "Kubernetes", ["version"] = cluster.Bootstrap.KubernetesVersion },
            ["paths"] = new JsonObject(),
            ["definitions"] = new JsonObject(),
        });
    }

    private async Task ResourceAsync(HttpContext context, ClusterApi cluster, string group, string version, string[] rest)
    {
        if (rest.Length == 0)
        {
            throw KubernetesApiException.ResourceNotFound();
        }

        string? ns = null;
        if (rest is ["namespaces", var maybeNs, var plural, ..] && cluster.Catalog.FindByPlural(group, version, plural) is { Namespaced: true })
        {
            ns = maybeNs;
            rest = rest[2..];
        }

        var type = cluster.Catalog.FindByPlural(group, version, rest[0]) ?? throw KubernetesApiException.ResourceNotFound();
        if (type.Namespaced && ns is null && rest.Length > 1)
        {
            throw KubernetesApiException.ResourceNotFound();
        }

        context.Items[ResourceItem] = type.QualifiedName;
        if (type.Aggregated is { } aggregated)
        {
            await AggregatedAsync(context, cluster, type, aggregated, ns, rest);
            return;
        }

        var name = rest.Length > 1 ? rest[1] : null;
        var subresource = rest.Length > 2 ? rest[2] : null;
        if (rest.Length > 3 || subresource is not (null or "status" or "scale") || (subresource == "status" && !type.HasStatusSubresource)
            || (subresource == "scale" && !type.HasScaleSubresource))
        {
            throw KubernetesApiException.ResourceNotFound();
        }

        var query = context.Request.Query;
        var options = new WriteOptions(
            DryRun: query["dryRun"].Any(v => v == "All"),
            FieldValidation: query["fieldValidation"].ToString() switch
            {
                "Strict" => FieldValidation.Strict,
                "Ignore" => FieldValidation.Ignore,
                "Warn" or "" => FieldValidation.Warn,
                var other => throw KubernetesApiException.BadRequest($"fieldValidation: Unsupported value: \"{other}\": supported values: \"Ignore\", \"Strict\", \"Warn\""),
            },
            FieldManager: query["fieldManager"].ToString() is { Length: > 0 } manager ? manager : null);
        var method = context.Request.Method;

        if (name is null)
        {
            var labels = LabelSelector.Parse(query["labelSelector"]);
            var fields = FieldSelector.Parse(query["fieldSelector"], type);
            switch (method)
            {
                case "GET" when query["watch"] is var watch && (watch == "true" || watch == "1"):
                    await WatchAsync(context, cluster, type, ns, labels, fields);
                    return;
                case "GET":
                {
                    var (items, rv) = cluster.ListObjects(type, ns, labels, fields);
                    await WriteListAsync(context, type, items, rv);
                    return;
                }

                case "POST":
                {
                    var created = cluster.Create(type, ns, await ReadObjectAsync(context), options);
                    await WriteObjectAsync(context, type, options.DryRun ? 200 : 201, created, options);
                    return;
                }

                case "DELETE":
                {
                    var deleted = cluster.DeleteCollection(type, ns, labels, fields, options);
                    await WriteListAsync(context, type, deleted, cluster.Store.ResourceVersion);
                    return;
                }
            }

            throw KubernetesApiException.MethodNotSupported(type, method);
        }

        if (subresource == "scale")
        {
            await ScaleAsync(context, cluster, type, ns, name, options);
            return;
        }

        switch (method)
        {
            case "GET":
                await WriteObjectAsync(context, type, 200, cluster.GetObject(type, ns, name), options);
                return;
            case "PUT":
                await WriteObjectAsync(context, type, 200, cluster.Replace(type, ns, name, await ReadObjectAsync(context), subresource, options), options);
                return;
            case "PATCH":
            {
                var contentType = (context.Request.ContentType ?? "").Split(';')[0].Trim();
                var patch = await ReadJsonAsync(context);
                await WriteObjectAsync(context, type, 200, cluster.Patch(type, ns, name, contentType, patch, subresource, options), options);
                return;
            }

            case "DELETE" when subresource is null:
            {
                var body = context.Request.ContentLength is > 0 || context.Request.Headers.TransferEncoding.Count > 0
                    ? await ReadJsonAsync(context) as JsonObject
                    : null;
                await WriteObjectAsync(context, type, 200, cluster.Delete(type, ns, name, options, body), options);
                return;
            }
        }

        throw KubernetesApiException.MethodNotSupported(type, method);
    }

    /// <summary>A resource of an extension API server (kube-aggregator's proxying): get and list only, 503 while it is unavailable.</summary>
    private async Task AggregatedAsync(HttpContext context, ClusterApi cluster, ResourceType type, Aggregation.AggregatedApi api, string? ns, string[] rest)
    {
        if (!api.Available)
        {
            throw Aggregation.AggregatedApi.Unavailable();
        }

        if (context.Request.Method != "GET" || rest.Length > 2 || context.Request.Query["watch"] is var watch && (watch == "true" || watch == "1"))
        {
            throw KubernetesApiException.MethodNotSupported(type, context.Request.Method == "GET" ? "watch" : context.Request.Method.ToLowerInvariant());
        }

        if (rest.Length == 1)
        {
            await WriteListAsync(context, type, api.List(type, ns, LabelSelector.Parse(context.Request.Query["labelSelector"])), cluster.Store.ResourceVersion);
        }
        else
        {
            await WriteObjectAsync(context, type, 200, api.Get(type, ns, rest[1]), WriteOptions.Default);
        }
    }

    private async Task ScaleAsync(HttpContext context, ClusterApi cluster, ResourceType type, string? ns, string name, WriteOptions options)
    {
        JsonObject Scale(JsonObject obj) => new()
        {
            ["kind"] = "Scale",
            ["apiVersion"] = "autoscaling/v1",
            ["metadata"] = new JsonObject
            {
                ["name"] = name,
                ["namespace"] = ns,
                ["uid"] = obj["metadata"]!["uid"]!.DeepClone(),
                ["resourceVersion"] = obj["metadata"]!["resourceVersion"]!.DeepClone(),
                ["creationTimestamp"] = obj["metadata"]!["creationTimestamp"]!.DeepClone(),
            },
            ["spec"] = new JsonObject { ["replicas"] = ObjectFacts.Int(obj["spec"]?["replicas"], 1) },
            ["status"] = new JsonObject
            {
                ["replicas"] = ObjectFacts.Int(obj["status"]?["replicas"]),
                ["selector"] = LabelSelector.FromJson(obj["spec"]?["selector"]).ToString(),
            },
        };

        switch (context.Request.Method)
        {
            case "GET":
                await WriteAsync(context, 200, Scale(cluster.GetObject(type, ns, name)));
                return;
            case "PUT" or "PATCH":
            {
                var current = Scale(cluster.GetObject(type, ns, name));
                var body = context.Request.Method == "PUT"
                    ? await ReadObjectAsync(context)
                    : JsonMergePatch.Apply(current, await ReadJsonAsync(context)) as JsonObject ?? current;
                var replicas = ObjectFacts.IsNumber(body["spec"]?["replicas"]) ? ObjectFacts.Int(body["spec"]?["replicas"]) : -1;
                if (replicas < 0)
                {
                    throw KubernetesApiException.Invalid(type, name, FieldError.InvalidValue("spec.replicas", replicas.ToString(CultureInfo.InvariantCulture), "must be greater than or equal to 0"));
                }

                var rv = body["metadata"]?["resourceVersion"]?.GetValue<string>();
                var patch = new JsonObject { ["spec"] = new JsonObject { ["replicas"] = replicas } };
                if (!string.IsNullOrEmpty(rv))
                {
                    patch["metadata"] = new JsonObject { ["resourceVersion"] = rv };
                }

                var updated = cluster.Patch(type, ns, name, PatchTypes.Merge, patch, null, options);
                await WriteAsync(context, 200, Scale(updated));
                return;
            }
        }

        throw KubernetesApiException.MethodNotSupported(type, context.Request.Method);
    }

    private async Task WatchAsync(HttpContext context, ClusterApi cluster, ResourceType type, string? ns, LabelSelector labels, FieldSelector fields)
    {
        var query = context.Request.Query;
        long? from = long.TryParse(query["resourceVersion"], out var rv) ? rv : null;
        var sendInitial = query["sendInitialEvents"] == "true";
        var bookmarks = query["allowWatchBookmarks"] == "true";
        var timeout = int.TryParse(query["timeoutSeconds"], out var seconds) && seconds > 0 ? TimeSpan.FromSeconds(seconds) : DefaultWatchTimeout;
        var asTable = WantsTable(context);
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
                    var obj = WithApiVersion(type, change.Object);
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
        var writer = new Utf8JsonWriter(context.Response.BodyWriter, WriterOptions);
        await using (writer.ConfigureAwait(false))
        {
            watchEvent.WriteTo(writer);
        }

        context.Response.BodyWriter.Write("\n"u8);
        await context.Response.BodyWriter.FlushAsync(context.RequestAborted);
    }

    private async Task WriteListAsync(HttpContext context, ResourceType type, List<JsonObject> items, long resourceVersion)
    {
        var rv = resourceVersion.ToString(CultureInfo.InvariantCulture);
        if (WantsTable(context))
        {
            await WriteAsync(context, 200, TablePrinter.Table(type, items.Select(i => WithApiVersion(type, i)), context.Request.Query["includeObject"].ToString(),
                time.GetUtcNow(), rv));
            return;
        }

        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        var writer = new Utf8JsonWriter(context.Response.BodyWriter, WriterOptions);
        await using (writer.ConfigureAwait(false))
        {
            writer.WriteStartObject();
            writer.WriteString("kind", type.ListKind);
            writer.WriteString("apiVersion", type.ApiVersion);
            writer.WriteStartObject("metadata");
            writer.WriteString("resourceVersion", rv);
            writer.WriteEndObject();
            writer.WriteStartArray("items");
            foreach (var item in items)
            {
                WithApiVersion(type, item).WriteTo(writer);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }
    }

    private async Task WriteObjectAsync(HttpContext context, ResourceType type, int status, JsonObject obj, WriteOptions options)
    {
        foreach (var warning in options.Warnings.Distinct())
        {
            context.Response.Headers.Append("Warning", $"299 - \"{warning.Replace("\"", "\\\"", StringComparison.Ordinal)}\"");
        }

        obj = WithApiVersion(type, obj);
        if (WantsTable(context) && context.Request.Method == "GET")
        {
            await WriteAsync(context, status, TablePrinter.Table(type, [obj], context.Request.Query["includeObject"].ToString(), time.GetUtcNow(),
                obj["metadata"]?["resourceVersion"]?.GetValue<string>()));
            return;
        }

        await WriteAsync(context, status, obj);
    }

    private static JsonObject WithApiVersion(ResourceType type, JsonObject obj)
    {
        if (obj["apiVersion"]?.GetValue<string>() == type.ApiVersion)
        {
            return obj;
        }

        var copy = (JsonObject)obj.DeepClone();
        copy["apiVersion"] = type.ApiVersion;
        return copy;
    }

    private static bool WantsTable(HttpContext context) =>
        context.Request.Headers.Accept.ToString().Contains("as=Table", StringComparison.Ordinal);

    private static async Task WriteAsync(HttpContext context, int status, JsonNode body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        var writer = new Utf8JsonWriter(context.Response.BodyWriter, WriterOptions);
        await using (writer.ConfigureAwait(false))
        {
            body.WriteTo(writer);
        }
    }

    private static async Task<JsonObject> ReadObjectAsync(HttpContext context) =>
        await ReadJsonAsync(context) as JsonObject
        ?? throw KubernetesApiException.BadRequest("Object 'Kind' is missing in the request body");

    private static async Task<JsonNode?> ReadJsonAsync(HttpContext context)
    {
        var contentType = context.Request.ContentType ?? "application/json";
        if (contentType.Contains("protobuf", StringComparison.Ordinal))
        {
            throw KubernetesApiException.UnsupportedMediaType(contentType, "application/json", "application/yaml");
        }

        return await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
    }
}
