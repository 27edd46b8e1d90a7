namespace LabNet.Simulator.Host;

/// <summary>One entry of bootpd's <c>/var/db/dhcpd_leases</c>.</summary>
public sealed record DhcpLease(string Mac, string Address, string Hostname, DateTimeOffset Expires, bool Held)
{
    /// <summary>A running VM renews its lease, so it never expires while held.</summary>
    public bool IsValidAt(DateTimeOffset now) => Held || Expires > now;
}
