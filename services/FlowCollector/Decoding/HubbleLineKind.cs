namespace LabNet.FlowCollector.Decoding;

/// <summary>What one line of <c>hubble observe -o json</c> (or a Hubble export file) held.</summary>
public enum HubbleLineKind
{
    /// <summary>Nothing but whitespace; skipped without counting.</summary>
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
