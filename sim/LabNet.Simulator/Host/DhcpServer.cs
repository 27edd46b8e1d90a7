namespace LabNet.Simulator.Host;

/// <summary>
/// macOS bootpd for one /24: leases keyed by MAC, addresses from .2 upward. A VM that comes back while its lease is
/// still valid keeps its address; after expiry it may get another one (the seeded rule or a fault decides).
/// </summary>
public sealed class DhcpServer(string subnet, TimeSpan leaseTime)
{
    private readonly Dictionary<string, DhcpLease> _leases = new(StringComparer.OrdinalIgnoreCase);

    public string Subnet { get; } = subnet;

    public TimeSpan LeaseTime { get; } = leaseTime;

    /// <summary>Gives the MAC an address and holds the lease while the VM runs.</summary>
    /// <param name="reuseExpired">Whether an expired lease's address is handed back to the same MAC.</param>
    /// <param name="forceNewAddress">A fault: the VM gets a different address whatever its lease says.</param>
    public DhcpLease Acquire(string mac, string hostname, DateTimeOffset now, bool reuseExpired, bool forceNewAddress)
    {
        _leases.TryGetValue(mac, out var existing);
        string address;
        if (existing is not null && !forceNewAddress &&
            (existing.IsValidAt(now) || (reuseExpired && !IsTakenByOther(existing.Address, mac, now))))
        {
            address = existing.Address;
        }
        else
        {
            address = NextFree(mac, now, avoid: existing?.Address);
        }

        var lease = new DhcpLease(mac, address, hostname, now + LeaseTime, Held: true);
        _leases[mac] = lease;
        return lease;
    }

    /// <summary>The VM stopped: its lease runs out <see cref="LeaseTime"/> after the last renewal.</summary>
    public void Release(string mac, DateTimeOffset now)
    {
        if (_leases.TryGetValue(mac, out var lease) && lease.Held)
        {
            _leases[mac] = lease with { Held = false, Expires = now + LeaseTime };
        }
    }

    /// <summary>The lease file entry for a MAC, valid or not (what <c>tart ip</c>'s dhcp resolver reads).</summary>
    public DhcpLease? Find(string mac) => _leases.GetValueOrDefault(mac);

    public IReadOnlyList<DhcpLease> Leases => [.. _leases.Values];

    private bool IsTakenByOther(string address, string mac, DateTimeOffset now) =>
        _leases.Values.Any(l => l.Address == address && !string.Equals(l.Mac, mac, StringComparison.OrdinalIgnoreCase) && l.IsValidAt(now));

    private string NextFree(string mac, DateTimeOffset now, string? avoid)
    {
        for (var host = 2; host < 255; host++)
        {
            var candidate = $"{Subnet}.{host}";
            if (candidate != avoid && !IsTakenByOther(candidate, mac, now) &&
                !_leases.Values.Any(l => l.Address == candidate && !string.Equals(l.Mac, mac, StringComparison.OrdinalIgnoreCase) && l.IsValidAt(now)))
            {
                // Prefer addresses no other MAC ever had, as bootpd does while the pool has them.
                if (!_leases.Values.Any(l => l.Address == candidate && !string.Equals(l.Mac, mac, StringComparison.OrdinalIgnoreCase)))
                {
                    return candidate;
                }
            }
        }

        for (var host = 2; host < 255; host++)
        {
            var candidate = $"{Subnet}.{host}";
            if (candidate != avoid && !IsTakenByOther(candidate, mac, now))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException($"The DHCP pool {Subnet}.0/24 is exhausted.");
    }
}
