using System.Text.Json.Nodes;
using LabNet.Simulator.Kubernetes;

namespace LabNet.Simulator.Tests.Cilium;

/// <summary>A minimal in-memory <see cref="IClusterApi"/> for the Cilium sync tests (the real one is the simulator's API server).</summary>
internal sealed class InMemoryClusterApi : IClusterApi
{
    private readonly Dictionary<(string, string, string, string), JsonObject> _objects = [];
    private readonly List<Action<ClusterObjectChange>> _subscribers = [];

    public ClusterBootstrap Bootstrap { get; } = new("dev", "10.20.0.0/16", "10.97.0.0/16", "v1.31.14", "dev-master", "192.168.65.3");

    public Uri Server { get; } = new("http://127.0.0.1:1/clusters/dev");

    public IPodNetwork PodNetwork { get; set; } = NoCniPodNetwork.Instance;

    // Admission is the API server's business; the policy sync under test never registers a plugin.
    public IDisposable AddAdmissionPlugin(IAdmissionPlugin plugin) =>
        throw new InvalidOperationException("InMemoryClusterApi has no admission chain; use the simulator's ClusterApiRegistry.");

    public ApiServerAvailability Availability { get; set; } = ApiServerAvailability.Up;

    public JsonObject? Get(string apiVersion, string kind, string? @namespace, string name) =>
        _objects.GetValueOrDefault((apiVersion, kind, @namespace ?? "", name));

    public IReadOnlyList<JsonObject> List(string apiVersion, string kind, string? @namespace = null) =>
        _objects.Where(o => o.Key.Item1 == apiVersion && o.Key.Item2 == kind && (@namespace is null || o.Key.Item3 == @namespace)).Select(o => o.Value).ToArray();

    public JsonObject Apply(JsonObject obj)
    {
        var key = Key(obj);
        var type = _objects.ContainsKey(key) ? "MODIFIED" : "ADDED";
        _objects[key] = obj;
        Publish(new ClusterObjectChange(type, obj));
        return obj;
    }

    public bool Delete(string apiVersion, string kind, string? @namespace, string name)
    {
        var key = (apiVersion, kind, @namespace ?? "", name);
        if (!_objects.Remove(key, out var obj))
        {
            return false;
        }

        Publish(new ClusterObjectChange("DELETED", obj));
        return true;
    }

    public IDisposable Subscribe(Action<ClusterObjectChange> onChange)
    {
        _subscribers.Add(onChange);
        return new Unsubscriber(() => _subscribers.Remove(onChange));
    }

    private void Publish(ClusterObjectChange change)
    {
        foreach (var subscriber in _subscribers.ToArray())
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
