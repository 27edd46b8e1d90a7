using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Text.Json.Nodes;
using LabNet.Simulator.Cilium.Engine;
using LabNet.Simulator.Cilium.Parsing;
using LabNet.Simulator.Cilium.Policy;
using LabNet.Simulator.Kubernetes;

namespace LabNet.Simulator.Cilium;

/// <summary>
/// The Cilium agent's policy watcher for one cluster: imports every CiliumNetworkPolicy, CiliumClusterwideNetworkPolicy
/// and NetworkPolicy the cluster's API holds, and follows their changes. Like the agent, it imports each object on its
/// own: an invalid object is logged and reported in <see cref="ImportErrors"/> and, if it was an update, the previous
/// version stays in force.
/// </summary>
public sealed class CiliumPolicySync : IDisposable
{
    public const string MeterName = "LabNet.Simulator.Cilium";

    private static readonly (string ApiVersion, string Kind)[] WatchedKinds =
    [
        (CiliumPolicyParser.CiliumApiVersion, nameof(PolicyKind.CiliumNetworkPolicy)),
        (CiliumPolicyParser.CiliumApiVersion, nameof(PolicyKind.CiliumClusterwideNetworkPolicy)),
        ("networking.k8s.io/v1", nameof(PolicyKind.NetworkPolicy)),
    ];

    private readonly IClusterApi _api;
    private readonly CiliumPolicyEngine _engine;
    private readonly ILogger _logger;
    private readonly Counter<long>? _imports;
    private readonly ConcurrentDictionary<PolicyKey, string> _errors = new();
    private IDisposable? _subscription;

    public CiliumPolicySync(IClusterApi api, CiliumPolicyEngine engine, ILogger<CiliumPolicySync> logger, IMeterFactory? meterFactory = null)
    {
        _api = api;
        _engine = engine;
        _logger = logger;
        _imports = meterFactory?.Create(MeterName).CreateCounter<long>("labnet.cilium.policy.imports", description: "Policy objects imported by the simulated Cilium agent, by result.");
    }

    /// <summary>Objects the agent refused, with the reason (what <c>cilium-dbg policy get</c> would not show).</summary>
    public IReadOnlyDictionary<PolicyKey, string> ImportErrors => _errors;

    /// <summary>Imports what exists, then follows changes.</summary>
    public void Start()
    {
        if (_subscription is not null)
        {
            return;
        }

        // Subscribe first so nothing written between the list and the subscription is missed; re-imports are idempotent.
        _subscription = _api.Subscribe(OnChange);
        foreach (var (apiVersion, kind) in WatchedKinds)
        {
            foreach (var obj in _api.List(apiVersion, kind))
            {
                Import(obj);
            }
        }
    }

    public void Dispose() => _subscription?.Dispose();

    private void OnChange(ClusterObjectChange change)
    {
        var obj = change.Object;
        var apiVersion = obj["apiVersion"]?.GetValue<string>();
        var kind = obj["kind"]?.GetValue<string>();
        if (!WatchedKinds.Contains((apiVersion ?? "", kind ?? "")))
        {
            return;
        }

        if (change.Type == "DELETED")
        {
            var policyKind = Enum.Parse<PolicyKind>(kind!);
            var name = obj["metadata"]?["name"]?.GetValue<string>() ?? "";
            var @namespace = obj["metadata"]?["namespace"]?.GetValue<string>();
            _engine.Delete(policyKind, @namespace, name);
            _errors.TryRemove(new PolicyKey(policyKind, policyKind == PolicyKind.CiliumClusterwideNetworkPolicy ? "" : @namespace ?? "default", name), out _);
            _logger.LogInformation("Removed {Kind} {Namespace}/{Name} from the policy repository (revision {Revision})", kind, @namespace, name, _engine.Revision);
            return;
        }

        Import(obj);
    }

    private void Import(JsonObject obj)
    {
        try
        {
            var policy = _engine.Apply(obj);
            _errors.TryRemove(policy.Key, out _);
            _imports?.Add(1, new KeyValuePair<string, object?>("result", "imported"));
            _logger.LogInformation("Imported {Policy} (revision {Revision})", policy.Key, _engine.Revision);
        }
        catch (InvalidPolicyException e)
        {
            var kind = Enum.TryParse<PolicyKind>(obj["kind"]?.GetValue<string>(), out var k) ? k : PolicyKind.CiliumNetworkPolicy;
            var @namespace = kind == PolicyKind.CiliumClusterwideNetworkPolicy ? "" : obj["metadata"]?["namespace"]?.GetValue<string>() ?? "default";
            _errors[new PolicyKey(kind, @namespace, obj["metadata"]?["name"]?.GetValue<string>() ?? "")] = e.Message;
            _imports?.Add(1, new KeyValuePair<string, object?>("result", "invalid"));
            _logger.LogWarning("Unable to import policy: {Reason}", e.Message);
        }
    }
}
