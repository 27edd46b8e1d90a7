namespace LabNet.FlowCollector.Relay;

/// <summary>
/// <c>GET /api/sources</c>: each relay's state, and the collector-wide counts of what it processed, skipped and lost.
/// A consumer tells "no traffic" from "source down" with <see cref="RelaySourceSnapshot.Connected"/>.
/// </summary>
public sealed record SourcesStatus(
    IReadOnlyList<RelaySourceSnapshot> Relays,
    long Flows,
    long MalformedLines,
    long UndecodableFlows,
    long LostEvents,
    long OverflowFlows);
