using System.Globalization;
using System.Text.Json.Nodes;

namespace LabNet.Simulator.Kubernetes;

/// <summary>
/// The resource verbs of the REST API: list, create and deletecollection on a collection; get, update, patch and
/// delete on an object; the status and scale subresources; <c>?dryRun</c>, <c>?fieldValidation</c>, <c>?fieldManager</c>.
/// </summary>
public sealed class ResourceRequests(WatchRequests watches, TimeProvider time)
{
    /// <summary>The <c>HttpContext.Items</c> key of the resource a request addressed, for the request metric.</summary>
    public const string ResourceItem = "LabNet.Kubernetes.Resource";

    public async Task ServeAsync(HttpContext context, ClusterApi cluster, string group, string version, string[] rest)
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
                    await watches.WatchAsync(context, cluster, type, ns, labels, fields);
                    return;
                case "GET":
                {
                    var (items, rv) = cluster.ListObjects(type, ns, labels, fields);
                    await ApiResponses.WriteListAsync(context, type, time.GetUtcNow(), items, rv);
                    return;
                }

                case "POST":
                {
                    var created = cluster.Create(type, ns, await ApiResponses.ReadObjectAsync(context), options);
                    await ApiResponses.WriteObjectAsync(context, type, time.GetUtcNow(), options.DryRun ? 200 : 201, created, options);
                    return;
                }

                case "DELETE":
                {
                    var deleted = cluster.DeleteCollection(type, ns, labels, fields, options);
                    await ApiResponses.WriteListAsync(context, type, time.GetUtcNow(), deleted, cluster.Store.ResourceVersion);
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
                await ApiResponses.WriteObjectAsync(context, type, time.GetUtcNow(), 200, cluster.GetObject(type, ns, name), options);
                return;
            case "PUT":
                await ApiResponses.WriteObjectAsync(context, type, time.GetUtcNow(), 200, cluster.Replace(type, ns, name, await ApiResponses.ReadObjectAsync(context), subresource, options), options);
                return;
            case "PATCH":
            {
                var contentType = (context.Request.ContentType ?? "").Split(';')[0].Trim();
                var patch = await ApiResponses.ReadJsonAsync(context);
                await ApiResponses.WriteObjectAsync(context, type, time.GetUtcNow(), 200, cluster.Patch(type, ns, name, contentType, patch, subresource, options), options);
                return;
            }

            case "DELETE" when subresource is null:
            {
                var body = context.Request.ContentLength is > 0 || context.Request.Headers.TransferEncoding.Count > 0
                    ? await ApiResponses.ReadJsonAsync(context) as JsonObject
                    : null;
                await ApiResponses.WriteObjectAsync(context, type, time.GetUtcNow(), 200, cluster.Delete(type, ns, name, options, body), options);
                return;
            }
        }

        throw KubernetesApiException.MethodNotSupported(type, method);
    }

    /// <summary>A resource of an extension API server (kube-aggregator's proxying): get and list only, 503 while it is unavailable.</summary>
    private async Task AggregatedAsync(HttpContext context, ClusterApi cluster, ResourceType type, AggregatedApi api, string? ns, string[] rest)
    {
        if (!api.Available)
        {
            throw AggregatedApi.Unavailable();
        }

        if (context.Request.Method != "GET" || rest.Length > 2 || context.Request.Query["watch"] is var watch && (watch == "true" || watch == "1"))
        {
            throw KubernetesApiException.MethodNotSupported(type, context.Request.Method == "GET" ? "watch" : context.Request.Method.ToLowerInvariant());
        }

        if (rest.Length == 1)
        {
            await ApiResponses.WriteListAsync(context, type, time.GetUtcNow(), api.List(type, ns, LabelSelector.Parse(context.Request.Query["labelSelector"])),
                cluster.Store.ResourceVersion);
        }
        else
        {
            await ApiResponses.WriteObjectAsync(context, type, time.GetUtcNow(), 200, api.Get(type, ns, rest[1]), WriteOptions.Default);
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
                await ApiResponses.WriteAsync(context, 200, Scale(cluster.GetObject(type, ns, name)));
                return;
            case "PUT" or "PATCH":
            {
                var current = Scale(cluster.GetObject(type, ns, name));
                var body = context.Request.Method == "PUT"
                    ? await ApiResponses.ReadObjectAsync(context)
                    : JsonMergePatch.Apply(current, await ApiResponses.ReadJsonAsync(context)) as JsonObject ?? current;
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
                await ApiResponses.WriteAsync(context, 200, Scale(updated));
                return;
            }
        }

        throw KubernetesApiException.MethodNotSupported(type, context.Request.Method);
    }
}
