namespace LabNet.Simulator.Cilium.Policy;

/// <summary>The L7 part of a <c>toPorts</c> entry. A port with L7 rules is redirected to Cilium's proxy.</summary>
public sealed record L7Rules(IReadOnlyList<HttpRule> Http, IReadOnlyList<DnsRule> Dns)
{
    public L7Parser Parser => Http.Count > 0 ? L7Parser.Http : Dns.Count > 0 ? L7Parser.Dns : L7Parser.None;
}

/// <summary>Which proxy parser a port is redirected to.</summary>
public enum L7Parser
{
    None,
    Http,
    Dns,
}
