using System.Text.Json.Nodes;
using LabNet.Simulator.Kubernetes;

namespace LabNet.Simulator.Mesh;

/// <summary>
/// istiod's view of one cluster: follows the cluster API and marks the compiled config stale when a VirtualService,
/// DestinationRule, PeerAuthentication, Gateway, or istiod itself changes. The next request compiles a new snapshot
/// (once per change, never per request), like the xDS push that reaches the sidecars before their next request.
/// </summary>
public sealed class IstioConfigWatch : IDisposable
{
    public const string NetworkingGroup = "networking.istio.io";
    public const string SecurityGroup = "security.istio.io";

    private static readonly string[] NetworkingVersions = ["v1", "v1beta1", "v1alpha3"];
    private static readonly string[] SecurityVersions = ["v1", "v1beta1"];

    private readonly IClusterApi _api;
    private readonly Action<IReadOnlyList<string>>? _onErrors;
    private readonly Lock _gate = new();
    private readonly IDisposable _subscription;
    private IstioConfigSnapshot _snapshot = IstioConfigSnapshot.Empty;
    private long _changes = 1;
    private long _compiled;

    public IstioConfigWatch(IClusterApi api, Action<IReadOnlyList<string>>? onErrors = null)
    {
        _api = api;
        _onErrors = onErrors;
        _subscription = api.Subscribe(OnChange);
    }

    /// <summary>The config in force; compiled again only if something relevant changed since the last call.</summary>
    public IstioConfigSnapshot Current
    {
        get
        {
            var changes = Interlocked.Read(ref _changes);
            if (changes == Volatile.Read(ref _compiled))
            {
                return Volatile.Read(ref _snapshot);
            }

            lock (_gate)
            {
                changes = Interlocked.Read(ref _changes);
                if (changes != _compiled)
                {
                    var next = Compile(changes);
                    Volatile.Write(ref _snapshot, next);
                    Volatile.Write(ref _compiled, changes);
                    if (next.Errors.Count > 0)
                    {
                        _onErrors?.Invoke(next.Errors);
                    }
                }

                return _snapshot;
            }
        }
    }

    public void Dispose() => _subscription.Dispose();

    private void OnChange(ClusterObjectChange change)
    {
        var apiVersion = change.Object["apiVersion"]?.GetValue<string>() ?? "";
        var kind = change.Object["kind"]?.GetValue<string>() ?? "";
        if (apiVersion.StartsWith(NetworkingGroup + "/", StringComparison.Ordinal)
            || apiVersion.StartsWith(SecurityGroup + "/", StringComparison.Ordinal)
            || (kind is "Deployment" or "Pod" or "ConfigMap" && IsIstiod(change.Object))
            || kind == "CustomResourceDefinition")
        {
            Interlocked.Increment(ref _changes);
        }
    }

    private static bool IsIstiod(JsonObject obj) =>
        obj["metadata"]?["name"]?.GetValue<string>() is "istiod" or "istio"
        || obj["metadata"]?["labels"]?["app"]?.GetValue<string>() == "istiod";

    private IstioConfigSnapshot Compile(long version)
    {
        var errors = new List<string>();
        var installed = IstiodRuns();
        var root = RootNamespace();
        var virtualServices = ListAll(NetworkingGroup, NetworkingVersions, "VirtualService").Select(o => IstioConfigParser.VirtualService(o, errors)).ToArray();
        var destinationRules = ListAll(NetworkingGroup, NetworkingVersions, "DestinationRule").Select(o => IstioConfigParser.DestinationRule(o, errors)).ToArray();
        var peerAuthentications = ListAll(SecurityGroup, SecurityVersions, "PeerAuthentication").Select(o => IstioConfigParser.PeerAuthentication(o, errors))
            .OrderBy(p => p.Created).ThenBy(p => p.Namespace, StringComparer.Ordinal).ThenBy(p => p.Name, StringComparer.Ordinal).ToArray();
        var gateways = ListAll(NetworkingGroup, NetworkingVersions, "Gateway")
            .Select(g => $"{g["metadata"]?["namespace"]}/{g["metadata"]?["name"]}").ToArray();
        return new IstioConfigSnapshot(version, installed, root, virtualServices, destinationRules, peerAuthentications, gateways, errors);
    }

    /// <summary>Objects of a kind in whichever served version holds them (each object once), oldest first.</summary>
    private List<JsonObject> ListAll(string group, string[] versions, string kind)
    {
        var seen = new HashSet<(string?, string?)>();
        var all = new List<JsonObject>();
        foreach (var version in versions)
        {
            IReadOnlyList<JsonObject> objects;
            try
            {
                objects = _api.List($"{group}/{version}", kind);
            }
            catch (Exception e) when (e is KubernetesApiException or InvalidOperationException)
            {
                continue; // the CRD (or this version of it) is not installed.
            }

            foreach (var obj in objects)
            {
                if (seen.Add((obj["metadata"]?["namespace"]?.GetValue<string>(), obj["metadata"]?["name"]?.GetValue<string>())))
                {
                    all.Add(obj);
                }
            }
        }

        return all.OrderBy(o => o["metadata"]?["creationTimestamp"]?.GetValue<string>() ?? "", StringComparer.Ordinal).ToList();
    }

    /// <summary>istiod runs when its Deployment has an available replica, or one of its pods is Running.</summary>
    private bool IstiodRuns()
    {
        foreach (var deployment in _api.List("apps/v1", "Deployment"))
        {
            if (deployment["metadata"]?["name"]?.GetValue<string>() == "istiod" && IstioConfigParser.Int(deployment["status"]?["availableReplicas"]) is > 0)
            {
                return true;
            }
        }

        foreach (var pod in _api.List("v1", "Pod"))
        {
            if (pod["metadata"]?["labels"]?["app"]?.GetValue<string>() == "istiod" && pod["status"]?["phase"]?.GetValue<string>() == "Running")
            {
                return true;
            }
        }

        return false;
    }

    private string RootNamespace()
    {
        foreach (var map in _api.List("v1", "ConfigMap"))
        {
            if (map["metadata"]?["name"]?.GetValue<string>() == "istio" && map["data"]?["mesh"]?.GetValue<string>() is { } mesh)
            {
                foreach (var line in mesh.Split('\n'))
                {
                    if (line.StartsWith("rootNamespace:", StringComparison.Ordinal))
                    {
                        return line["rootNamespace:".Length..].Trim();
                    }
                }
            }
        }

        return IstioConfigSnapshot.DefaultRootNamespace;
    }
}
