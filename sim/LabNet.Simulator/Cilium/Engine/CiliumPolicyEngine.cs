using System.Collections.Immutable;
using System.Text.Json.Nodes;
using LabNet.Simulator.Cilium.Identity;
using LabNet.Simulator.Cilium.Parsing;
using LabNet.Simulator.Cilium.Policy;

namespace LabNet.Simulator.Cilium.Engine;

/// <summary>
/// One cluster's Cilium policy: the policy repository (what was imported), the identities, and the compiled per-identity
/// lookup tables. Thread-safe: writers build a new immutable snapshot and swap it in; verdicts read the current one.
/// </summary>
public sealed class CiliumPolicyEngine
{
    private readonly Lock _writeGate = new();
    private readonly IdentityAllocator _identities = new();
    private PolicySnapshot _snapshot;

    public CiliumPolicyEngine(CiliumPolicyEngineOptions? options = null)
    {
        Options = options ?? new CiliumPolicyEngineOptions();
        _snapshot = NewSnapshot(0, ImmutableDictionary<PolicyKey, CiliumPolicy>.Empty);
        _identities.IdentityAdded += _ => Rebuild(s => (s.Policies, s.Revision));
    }

    public CiliumPolicyEngineOptions Options { get; }

    /// <summary>The policy repository revision: 0 before any import, +1 per change (Hubble's Policy.revision).</summary>
    public ulong Revision => Volatile.Read(ref _snapshot).Revision;

    public IReadOnlyCollection<CiliumPolicy> Policies => Volatile.Read(ref _snapshot).Policies.Values.ToArray();

    /// <summary>Every identity known (reserved, pods seen so far, CIDR identities of policy prefixes).</summary>
    public IReadOnlyList<SecurityIdentity> Identities => Volatile.Read(ref _snapshot).Identities;

    /// <summary>
    /// Imports (creates or replaces) a policy from its wire form. The next connection is evaluated with it.
    /// </summary>
    /// <exception cref="InvalidPolicyException">The policy is invalid; the repository is unchanged.</exception>
    public CiliumPolicy Apply(JsonObject policyObject) => ApplyAll([policyObject])[0];

    /// <summary>
    /// Imports several policies as one change (one revision), like a <c>kubectl apply -f dir/</c> the agent sees at once.
    /// All or nothing: if any policy is invalid, none is applied and the exception lists every invalid one's errors.
    /// </summary>
    /// <exception cref="InvalidPolicyException">Some policy is invalid; the repository is unchanged.</exception>
    public IReadOnlyList<CiliumPolicy> ApplyAll(IEnumerable<JsonObject> policyObjects)
    {
        ArgumentNullException.ThrowIfNull(policyObjects);
        lock (_writeGate)
        {
            var revision = _snapshot.Revision + 1;
            var parsed = new List<CiliumPolicy>();
            var failures = new List<InvalidPolicyException>();
            foreach (var policyObject in policyObjects)
            {
                try
                {
                    parsed.Add(CiliumPolicyParser.Parse(policyObject, revision, Options.ClusterName));
                }
                catch (InvalidPolicyException e)
                {
                    failures.Add(e);
                }
            }

            if (failures.Count == 1)
            {
                throw failures[0];
            }

            if (failures.Count > 1)
            {
                throw new InvalidPolicyException(
                    $"{failures.Count} policies of the batch",
                    failures.SelectMany(f => f.Errors.Select(e => $"{f.Policy}: {e}")).ToArray());
            }

            if (parsed.Count == 0)
            {
                return parsed;
            }

            // Like the ipcache: every prefix a policy names gets a CIDR identity before the policy is in force.
            foreach (var prefix in parsed.SelectMany(p => p.Rules).SelectMany(PrefixesOf).Distinct())
            {
                _identities.ForPrefix(prefix);
            }

            var policies = _snapshot.Policies.SetItems(parsed.Select(p => KeyValuePair.Create(p.Key, p)));
            Swap(NewSnapshot(revision, policies));
            return parsed;
        }
    }

    /// <summary>Removes a policy; returns false if there was none of that kind, namespace and name.</summary>
    public bool Delete(PolicyKind kind, string? @namespace, string name)
    {
        lock (_writeGate)
        {
            var current = _snapshot;
            var key = new PolicyKey(kind, kind == PolicyKind.CiliumClusterwideNetworkPolicy ? "" : @namespace ?? "default", name);
            if (!current.Policies.ContainsKey(key))
            {
                return false;
            }

            Swap(NewSnapshot(current.Revision + 1, current.Policies.Remove(key)));
            return true;
        }
    }

    /// <summary>The security identity of an endpoint (allocated on first sight for a new pod label set).</summary>
    public SecurityIdentity IdentityOf(PolicyEndpoint endpoint) => endpoint switch
    {
        PodEndpoint pod => _identities.ForLabels(PodIdentityLabels.For(pod, Options.ClusterName)),
        WorldEndpoint world => WorldIdentityOf(world),
        ReservedEndpoint reserved => ReservedIdentities.For(reserved.Entity),
        _ => throw new ArgumentException($"Unknown endpoint type {endpoint.GetType().Name}.", nameof(endpoint)),
    };

    /// <summary>The verdict for a new connection between two endpoints.</summary>
    public ConnectionVerdict Decide(PolicyEndpoint source, PolicyEndpoint destination, IpProtocol protocol, int destinationPort) =>
        Decide(IdentityOf(source), IdentityOf(destination), protocol, destinationPort);

    /// <summary>
    /// The verdict for a new connection between two identities: the source's egress policy, then the destination's
    /// ingress policy. Costs a fixed number of table lookups, however many rules there are.
    /// </summary>
    public ConnectionVerdict Decide(SecurityIdentity source, SecurityIdentity destination, IpProtocol protocol, int destinationPort)
    {
        if (protocol == IpProtocol.Any)
        {
            throw new ArgumentException("A connection has one protocol (TCP, UDP, SCTP, ICMP); Any only exists inside compiled tables.", nameof(protocol));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(destinationPort);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(destinationPort, 65535);
        var snapshot = Volatile.Read(ref _snapshot);
        if (Options.EnforcementMode == PolicyEnforcementMode.Never)
        {
            return new ConnectionVerdict(source, destination, protocol, destinationPort, PolicyDecision.UnenforcedEgress, PolicyDecision.UnenforcedIngress, snapshot.Revision);
        }

        var egress = source.IsPod
            ? snapshot.For(source).Egress.Decide(destination.Id, protocol, destinationPort)
            : PolicyDecision.UnenforcedEgress;
        if (!egress.Allowed)
        {
            return new ConnectionVerdict(source, destination, protocol, destinationPort, egress, null, snapshot.Revision);
        }

        PolicyDecision ingress;
        if (!destination.IsPod)
        {
            ingress = PolicyDecision.UnenforcedIngress;
        }
        else
        {
            ingress = snapshot.For(destination).Ingress.Decide(source.Id, protocol, destinationPort);

            // allow-localhost: the node's own traffic (kubelet probes) is let in where default deny would drop it;
            // an explicit deny rule still wins.
            if (Options.AllowLocalhost && source.Id == ReservedIdentities.Host.Id && ingress.DropReason == DropReason.PolicyDenied)
            {
                ingress = PolicyDecision.LocalHostIngress;
            }
        }

        return new ConnectionVerdict(source, destination, protocol, destinationPort, egress, ingress, snapshot.Revision);
    }

    private SecurityIdentity WorldIdentityOf(WorldEndpoint world)
    {
        var snapshot = Volatile.Read(ref _snapshot);
        if (world.DnsNames is { Count: > 0 } names && snapshot.FqdnSelectors.Count > 0)
        {
            var labels = snapshot.FqdnSelectors
                .Where(selector => names.Any(selector.Selector.Matches))
                .Select(selector => selector.IdentityLabel)
                .ToArray();
            if (labels.Length > 0)
            {
                return _identities.ForFqdn(world.WorldIp, labels);
            }
        }

        return snapshot.WorldIdentity(world.WorldIp);
    }

    private static IEnumerable<System.Net.IPNetwork> PrefixesOf(PolicyRule rule) =>
        new[] { rule.Ingress, rule.IngressDeny, rule.Egress, rule.EgressDeny }
            .SelectMany(rules => rules)
            .SelectMany(r => r.Peers ?? [])
            .SelectMany(p => p.Prefixes);

    private void Rebuild(Func<PolicySnapshot, (ImmutableDictionary<PolicyKey, CiliumPolicy> Policies, ulong Revision)> change)
    {
        lock (_writeGate)
        {
            var (policies, revision) = change(_snapshot);
            Swap(NewSnapshot(revision, policies));
        }
    }

    private PolicySnapshot NewSnapshot(ulong revision, ImmutableDictionary<PolicyKey, CiliumPolicy> policies) =>
        new(revision, policies, _identities.Snapshot(), Options.EnforcementMode == PolicyEnforcementMode.Always);

    private void Swap(PolicySnapshot next) => Volatile.Write(ref _snapshot, next);
}
