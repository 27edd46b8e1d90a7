namespace LabNet.FlowCollector.Flows;

/// <summary>The member of Hubble's <c>Layer7.record</c> oneof that is set.</summary>
public enum L7Protocol : byte
{
    None = 0,
    DNS = 1,
    HTTP = 2,
    Kafka = 3,
}
