namespace LabNet.Canary;

/// <summary>
/// The answer to <c>POST /api/canaries/{namespace}/{name}/{command}</c> (202): the command was written as the annotation
/// <paramref name="Annotation"/> = <paramref name="Value"/>; the controller handles it on its next tick (at once when it
/// watches) and records <paramref name="Value"/> in <c>status.lastCommand</c>.
/// </summary>
public sealed record CommandAccepted(string Namespace, string Name, string Command, string Annotation, string Value);
