using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

namespace LabNet.Simulator.Kubernetes;

/// <summary>
/// One simulated cluster's API server: the object store, the served resources, and the verbs. Writes go through
/// <see cref="ObjectWritePipeline"/>, deletions through <see cref="ObjectDeletion"/>. The HTTP layer and the rest of
/// the twin go through the same methods.
/// </summary>
public sealed class ClusterApi : IClusterApi, IDisposable
{
    private readonly Func<Uri> _server;
    private readonly ILogger _logger;
    private readonly ObjectWritePipeline _writes;
    private readonly ObjectDeletion _deletion;
    private ApiServerAvailability _availability = ApiServerAvailability.Up;
    private IPodNetwork _podNetwork = NoCniPodNetwork.Instance;

    public ClusterApi(ClusterBootstrap bootstrap, Func<Uri> server, TimeProvider time, ILogger logger, int seed)
    {
        Bootstrap = bootstrap;
        _server = server;
        _logger = logger;
        Time = time;
        Names = new GeneratedNames(seed, time);
        Addresses = new ServiceAddressAllocator(bootstrap.ServiceCidr, new Random(unchecked(seed * 31 + 13)));
        _writes = new ObjectWritePipeline(this);
        _deletion = new ObjectDeletion(this);
        Controllers = new ClusterControllers(this, logger);
        Controllers.Start();
        DefaultObjects.Create(this);
    }

    public ClusterBootstrap Bootstrap { get; }

    public Uri Server => _server();

    public ClusterObjectStore Store { get; } = new();

    public ResourceCatalog Catalog { get; } = new();

    public TimeProvider Time { get; }

    internal GeneratedNames Names { get; }

    internal ServiceAddressAllocator Addresses { get; }

    internal ClusterControllers Controllers { get; }

    public ApiServerAvailability Availability
    {
        get => _availability;
        set
        {
            _availability = value;
            if (!value.Serving)
            {
                Store.DisconnectClients();
            }

            _logger.LogInformation("API server of cluster {Cluster} is {State}{Reason}", Bootstrap.Name,
                value.Serving ? "serving" : "not serving", value.Reason is null ? "" : ": " + value.Reason);
        }
    }

    /// <summary>The CNI the kubelets use for pod sandboxes; setting it (Cilium's install does) re-runs pending pods.</summary>
    public IPodNetwork PodNetwork
    {
        get => _podNetwork;
        set
        {
            _podNetwork = value;
            Controllers.PodNetworkChanged();
        }
    }

    public string Now() => Time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    internal EventRecorder Events => new(this);

    // ---- IClusterApi (for the rest of the twin): clones in and out, no HTTP-only rules ----

    public JsonObject? Get(string apiVersion, string kind, string? @namespace, string name)
    {
        var type = Resolve(apiVersion, kind);
        return Store.Get(type.StorageKey, type.Namespaced ? @namespace : null, name)?.DeepClone().AsObject();
    }

    public IReadOnlyList<JsonObject> List(string apiVersion, string kind, string? @namespace = null)
    {
        var type = Resolve(apiVersion, kind);
        return [.. Store.List(type.StorageKey, type.Namespaced ? @namespace : null).Items.Select(o => o.DeepClone().AsObject())];
    }

    public JsonObject Apply(JsonObject obj)
    {
        var apiVersion = obj["apiVersion"]?.GetValue<string>() ?? throw new ArgumentException("The object has no apiVersion.", nameof(obj));
        var kind = obj["kind"]?.GetValue<string>() ?? throw new ArgumentException("The object has no kind.", nameof(obj));
        var type = Resolve(apiVersion, kind);
        var name = obj["metadata"]?["name"]?.GetValue<string>() ?? throw new ArgumentException($"The {kind} has no metadata.name.", nameof(obj));
        var @namespace = type.Namespaced
            ? obj["metadata"]?["namespace"]?.GetValue<string>() ?? throw new ArgumentException($"The {kind} '{name}' is namespaced but has no metadata.namespace.", nameof(obj))
            : null;
        lock (Store.Gate)
        {
            var existing = Store.Get(type.StorageKey, @namespace, name);
            var options = new WriteOptions(FieldValidation: FieldValidation.Ignore);
            var body = (JsonObject)obj.DeepClone();
            body["metadata"]!.AsObject().Remove("resourceVersion");
            return (JsonObject)_writes.Write(type, @namespace, body, existing, subresource: null, options, trusted: true).DeepClone();
        }
    }

    public bool Delete(string apiVersion, string kind, string? @namespace, string name)
    {
        var type = Resolve(apiVersion, kind);
        try
        {
            Delete(type, type.Namespaced ? @namespace : null, name, WriteOptions.Default, null);
            return true;
        }
        catch (KubernetesApiException e) when (e.Code == 404)
        {
            return false;
        }
    }

    public IDisposable AddAdmissionPlugin(IAdmissionPlugin plugin) => _writes.AddAdmissionPlugin(plugin);

    public IDisposable Subscribe(Action<ClusterObjectChange> onChange)
    {
        var watcher = Store.Watch(null, null, _ => true, Store.ResourceVersion);
        _ = Task.Run(async () =>
        {
            await foreach (var change in watcher.Events.ReadAllAsync())
            {
                try
                {
                    onChange(new ClusterObjectChange(change.Type, (JsonObject)change.Object.DeepClone()));
                }
                catch (Exception e)
                {
                    _logger.LogError(e, "A subscriber of cluster {Cluster} failed on a {Type} change", Bootstrap.Name, change.Type);
                }
            }
        });
        return watcher;
    }

    private ResourceType Resolve(string apiVersion, string kind) =>
        Catalog.FindByKind(apiVersion, kind)
        ?? throw new InvalidOperationException(
            $"no matches for kind \"{kind}\" in version \"{apiVersion}\" in cluster '{Bootstrap.Name}': register its CustomResourceDefinition first");

    // ---- The API server's verbs (HTTP and controllers) ----

    public JsonObject GetObject(ResourceType type, string? @namespace, string name) =>
        Store.Get(type.StorageKey, @namespace, name) ?? throw KubernetesApiException.NotFound(type, name);

    public (List<JsonObject> Items, long ResourceVersion) ListObjects(ResourceType type, string? @namespace, LabelSelector labels, FieldSelector fields) =>
        Store.List(type.StorageKey, @namespace, o => labels.MatchesObject(o) && fields.Matches(o));

    public JsonObject Create(ResourceType type, string? @namespace, JsonObject body, WriteOptions options)
    {
        lock (Store.Gate)
        {
            return _writes.Write(type, @namespace, (JsonObject)body.DeepClone(), null, null, options, trusted: false);
        }
    }

    public JsonObject Replace(ResourceType type, string? @namespace, string name, JsonObject body, string? subresource, WriteOptions options)
    {
        lock (Store.Gate)
        {
            var existing = GetObject(type, @namespace, name);
            var obj = (JsonObject)body.DeepClone();
            ObjectWritePipeline.CheckNameMatchesUrl(obj, name);
            var resourceVersion = obj["metadata"]?["resourceVersion"]?.GetValue<string>();
            if (string.IsNullOrEmpty(resourceVersion))
            {
                throw KubernetesApiException.Invalid(type, name,
                    FieldError.InvalidValue("metadata.resourceVersion", "0x0", "must be specified for an update"));
            }

            return _writes.Write(type, @namespace, obj, existing, subresource, options, trusted: false);
        }
    }

    public JsonObject Patch(ResourceType type, string? @namespace, string name, string contentType, JsonNode? patch, string? subresource, WriteOptions options)
    {
        lock (Store.Gate)
        {
            var existing = Store.Get(type.StorageKey, @namespace, name);
            if (existing is null)
            {
                if (contentType == PatchTypes.Apply && patch is JsonObject applied)
                {
                    ObjectWritePipeline.RequireFieldManager(options);
                    applied["metadata"] ??= new JsonObject();
                    applied["metadata"]!["name"] ??= name;
                    return _writes.Write(type, @namespace, (JsonObject)applied.DeepClone(), null, null, options, trusted: false);
                }

                throw KubernetesApiException.NotFound(type, name);
            }

            var current = (JsonObject)existing.DeepClone();
            JsonNode patched;
            try
            {
                patched = contentType switch
                {
                    PatchTypes.Json => JsonPatch.Apply(current, patch),
                    PatchTypes.Merge => JsonMergePatch.Apply(current, patch) ?? new JsonObject(),
                    PatchTypes.Strategic when type.IsBuiltIn => StrategicMergePatch.Apply(current, AsObject(patch), type.Schema),
                    PatchTypes.Apply when ObjectWritePipeline.RequireFieldManager(options) => type.IsBuiltIn
                        ? StrategicMergePatch.Apply(current, AsObject(patch), type.Schema)
                        : JsonMergePatch.Apply(current, patch) ?? new JsonObject(),
                    _ => throw KubernetesApiException.UnsupportedMediaType(contentType, PatchTypes.Json, PatchTypes.Merge, PatchTypes.Apply),
                };
            }
            catch (JsonPatchException e)
            {
                throw new KubernetesApiException(422, "Invalid", e.Message);
            }

            if (patched is not JsonObject patchedObject)
            {
                throw KubernetesApiException.BadRequest("the patch did not produce an object");
            }

            ObjectWritePipeline.CheckNameMatchesUrl(patchedObject, name);
            return _writes.Write(type, @namespace, patchedObject, existing, subresource, options, trusted: false, isPatch: true);
        }
    }

    public JsonObject Delete(ResourceType type, string? @namespace, string name, WriteOptions options, JsonObject? deleteOptions)
    {
        lock (Store.Gate)
        {
            var existing = GetObject(type, @namespace, name);
            var preconditions = deleteOptions?["preconditions"];
            if (preconditions?["resourceVersion"]?.GetValue<string>() is { } rv && rv != existing["metadata"]!["resourceVersion"]!.GetValue<string>())
            {
                throw KubernetesApiException.Conflict(type, name);
            }

            if (preconditions?["uid"]?.GetValue<string>() is { } uid && uid != existing["metadata"]!["uid"]!.GetValue<string>())
            {
                throw new KubernetesApiException(409, "Conflict",
                    $"Operation cannot be fulfilled on {type.QualifiedName} \"{name}\": Precondition failed: UID in precondition: {uid}, UID in object meta: {existing["metadata"]!["uid"]}");
            }

            if (options.DryRun)
            {
                return existing;
            }

            var orphan = deleteOptions?["propagationPolicy"]?.GetValue<string>() == "Orphan" || deleteOptions?["orphanDependents"]?.GetValue<bool>() == true;
            return _deletion.Remove(type, existing, orphan)!;
        }
    }

    public List<JsonObject> DeleteCollection(ResourceType type, string? @namespace, LabelSelector labels, FieldSelector fields, WriteOptions options)
    {
        lock (Store.Gate)
        {
            var (items, _) = ListObjects(type, @namespace, labels, fields);
            return options.DryRun ? items : [.. items.Select(i => _deletion.Remove(type, i, orphan: false)!)];
        }
    }

    /// <summary>Starts a watch of one resource; the caller disposes it.</summary>
    public StoreWatcher Watch(ResourceType type, string? @namespace, LabelSelector labels, FieldSelector fields, long? fromResourceVersion, bool sendInitialEvents) =>
        Store.Watch(type.StorageKey, @namespace, o => labels.MatchesObject(o) && fields.Matches(o), fromResourceVersion, sendInitialEvents, isClient: true);

    // ---- For the simulator's controllers: trusted writes (status kept, no strict validation) ----

    /// <summary>Read-modify-write of one object under the store's gate; <paramref name="change"/> returns false for "no change".</summary>
    internal JsonObject? Mutate(ResourceType type, string? @namespace, string name, Func<JsonObject, bool> change)
    {
        lock (Store.Gate)
        {
            var existing = Store.Get(type.StorageKey, @namespace, name);
            if (existing is null)
            {
                return null;
            }

            var copy = (JsonObject)existing.DeepClone();
            return change(copy) ? _writes.Write(type, @namespace, copy, existing, null, WriteOptions.Default, trusted: true) : existing;
        }
    }

    internal JsonObject CreateTrusted(ResourceType type, string? @namespace, JsonObject obj)
    {
        lock (Store.Gate)
        {
            return _writes.Write(type, @namespace, obj, null, null, WriteOptions.Default, trusted: true);
        }
    }

    internal void DeleteTrusted(ResourceType type, string? @namespace, string name)
    {
        lock (Store.Gate)
        {
            if (Store.Get(type.StorageKey, @namespace, name) is { } existing)
            {
                _deletion.Remove(type, existing, orphan: false);
            }
        }
    }

    /// <summary>The namespace controller's last step: delete everything in a Terminating namespace, then the namespace.</summary>
    internal void FinalizeNamespace(string name)
    {
        lock (Store.Gate)
        {
            _deletion.FinalizeNamespace(name);
        }
    }

    private static JsonObject AsObject(JsonNode? patch) =>
        patch as JsonObject ?? throw KubernetesApiException.BadRequest("json: cannot unmarshal array into Go value of type map[string]interface {}");

    public void Dispose()
    {
        Store.DisconnectClients();
        Controllers.Dispose();
    }
}
