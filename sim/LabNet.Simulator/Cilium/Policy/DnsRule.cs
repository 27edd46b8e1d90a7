namespace LabNet.Simulator.Cilium.Policy;

/// <summary>
/// One <c>rules.dns</c> entry (<c>matchName</c> or <c>matchPattern</c>, see <see cref="DnsNamePattern"/>). A query the
/// rules do not allow is answered by the DNS proxy with REFUSED.
/// </summary>
public sealed record DnsRule(string? MatchName, string? MatchPattern)
{
    private readonly DnsNamePattern? _name = MatchName is null ? null : DnsNamePattern.Name(MatchName);
    private readonly DnsNamePattern? _pattern = MatchPattern is null ? null : DnsNamePattern.Pattern(MatchPattern);

    public bool Allows(string query) => _name?.Matches(query) == true || _pattern?.Matches(query) == true;

    public override string ToString() => MatchName is not null ? $"matchName={MatchName}" : $"matchPattern={MatchPattern}";
}
