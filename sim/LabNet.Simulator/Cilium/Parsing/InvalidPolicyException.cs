namespace LabNet.Simulator.Cilium.Parsing;

/// <summary>
/// A policy object that the simulated agent refuses to import. Nothing of it is applied; the message names the policy,
/// every offending field, and how to fix each.
/// </summary>
public sealed class InvalidPolicyException(string policy, IReadOnlyList<string> errors)
    : Exception($"{policy} was rejected and not applied:{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", errors)}")
{
    /// <summary>The policy, e.g. <c>CiliumNetworkPolicy demo/allow-nginx-egress</c>.</summary>
    public string Policy { get; } = policy;

    /// <summary>One entry per problem: <c>spec.ingress[0].toPorts[0].ports[0].protocol: ...; use ...</c>.</summary>
    public IReadOnlyList<string> Errors { get; } = errors;
}
