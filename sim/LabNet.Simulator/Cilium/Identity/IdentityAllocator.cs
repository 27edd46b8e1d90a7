using System.Net;
using LabNet.Simulator.Cilium.Labels;

namespace LabNet.Simulator.Cilium.Identity;

/// <summary>
/// Hands out identity numbers: one per distinct pod label set (from 256 up, like the CRD allocator) and one per CIDR
/// prefix that a policy names (node-local scope). Numbers never change once given, so flows stay comparable over time.
/// </summary>
public sealed class IdentityAllocator
{
    private readonly Lock _gate = new();
    private readonly Dictionary<LabelSet, SecurityIdentity> _byLabels = [];
    private readonly Dictionary<IPNetwork, SecurityIdentity> _byPrefix = [];
    private uint _nextCluster = ReservedIdentities.FirstClusterIdentity;
    private uint _nextLocal = ReservedIdentities.FirstLocalIdentity;

    public IdentityAllocator()
    {
        foreach (var reserved in ReservedIdentities.All)
        {
            _byLabels[reserved.Labels] = reserved;
        }
    }

    /// <summary>Raised (outside the lock) when a new identity exists, so compiled policy can take it into account.</summary>
    public event Action<SecurityIdentity>? IdentityAdded;

    public IReadOnlyList<SecurityIdentity> Snapshot()
    {
        lock (_gate)
        {
            return [.. _byLabels.Values, .. _byPrefix.Values];
        }
    }

    public SecurityIdentity ForLabels(LabelSet labels)
    {
        SecurityIdentity identity;
        lock (_gate)
        {
            if (_byLabels.TryGetValue(labels, out var existing))
            {
                return existing;
            }

            identity = new SecurityIdentity(_nextCluster++, labels);
            _byLabels[labels] = identity;
        }

        IdentityAdded?.Invoke(identity);
        return identity;
    }

    /// <summary>
    /// The identity of an address learned through DNS: its host prefix plus one <c>fqdn:</c> label per selector that
    /// matched a name it was returned for (Cilium's ipcache then maps the address to it for every lookup).
    /// </summary>
    public SecurityIdentity ForFqdn(IPAddress address, IEnumerable<Label> fqdnLabels)
    {
        var prefix = new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
        var labels = new LabelSet([.. fqdnLabels, new Label(LabelSources.Cidr, prefix.ToString(), ""), Label.Reserved("world")]);
        SecurityIdentity identity;
        lock (_gate)
        {
            if (_byPrefix.TryGetValue(prefix, out var existing) && existing.Labels.Equals(labels))
            {
                return existing;
            }

            identity = new SecurityIdentity(_nextLocal++, labels, prefix);
            _byPrefix[prefix] = identity;
        }

        IdentityAdded?.Invoke(identity);
        return identity;
    }

    public SecurityIdentity ForPrefix(IPNetwork prefix)
    {
        if (prefix.PrefixLength == 0)
        {
            return ReservedIdentities.World;
        }

        SecurityIdentity identity;
        lock (_gate)
        {
            if (_byPrefix.TryGetValue(prefix, out var existing))
            {
                return existing;
            }

            identity = new SecurityIdentity(
                _nextLocal++,
                new LabelSet([new Label(LabelSources.Cidr, prefix.ToString(), ""), Label.Reserved("world")]),
                prefix);
            _byPrefix[prefix] = identity;
        }

        IdentityAdded?.Invoke(identity);
        return identity;
    }
}
