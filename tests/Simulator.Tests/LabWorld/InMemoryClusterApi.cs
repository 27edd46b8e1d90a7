using System.Globalization;
using System.Text.Json.Nodes;
using LabNet.Simulator.Kubernetes;

namespace LabNet.Simulator.Tests.LabWorld;

/// <summary>
/// A small in-memory <see cref="IClusterApi"/> for the tool tests: a store keyed by apiVersion/kind/namespace/name with
/// resourceVersions and change notifications. The real one (with HTTP, watch and discovery) is the API server's.
/// </summary>
public sealed class InMemoryClusterApi(ClusterBootstrap bootstrap, Uri server) : IClusterApi
{
    private readonly Dictionary<(string ApiVersion, string Kind, string Namespace, string Name), JsonObject> _objects = [];
    private readonly List<Action<ClusterObjectChange>> _subscribers = [];
    private readonly Lock _sync = new();
    private long _resourceVersion;

    public ClusterBootstrap Bootstrap { get; } = bootstrap;

    public Uri Server { get; } = server;

    public ApiServerAvailability Availability { get; set; } = ApiServerAvailability.Up;

    public JsonObject? Get(string apiVersion, string kind, string? @namespace, string name)
    {
        lock (_sync)
        {
            return _objects.TryGetValue((apiVersion, kind, @namespace ?? "", name), out var obj) ? obj.DeepClone().AsObject() : null;
        }
    }

    public IReadOnlyList<JsonObject> List(string apiVersion, string kind, string? @namespace = null)
    {
        lock (_sync)
        {
            return _objects
                .Where(o => o.Key.ApiVersion == apiVersion && o.Key.Kind == kind && (@namespace is null || o.Key.Namespace == @namespace))
                .OrderBy(o => o.Key.Namespace, StringComparer.Ordinal).ThenBy(o => o.Key.Name, StringComparer.Ordinal)
                .Select(o => o.Value.DeepClone().AsObject())
                .ToList();
        }
    }

    public JsonObject Apply(JsonObject obj)
    {
        ClusterObjectChange change;
        JsonObject stored;
        lock (_sync)
        {
            stored = obj.DeepClone().AsObject();
            var metadata = stored["metadata"]!.AsObject();
            var key = Key(stored);
            var existed = _objects.TryGetValue(key, out var previous);
            metadata["resourceVersion"] = (++_resourceVersion).ToString(CultureInfo.InvariantCulture);
            metadata["uid"] = previous?["metadata"]?["uid"]?.GetValue<string>() ?? Guid.NewGuid().ToString();
            metadata["creationTimestamp"] = previous?["metadata"]?["creationTimestamp"]?.GetValue<string>() ?? DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
            _objects[key] = stored;
            change = new ClusterObjectChange(existed ? "MODIFIED" : "ADDED", stored.DeepClone().AsObject());
        }

        Notify(change);
        return stored.DeepClone().AsObject();
    }

    public bool Delete(string apiVersion, string kind, string? @namespace, string name)
    {
        JsonObject? removed;
        lock (_sync)
        {
            _objects.Remove((apiVersion, kind, @namespace ?? "", name), out removed);
        }

        if (removed is not null)
        {
            Notify(new ClusterObjectChange("DELETED", removed));
        }

        return removed is not null;
    }

    public IDisposable Subscribe(Action<ClusterObjectChange> onChange)
    {
        lock (_sync)
        {
            _subscribers.Add(onChange);
        }

        return new Unsubscriber(() =>
        {
            lock (_sync)
            {
                _subscribers.Remove(onChange);
            }
        });
    }

    private void Notify(ClusterObjectChange change)
    {
        List<Action<ClusterObjectChange>> subscribers;
        lock (_sync)
        {
            subscribers = [.. _subscribers];
        }

        foreach (var subscriber in subscribers)
        {
            subscriber(change);
        }
    }

    private static (string, string, string, string) Key(JsonObject obj) =>
        (obj["apiVersion"]!.GetValue<string>(), obj["kind"]!.GetValue<string>(),
         obj["metadata"]?["namespace"]?.GetValue<string>() ?? "", obj["metadata"]!["name"]!.GetValue<string>());

    private sealed class Unsubscriber(Action dispose) : IDisposable
    {
        public void Dispose() => dispose();
    }
}
