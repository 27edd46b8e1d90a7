namespace LabNet.FlowCollector.Decoding;

/// <summary>A skipped input line: where it was and why it is not a Hubble event.</summary>
public sealed record MalformedLine(string File, long Line, string Error);
