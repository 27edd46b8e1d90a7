namespace LabNet.FlowCollector.Decoding;

/// <summary>What reading one input of Hubble JSON lines found.</summary>
public sealed record JsonLinesResult(
    long Lines,
    long Flows,
    long LostEventLines,
    long OtherEvents,
    long MalformedLines,
    IReadOnlyList<MalformedLine> FirstMalformed);
