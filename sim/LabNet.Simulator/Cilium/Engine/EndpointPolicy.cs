namespace LabNet.Simulator.Cilium.Engine;

/// <summary>One identity's compiled policy, both directions (what Cilium writes to that endpoint's policy map).</summary>
internal sealed record EndpointPolicy(CompiledDirection Ingress, CompiledDirection Egress);
