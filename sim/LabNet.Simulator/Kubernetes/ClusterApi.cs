using System.Globalization;
using System.Text.Json.Nodes;
using LabNet.Simulator.Kubernetes.Admission;
using Microsoft.Extensions.Logging;

namespace LabNet.Simulator.Kubernetes;

/// <summary>
/// One simulated cluster's API server: the object store, the served resources, and the apiserver's write semantics
/// (defaulting, validation, generation, resourceVersion preconditions, status subresources, garbage collection).
/// The HTTP layer and the rest of the twin go through the same methods.
/// </summary>
public sealed class ClusterApi : IClusterApi, IDisposable
{
    private readonly Func<Uri> _server;
    private readonly ILogger _logger;
    private ApiServerAvailability _availability = ApiServerAvailability.Up;
    private volatile IAdmissionPlugin[] _admissionPlugins = [];
    private IPodNetwork _podNetwork = NoCniPodNetwork.Instance;
    private readonly Random _uidRandom;

    public ClusterApi(ClusterBootstrap bootstrap, Func<Uri> server, TimeProvider time, ILogger logger, int seed)
    {
        Bootstrap = bootstrap;
        _server = server;
        _logger = logger;
        Time = time;
        // Separate seeded streams, so background work (uids of default ServiceAccounts) never shifts the names and
        // addresses a given sequence of requests gets.
        Random = new Random(seed);
        _uidRandom = new Random(unchecked(seed * 31 + 7));
        Addresses = new ServiceAddressAllocator(bootstrap.ServiceCidr, new Random(unchecked(seed * 31 + 13)));
        Controllers = new ClusterControllers(this, logger);
        Controllers.Start();
        CreateInitialObjects();
    }

    public ClusterBootstrap Bootstrap { get; }

    public Uri Server => _server();

    public ClusterObjectStore Store { get; } = new();

    public ResourceCatalog Catalog { get; } = new();

    public TimeProvider Time { get; }

    /// <summary>The cluster's seeded random source for generated names (pods, generateName): same seed and requests, same names.</summary>
    internal Random Random { get; }

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
            var stored = existing is null
                ? Write(type, @namespace, body, null, subresource: null, options, trusted: true)
                : Write(type, @namespace, body, existing, subresource: null, options, trusted: true);
            return (JsonObject)stored.DeepClone();
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

    public IDisposable AddAdmissionPlugin(IAdmissionPlugin plugin)
    {
        ArgumentNullException.ThrowIfNull(plugin);
        lock (Store.Gate)
        {
            _admissionPlugins = [.. _admissionPlugins, plugin];
        }

        return new AdmissionRegistration(this, plugin);
    }

    private sealed class AdmissionRegistration(ClusterApi cluster, IAdmissionPlugin plugin) : IDisposable
    {
        public void Dispose()
        {
            lock (cluster.Store.Gate)
            {
                cluster._admissionPlugins = [.. cluster._admissionPlugins.Where(p => !ReferenceEquals(p, plugin))];
            }
        }
    }

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
            return Write(type, @namespace, (JsonObject)body.DeepClone(), null, null, options, trusted: false);
        }
    }

    public JsonObject Replace(ResourceType type, string? @namespace, string name, JsonObject body, string? subresource, WriteOptions options)
    {
        lock (Store.Gate)
        {
            var existing = GetObject(type, @namespace, name);
            var obj = (JsonObject)body.DeepClone();
            CheckNameMatchesUrl(obj, name);
            var resourceVersion = obj["metadata"]?["resourceVersion"]?.GetValue<string>();
            if (string.IsNullOrEmpty(resourceVersion))
            {
                throw KubernetesApiException.Invalid(type, name,
                    FieldError.InvalidValue("metadata.resourceVersion", "0x0", "must be specified for an update"));
            }

            return Write(type, @namespace, obj, existing, subresource, options, trusted: false);
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
                    RequireFieldManager(type, options);
                    applied["metadata"] ??= new JsonObject();
                    applied["metadata"]!["name"] ??= name;
                    return Write(type, @namespace, (JsonObject)applied.DeepClone(), null, null, options, trusted: false);
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
                    PatchTypes.Apply when RequireFieldManager(type, options) => type.IsBuiltIn
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

            CheckNameMatchesUrl(patchedObject, name);
            return Write(type, @namespace, patchedObject, existing, subresource, options, trusted: false, isPatch: true);
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
            return Remove(type, existing, orphan)!;
        }
    }

    public List<JsonObject> DeleteCollection(ResourceType type, string? @namespace, LabelSelector labels, FieldSelector fields, WriteOptions options)
    {
        lock (Store.Gate)
        {
            var (items, _) = ListObjects(type, @namespace, labels, fields);
            return options.DryRun ? items : [.. items.Select(i => Remove(type, i, orphan: false)!)];
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
            return change(copy) ? Write(type, @namespace, copy, existing, null, WriteOptions.Default, trusted: true) : existing;
        }
    }

    internal JsonObject CreateTrusted(ResourceType type, string? @namespace, JsonObject obj)
    {
        lock (Store.Gate)
        {
            return Write(type, @namespace, obj, null, null, WriteOptions.Default, trusted: true);
        }
    }

    internal void DeleteTrusted(ResourceType type, string? @namespace, string name)
    {
        lock (Store.Gate)
        {
            if (Store.Get(type.StorageKey, @namespace, name) is { } existing)
            {
                Remove(type, existing, orphan: false);
            }
        }
    }

    // ---- Write path ----

    private JsonObject Write(ResourceType type, string? @namespace, JsonObject obj, JsonObject? existing, string? subresource, WriteOptions options,
        bool trusted, bool isPatch = false)
    {
        CheckTypeFields(type, obj);
        if (!trusted)
        {
            CheckFields(type, obj, options, isPatch);
        }

        var metadata = obj["metadata"] as JsonObject ?? new JsonObject();
        obj["metadata"] = metadata;
        ResolveNamespace(type, @namespace, metadata, existing is null);

        if (existing is null)
        {
            AssignName(type, metadata);
            var name = metadata["name"]!.GetValue<string>();
            AdmissionRules.ValidateName(type, name);
            if (Store.Get(type.StorageKey, metadata["namespace"]?.GetValue<string>(), name) is not null)
            {
                throw KubernetesApiException.AlreadyExists(type, name);
            }

            if (!trusted && type.HasStatusSubresource && type.Kind is not ("Node" or "Namespace"))
            {
                obj.Remove("status");
            }

            metadata["uid"] = NewUid();
            metadata["creationTimestamp"] = Now();
            metadata.Remove("resourceVersion");
            metadata.Remove("deletionTimestamp");
            if (type.TracksGeneration)
            {
                metadata["generation"] = 1L;
            }
        }
        else
        {
            var existingMetadata = existing["metadata"]!;
            var name = existingMetadata["name"]!.GetValue<string>();
            var sentVersion = metadata["resourceVersion"]?.GetValue<string>();
            if (!string.IsNullOrEmpty(sentVersion) && sentVersion != existingMetadata["resourceVersion"]!.GetValue<string>())
            {
                throw KubernetesApiException.Conflict(type, name);
            }

            if (subresource == "status")
            {
                var statusOnly = (JsonObject)existing.DeepClone();
                statusOnly["status"] = obj["status"]?.DeepClone();
                obj = statusOnly;
                metadata = (JsonObject)obj["metadata"]!;
            }
            else if (!trusted && type.HasStatusSubresource)
            {
                obj.Remove("status");
                if (existing["status"] is JsonNode status)
                {
                    obj["status"] = status.DeepClone();
                }
            }

            metadata["name"] = name;
            metadata["uid"] = existingMetadata["uid"]!.DeepClone();
            metadata["creationTimestamp"] = existingMetadata["creationTimestamp"]!.DeepClone();
            metadata["resourceVersion"] = existingMetadata["resourceVersion"]!.DeepClone();
            if (type.TracksGeneration)
            {
                var generation = ObjectFacts.Long(existingMetadata["generation"], 1);
                metadata["generation"] = SpecChanged(existing, obj) ? generation + 1 : generation;
            }
        }

        BuiltInDefaults.Apply(this, type, obj, existing);
        CustomResourceAdmission.Default(type, obj);
        if (subresource is null)
        {
            foreach (var plugin in _admissionPlugins)
            {
                plugin.Admit(new AdmissionRequest(existing is null ? "CREATE" : "UPDATE", type.ApiVersion, type.Kind,
                    obj["metadata"]?["namespace"]?.GetValue<string>(), obj, existing, this));
            }
        }

        if (!trusted)
        {
            AdmissionRules.Validate(type, obj, existing);
        }

        if (type.Kind == "CustomResourceDefinition" && type.IsBuiltIn)
        {
            AcceptCrd(obj);
        }

        if (existing is not null && JsonNode.DeepEquals(obj, existing))
        {
            return existing;
        }

        if (options.DryRun)
        {
            return obj;
        }

        var stored = Store.Put(type.StorageKey, obj);
        if (type.Kind == "CustomResourceDefinition" && type.IsBuiltIn)
        {
            Catalog.SetCustomResource(stored["metadata"]!["name"]!.GetValue<string>(), stored);
        }

        return stored;
    }

    private JsonObject? Remove(ResourceType type, JsonObject existing, bool orphan)
    {
        if (type.Kind == "Namespace" && type.IsBuiltIn)
        {
            // Like the real one: the namespace turns Terminating and the namespace controller empties and removes it.
            if (existing["metadata"]?["deletionTimestamp"] is not null)
            {
                return existing;
            }

            var terminating = (JsonObject)existing.DeepClone();
            terminating["metadata"]!["deletionTimestamp"] = Now();
            terminating["metadata"]!["deletionGracePeriodSeconds"] = 0;
            ((JsonObject)(terminating["status"] ??= new JsonObject()))["phase"] = "Terminating";
            return Store.Put(type.StorageKey, terminating);
        }

        return RemoveNow(type, existing, orphan);
    }

    /// <summary>The namespace controller's last step: delete everything in a Terminating namespace, then the namespace.</summary>
    internal void FinalizeNamespace(string name)
    {
        lock (Store.Gate)
        {
            var namespaces = Catalog.FindByPlural("", "v1", "namespaces")!;
            if (Store.Get(namespaces.StorageKey, null, name) is { } ns && ns["metadata"]?["deletionTimestamp"] is not null)
            {
                RemoveNow(namespaces, ns, orphan: false);
            }
        }
    }

    private JsonObject? RemoveNow(ResourceType type, JsonObject existing, bool orphan)
    {
        var metadata = existing["metadata"]!;
        var @namespace = metadata["namespace"]?.GetValue<string>();
        var name = metadata["name"]!.GetValue<string>();
        var uid = metadata["uid"]?.GetValue<string>();
        var removed = Store.Remove(type.StorageKey, @namespace, name);
        if (removed is null)
        {
            return null;
        }

        if (type.Kind == "Pod" && type.IsBuiltIn)
        {
            PodNetwork.Detach(removed);
        }

        if (type.Kind == "Namespace" && type.IsBuiltIn)
        {
            foreach (var namespacedType in Catalog.All.Where(t => t.Namespaced).DistinctBy(t => t.StorageKey))
            {
                foreach (var item in Store.List(namespacedType.StorageKey, name).Items)
                {
                    RemoveNow(namespacedType, item, orphan: true);
                }
            }
        }

        if (type.Kind == "CustomResourceDefinition" && type.IsBuiltIn)
        {
            var served = Catalog.All.FirstOrDefault(t => !t.IsBuiltIn && $"{t.Plural}.{t.Group}" == name);
            Catalog.SetCustomResource(name, null);
            if (served is not null)
            {
                foreach (var item in Store.List(served.StorageKey, null).Items)
                {
                    Store.Remove(served.StorageKey, item["metadata"]!["namespace"]?.GetValue<string>(), item["metadata"]!["name"]!.GetValue<string>());
                }
            }
        }

        if (!orphan && uid is not null)
        {
            // The garbage collector: dependents go with their owner (background propagation, done at once).
            foreach (var dependentType in Catalog.All.DistinctBy(t => t.StorageKey))
            {
                foreach (var dependent in Store.List(dependentType.StorageKey, dependentType.Namespaced ? @namespace : null,
                    o => o["metadata"]?["ownerReferences"] is JsonArray refs && refs.Any(r => r?["uid"]?.GetValue<string>() == uid)).Items)
                {
                    RemoveNow(dependentType, dependent, orphan: false);
                }
            }
        }

        return removed;
    }

    private static void CheckTypeFields(ResourceType type, JsonObject obj)
    {
        var apiVersion = obj["apiVersion"]?.GetValue<string>();
        var kind = obj["kind"]?.GetValue<string>();
        if (apiVersion is not null && apiVersion != type.ApiVersion)
        {
            throw KubernetesApiException.BadRequest($"the API version in the data ({apiVersion}) does not match the expected API version ({type.ApiVersion})");
        }

        if (kind is not null && kind != type.Kind)
        {
            throw KubernetesApiException.BadRequest($"the kind in the data ({kind}) does not match the expected kind ({type.Kind})");
        }

        obj.Remove("apiVersion");
        obj.Remove("kind");
        var ordered = obj.ToList();
        obj.Clear();
        obj["apiVersion"] = type.ApiVersion;
        obj["kind"] = type.Kind;
        foreach (var (key, value) in ordered)
        {
            obj[key] = value;
        }
    }

    private static void CheckFields(ResourceType type, JsonObject obj, WriteOptions options, bool isPatch)
    {
        var result = SchemaValidator.Validate(obj, type.Schema, prune: options.FieldValidation != FieldValidation.Strict);
        if (result.TypeErrors.Count > 0 && type.IsBuiltIn)
        {
            // A custom resource's wrong types are reported with its other validation errors (CustomResourceAdmission).
            throw KubernetesApiException.BadRequest(
                $"{type.Kind} in version \"{type.Version}\" cannot be handled as a {type.Kind}: {result.TypeErrors[0].Message}");
        }

        if (result.UnknownFields.Count == 0)
        {
            return;
        }

        var described = string.Join(", ", result.UnknownFields.Select(f => $"unknown field \"{f}\""));
        switch (options.FieldValidation)
        {
            case FieldValidation.Strict:
                throw KubernetesApiException.BadRequest(isPatch
                    ? $"strict decoding error: {described}"
                    : $"{type.Kind} in version \"{type.Version}\" cannot be handled as a {type.Kind}: strict decoding error: {described}");
            case FieldValidation.Warn:
                options.Warnings.AddRange(result.UnknownFields.Select(f => $"unknown field \"{f}\""));
                break;
        }
    }

    private void ResolveNamespace(ResourceType type, string? @namespace, JsonObject metadata, bool creating)
    {
        if (!type.Namespaced)
        {
            metadata.Remove("namespace");
            return;
        }

        var inBody = metadata["namespace"]?.GetValue<string>();
        if (!string.IsNullOrEmpty(inBody) && @namespace is not null && inBody != @namespace)
        {
            throw KubernetesApiException.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
        }

        var resolved = @namespace ?? inBody ?? throw KubernetesApiException.BadRequest("the namespace of the object is not set");
        metadata["namespace"] = resolved;
        if (creating)
        {
            var namespaceObject = Store.Get("namespaces.", null, resolved) ?? throw KubernetesApiException.NamespaceNotFound(resolved);
            if (namespaceObject["metadata"]?["deletionTimestamp"] is not null)
            {
                throw new KubernetesApiException(403, "Forbidden",
                    $"{type.QualifiedName} \"{metadata["name"]?.GetValue<string>() ?? metadata["generateName"]?.GetValue<string>()}\" is forbidden: unable to create new content in namespace {resolved} because it is being terminated",
                    new JsonObject { ["name"] = metadata["name"]?.DeepClone(), ["kind"] = type.Plural });
            }
        }
    }

    private void AssignName(ResourceType type, JsonObject metadata)
    {
        if (!string.IsNullOrEmpty(metadata["name"]?.GetValue<string>()))
        {
            return;
        }

        var prefix = metadata["generateName"]?.GetValue<string>();
        if (string.IsNullOrEmpty(prefix))
        {
            throw KubernetesApiException.Invalid(type, "", FieldError.Required("metadata.name", "name or generateName is required"));
        }

        metadata["name"] = prefix + RandomSuffix(5);
    }

    private static void CheckNameMatchesUrl(JsonObject obj, string name)
    {
        var inBody = obj["metadata"]?["name"]?.GetValue<string>();
        if (inBody is not null && inBody != name)
        {
            throw KubernetesApiException.BadRequest($"the name of the object ({inBody}) does not match the name on the URL ({name})");
        }
    }

    private static bool RequireFieldManager(ResourceType type, WriteOptions options) =>
        !string.IsNullOrEmpty(options.FieldManager)
            ? true
            : throw new KubernetesApiException(422, "Invalid",
                "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply patch",
                new JsonObject { ["group"] = "meta.k8s.io", ["kind"] = "PatchOptions" });

    private static JsonObject AsObject(JsonNode? patch) =>
        patch as JsonObject ?? throw KubernetesApiException.BadRequest("json: cannot unmarshal array into Go value of type map[string]interface {}");

    private static bool SpecChanged(JsonObject before, JsonObject after)
    {
        static IEnumerable<KeyValuePair<string, JsonNode?>> Body(JsonObject o) =>
            o.Where(p => p.Key is not ("metadata" or "status" or "apiVersion" or "kind"));

        var a = Body(before).ToDictionary(p => p.Key, p => p.Value);
        var b = Body(after).ToDictionary(p => p.Key, p => p.Value);
        return a.Count != b.Count || a.Any(p => !b.TryGetValue(p.Key, out var v) || !JsonNode.DeepEquals(p.Value, v));
    }

    private void AcceptCrd(JsonObject crd)
    {
        var spec = crd["spec"]!;
        var names = (JsonObject)spec["names"]!.DeepClone();
        names["singular"] ??= names["kind"]!.GetValue<string>().ToLowerInvariant();
        names["listKind"] ??= names["kind"]!.GetValue<string>() + "List";
        var storage = (spec["versions"] as JsonArray)!.First(v => v?["storage"]?.GetValue<bool>() == true)!["name"]!.GetValue<string>();
        var now = Now();
        crd["status"] = new JsonObject
        {
            ["acceptedNames"] = names,
            ["conditions"] = new JsonArray(
                Condition("NamesAccepted", "NoConflicts", "no conflicts found", now),
                Condition("Established", "InitialNamesAccepted", "the initial names have been accepted", now)),
            ["storedVersions"] = new JsonArray(storage),
        };
    }

    private static JsonObject Condition(string type, string reason, string message, string now) => new()
    {
        ["lastTransitionTime"] = now,
        ["message"] = message,
        ["reason"] = reason,
        ["status"] = "True",
        ["type"] = type,
    };

    private const string NameAlphabet = "bcdfghjklmnpqrstvwxz2456789";

    /// <summary>Suffixes like the apiserver's name generator (5 characters, no vowels), from the seeded source.</summary>
    internal string RandomSuffix(int length)
    {
        lock (Random)
        {
            return string.Create(length, Random, (span, random) =>
            {
                for (var i = 0; i < span.Length; i++)
                {
                    span[i] = NameAlphabet[random.Next(NameAlphabet.Length)];
                }
            });
        }
    }

    private long _lastEventNanos;

    /// <summary>Event names end in the time in hex nanoseconds, as client-go's recorder makes them, so they sort in time order.</summary>
    internal string NextEventSuffix()
    {
        var now = (Time.GetUtcNow() - DateTimeOffset.UnixEpoch).Ticks * 100;
        long next, last;
        do
        {
            last = Interlocked.Read(ref _lastEventNanos);
            next = Math.Max(now, last + 1);
        }
        while (Interlocked.CompareExchange(ref _lastEventNanos, next, last) != last);

        return next.ToString("x", CultureInfo.InvariantCulture);
    }

    internal EventRecorder Events => new(this);

    internal string NewUid()
    {
        var bytes = new byte[16];
        lock (_uidRandom)
        {
            _uidRandom.NextBytes(bytes);
        }

        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true).ToString();
    }

    private void CreateInitialObjects()
    {
        foreach (var ns in new[] { "default", "kube-node-lease", "kube-public", "kube-system" })
        {
            Apply(new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = ns } });
        }

        Apply(new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Service",
            ["metadata"] = new JsonObject
            {
                ["name"] = "kubernetes",
                ["namespace"] = "default",
                ["labels"] = new JsonObject { ["component"] = "apiserver", ["provider"] = "kubernetes" },
            },
            ["spec"] = new JsonObject
            {
                ["clusterIP"] = Addresses.First,
                ["ports"] = new JsonArray(new JsonObject { ["name"] = "https", ["port"] = 443, ["protocol"] = "TCP", ["targetPort"] = 6443 }),
            },
        });
        Apply(new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Endpoints",
            ["metadata"] = new JsonObject
            {
                ["name"] = "kubernetes",
                ["namespace"] = "default",
                ["labels"] = new JsonObject { ["endpointslice.kubernetes.io/skip-mirror"] = "true" },
            },
            ["subsets"] = new JsonArray(new JsonObject
            {
                ["addresses"] = new JsonArray(new JsonObject { ["ip"] = Bootstrap.AdvertiseAddress }),
                ["ports"] = new JsonArray(new JsonObject { ["name"] = "https", ["port"] = 6443, ["protocol"] = "TCP" }),
            }),
        });
    }

    public void Dispose()
    {
        Store.DisconnectClients();
        Controllers.Dispose();
    }
}

/// <summary>The patch content types the API accepts.</summary>
public static class PatchTypes
{
    public const string Json = "application/json-patch+json";
    public const string Merge = "application/merge-patch+json";
    public const string Strategic = "application/strategic-merge-patch+json";
    public const string Apply = "application/apply-patch+yaml";
}
