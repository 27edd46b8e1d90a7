using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace LabNet.Simulator.Kubernetes;

/// <summary>
/// One cluster's objects (what etcd holds for a real cluster): a cluster-wide, monotonically increasing
/// resourceVersion, a bounded history of changes for watches that resume from a resourceVersion, and the watchers.
/// Stored objects are never mutated after they are put; readers that want to change one clone it first.
/// The gate is reentrant, so a caller can hold it across a read-modify-write (<see cref="Gate"/>).
/// </summary>
public sealed class ClusterObjectStore(int historyCapacity = 10_000)
{
    private readonly Dictionary<string, SortedDictionary<string, JsonObject>> _objects = new(StringComparer.Ordinal);
    private readonly Queue<StoredEvent> _history = new();
    private readonly List<StoreWatcher> _watchers = [];
    private long _resourceVersion;
    private long _oldestRetained = 1;

    public Lock Gate { get; } = new();

    public long ResourceVersion
    {
        get
        {
            lock (Gate)
            {
                return _resourceVersion;
            }
        }
    }

    public JsonObject? Get(string storageKey, string? @namespace, string name)
    {
        lock (Gate)
        {
            return _objects.TryGetValue(storageKey, out var set) && set.TryGetValue(Key(@namespace, name), out var obj) ? obj : null;
        }
    }

    /// <summary>The objects of a resource (of one namespace, or all), in namespace/name order, and the list's resourceVersion.</summary>
    public (List<JsonObject> Items, long ResourceVersion) List(string storageKey, string? @namespace, Func<JsonObject, bool>? filter = null)
    {
        lock (Gate)
        {
            var items = new List<JsonObject>();
            if (_objects.TryGetValue(storageKey, out var set))
            {
                foreach (var (key, obj) in set)
                {
                    if ((@namespace is null || key.StartsWith(@namespace + "/", StringComparison.Ordinal)) && (filter is null || filter(obj)))
                    {
                        items.Add(obj);
                    }
                }
            }

            return (items, _resourceVersion);
        }
    }

    /// <summary>Stores <paramref name="obj"/> (taking ownership of it) under a new resourceVersion and tells the watchers.</summary>
    public JsonObject Put(string storageKey, JsonObject obj)
    {
        lock (Gate)
        {
            var metadata = (JsonObject)obj["metadata"]!;
            var key = Key(metadata["namespace"]?.GetValue<string>(), metadata["name"]!.GetValue<string>());
            if (!_objects.TryGetValue(storageKey, out var set))
            {
                _objects[storageKey] = set = new SortedDictionary<string, JsonObject>(StringComparer.Ordinal);
            }

            set.TryGetValue(key, out var previous);
            metadata["resourceVersion"] = (++_resourceVersion).ToString(System.Globalization.CultureInfo.InvariantCulture);
            Materialize(obj);
            set[key] = obj;
            Publish(new StoredEvent(_resourceVersion, storageKey, previous is null ? "ADDED" : "MODIFIED", obj, previous));
            return obj;
        }
    }

    public JsonObject? Remove(string storageKey, string? @namespace, string name)
    {
        lock (Gate)
        {
            if (!_objects.TryGetValue(storageKey, out var set) || !set.Remove(Key(@namespace, name), out var previous))
            {
                return null;
            }

            // The DELETED event carries the object at the resourceVersion of its deletion, as the real watch does.
            var deleted = (JsonObject)previous.DeepClone();
            deleted["metadata"]!["resourceVersion"] = (++_resourceVersion).ToString(System.Globalization.CultureInfo.InvariantCulture);
            Publish(new StoredEvent(_resourceVersion, storageKey, "DELETED", deleted, previous));
            return deleted;
        }
    }

    /// <summary>
    /// Starts a watch. <paramref name="fromResourceVersion"/> null (or 0) starts at the current state with synthetic
    /// ADDED events for what exists; a number replays the changes after it, or fails with 410 if they are no longer held.
    /// </summary>
    public StoreWatcher Watch(string? storageKey, string? @namespace, Func<JsonObject, bool> filter, long? fromResourceVersion,
        bool sendInitialEvents = false, bool isClient = false)
    {
        lock (Gate)
        {
            var watcher = new StoreWatcher(this, storageKey, @namespace, filter) { IsClient = isClient };
            if (fromResourceVersion is null or 0 || sendInitialEvents)
            {
                if (storageKey is not null)
                {
                    foreach (var obj in List(storageKey, @namespace, filter).Items)
                    {
                        watcher.Offer(new WatchEvent("ADDED", obj, storageKey));
                        watcher.InitialEventCount++;
                    }
                }
            }
            else
            {
                var from = fromResourceVersion.Value;
                if (from > _resourceVersion)
                {
                    // A client ahead of us (e.g. after a restart): the real apiserver waits; we start from now.
                }
                else if (from < _oldestRetained - 1)
                {
                    throw KubernetesApiException.Gone($"too old resource version: {from} ({_oldestRetained - 1})");
                }

                foreach (var stored in _history.Where(e => e.ResourceVersion > from))
                {
                    watcher.Deliver(stored);
                }
            }

            _watchers.Add(watcher);
            return watcher;
        }
    }

    /// <summary>Ends every client watch (the API server went away); the simulator's own subscribers stay.</summary>
    public void DisconnectClients()
    {
        lock (Gate)
        {
            foreach (var watcher in _watchers.Where(w => w.IsClient).ToList())
            {
                watcher.Dispose();
            }
        }
    }

    internal void Unwatch(StoreWatcher watcher)
    {
        lock (Gate)
        {
            _watchers.Remove(watcher);
        }
    }

    private void Publish(StoredEvent stored)
    {
        _history.Enqueue(stored);
        while (_history.Count > historyCapacity)
        {
            _oldestRetained = _history.Dequeue().ResourceVersion + 1;
        }

        foreach (var watcher in _watchers)
        {
            watcher.Deliver(stored);
        }
    }

    private static string Key(string? @namespace, string name) => $"{@namespace}/{name}";

    /// <summary>Forces every lazily parsed node into its final form, so concurrent readers never race on it.</summary>
    private static void Materialize(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (_, value) in o)
                {
                    Materialize(value);
                }

                break;
            case JsonArray a:
                foreach (var value in a)
                {
                    Materialize(value);
                }

                break;
        }
    }
}

/// <summary>A change as the store records it: the object after the change, and before it (null when added).</summary>
public sealed record StoredEvent(long ResourceVersion, string StorageKey, string Type, JsonObject Object, JsonObject? Previous);

/// <summary>A watch event as it goes on the wire: <c>ADDED</c>, <c>MODIFIED</c>, <c>DELETED</c>, <c>BOOKMARK</c>, <c>ERROR</c>.</summary>
public sealed record WatchEvent(string Type, JsonObject Object, string? StorageKey = null);

/// <summary>
/// One watch on the store. An object that starts or stops matching the filter is reported as ADDED or DELETED, as the
/// apiserver's watch cache does for label and field selectors.
/// </summary>
public sealed class StoreWatcher : IDisposable
{
    private readonly ClusterObjectStore _store;
    private readonly string? _storageKey;
    private readonly string? _namespace;
    private readonly Func<JsonObject, bool> _filter;
    private readonly Channel<WatchEvent> _events = Channel.CreateUnbounded<WatchEvent>(new UnboundedChannelOptions { SingleReader = true });

    internal StoreWatcher(ClusterObjectStore store, string? storageKey, string? @namespace, Func<JsonObject, bool> filter)
    {
        _store = store;
        _storageKey = storageKey;
        _namespace = @namespace;
        _filter = filter;
    }

    public ChannelReader<WatchEvent> Events => _events.Reader;

    /// <summary>A watch of an API client (over HTTP), as opposed to one of the simulator's own controllers.</summary>
    public bool IsClient { get; init; }

    /// <summary>How many synthetic ADDED events (the state when the watch started) come first.</summary>
    public int InitialEventCount { get; internal set; }

    internal void Offer(WatchEvent watchEvent) => _events.Writer.TryWrite(watchEvent);

    internal void Deliver(StoredEvent stored)
    {
        if (_storageKey is not null && stored.StorageKey != _storageKey)
        {
            return;
        }

        if (_namespace is not null && stored.Object["metadata"]?["namespace"]?.GetValue<string>() != _namespace)
        {
            return;
        }

        var now = _filter(stored.Object);
        var before = stored.Previous is not null && _filter(stored.Previous);
        var type = stored.Type switch
        {
            "DELETED" => before || now ? "DELETED" : null,
            "ADDED" => now ? "ADDED" : null,
            _ => (before, now) switch
            {
                (true, true) => "MODIFIED",
                (false, true) => "ADDED",
                (true, false) => "DELETED",
                _ => null,
            },
        };
        if (type is not null)
        {
            _events.Writer.TryWrite(new WatchEvent(type, stored.Object, stored.StorageKey));
        }
    }

    public void Dispose()
    {
        _store.Unwatch(this);
        _events.Writer.TryComplete();
    }
}
