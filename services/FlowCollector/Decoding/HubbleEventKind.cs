namespace LabNet.FlowCollector.Decoding;

/// <summary>What one decoded Hubble event (a JSON line or a GetFlowsResponse message) held.</summary>
public enum HubbleEventKind
{
    /// <summary>A line of nothing but whitespace; skipped without counting.</summary>
    Blank,

    /// <summary>A flow (<c>{"flow":{...}}</c>, or a bare Flow object from the legacy JSON output).</summary>
    Flow,

    /// <summary><c>{"lost_events":{...}}</c>: events Hubble lost before we could see them.</summary>
    LostEvents,

    /// <summary>node_status, agent_event or debug_event: valid, not a flow.</summary>
    OtherEvent,

    /// <summary>Not JSON, or not a Hubble event.</summary>
    Malformed,
}
