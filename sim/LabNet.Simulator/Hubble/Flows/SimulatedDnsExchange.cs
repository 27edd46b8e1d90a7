using System.Net;

namespace LabNet.Simulator.Hubble.Flows;

/// <summary>
/// One DNS lookup over a simulated connection to kube-dns, as Cilium's DNS proxy logs it when an egress rule with
/// <c>rules.dns</c> puts the proxy in the path: the query (fully qualified, trailing dot), its type, and the answer.
/// </summary>
/// <param name="Addresses">The A records of the answer; empty for NXDOMAIN or a refused query.</param>
/// <param name="ResponseCode">The DNS RCODE the server answered: 0 NOERROR, 3 NXDOMAIN (5 REFUSED is the proxy's own answer).</param>
/// <param name="Latency">From the query leaving the proxy to the answer arriving at it.</param>
public sealed record SimulatedDnsExchange(
    string Query,
    IReadOnlyList<IPAddress> Addresses,
    int ResponseCode,
    TimeSpan Latency,
    string QueryType = "A",
    uint Ttl = 30)
{
    public const int NoError = 0;
    public const int NameError = 3;
    public const int Refused = 5;
}
