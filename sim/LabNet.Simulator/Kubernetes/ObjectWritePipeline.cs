using System.Text.Json.Nodes;

namespace LabNet.Simulator.Kubernetes;

/// <summary>
/// The apiserver's path from a request body to a stored object: type fields, schema (pruning and strict validation),
/// namespace and name, resourceVersion preconditions, status subresource rules, generation, defaulting, admission
/// plugins, validation, and the store. Callers hold the store's gate.
/// </summary>
internal sealed class ObjectWritePipeline(ClusterApi cluster)
{
    private volatile IAdmissionPlugin[] _admissionPlugins = [];

    public IDisposable AddAdmissionPlugin(IAdmissionPlugin plugin)
    {
        ArgumentNullException.ThrowIfNull(plugin);
        lock (cluster.Store.Gate)
        {
            _admissionPlugins = [.. _admissionPlugins, plugin];
        }

        return new AdmissionRegistration(this, plugin);
    }

    private sealed class AdmissionRegistration(ObjectWritePipeline pipeline, IAdmissionPlugin plugin) : IDisposable
    {
        public void Dispose()
        {
            lock (pipeline.Gate)
            {
                pipeline._admissionPlugins = [.. pipeline._admissionPlugins.Where(p => !ReferenceEquals(p, plugin))];
            }
        }
    }

    private Lock Gate => cluster.Store.Gate;

    /// <summary>
    /// Stores <paramref name="obj"/> as a create (<paramref name="existing"/> null) or an update. A trusted write (the
    /// twin's own controllers) keeps the status it is given and skips strict field checks and validation.
    /// </summary>
    public JsonObject Write(ResourceType type, string? @namespace, JsonObject obj, JsonObject? existing, string? subresource, WriteOptions options,
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
            if (cluster.Store.Get(type.StorageKey, metadata["namespace"]?.GetValue<string>(), name) is not null)
            {
                throw KubernetesApiException.AlreadyExists(type, name);
            }

            if (!trusted && type.HasStatusSubresource && type.Kind is not ("Node" or "Namespace"))
            {
                obj.Remove("status");
            }

            metadata["uid"] = cluster.Names.NewUid();
            metadata["creationTimestamp"] = cluster.Now();
            metadata.Remove("resourceVersion");
            metadata.Remove("deletionTimestamp");
            if (type.TracksGeneration)
            {
                metadata["generation"] = 1L;
            }
        }
        else
        {
            obj = KeepServerFields(type, obj, existing, subresource, trusted);
        }

        BuiltInDefaults.Apply(cluster, type, obj, existing);
        CustomResourceAdmission.Default(type, obj);
        if (subresource is null)
        {
            foreach (var plugin in _admissionPlugins)
            {
                plugin.Admit(new AdmissionRequest(existing is null ? "CREATE" : "UPDATE", type.ApiVersion, type.Kind,
                    obj["metadata"]?["namespace"]?.GetValue<string>(), obj, existing, cluster));
            }
        }

        if (!trusted)
        {
            AdmissionRules.Validate(type, obj, existing);
        }

        var isCrd = type.Kind == "CustomResourceDefinition" && type.IsBuiltIn;
        if (isCrd)
        {
            CustomResourceAcceptance.Accept(obj, cluster.Now());
        }

        if (existing is not null && JsonNode.DeepEquals(obj, existing))
        {
            return existing;
        }

        if (options.DryRun)
        {
            return obj;
        }

        var stored = cluster.Store.Put(type.StorageKey, obj);
        if (isCrd)
        {
            CustomResourceAcceptance.Serve(cluster.Catalog, stored);
        }

        return stored;
    }

    /// <summary>An update keeps what the server owns: identity, creation time, resourceVersion (checked), status or spec by subresource, generation.</summary>
    private static JsonObject KeepServerFields(ResourceType type, JsonObject obj, JsonObject existing, string? subresource, bool trusted)
    {
        var metadata = (JsonObject)obj["metadata"]!;
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

        return obj;
    }

    /// <summary>A PUT or PATCH names the object in the URL; a different name in the body is a bad request.</summary>
    public static void CheckNameMatchesUrl(JsonObject obj, string name)
    {
        var inBody = obj["metadata"]?["name"]?.GetValue<string>();
        if (inBody is not null && inBody != name)
        {
            throw KubernetesApiException.BadRequest($"the name of the object ({inBody}) does not match the name on the URL ({name})");
        }
    }

    /// <summary>Server-side apply needs a field manager (kubectl sends one).</summary>
    public static bool RequireFieldManager(WriteOptions options) =>
        !string.IsNullOrEmpty(options.FieldManager)
            ? true
            : throw new KubernetesApiException(422, "Invalid",
                "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply patch",
                new JsonObject { ["group"] = "meta.k8s.io", ["kind"] = "PatchOptions" });

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
            var namespaceObject = cluster.Store.Get("namespaces.", null, resolved) ?? throw KubernetesApiException.NamespaceNotFound(resolved);
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

        metadata["name"] = prefix + cluster.Names.RandomSuffix(5);
    }

    private static bool SpecChanged(JsonObject before, JsonObject after)
    {
        static IEnumerable<KeyValuePair<string, JsonNode?>> Body(JsonObject o) =>
            o.Where(p => p.Key is not ("metadata" or "status" or "apiVersion" or "kind"));

        var a = Body(before).ToDictionary(p => p.Key, p => p.Value);
        var b = Body(after).ToDictionary(p => p.Key, p => p.Value);
        return a.Count != b.Count || a.Any(p => !b.TryGetValue(p.Key, out var v) || !JsonNode.DeepEquals(p.Value, v));
    }
}
