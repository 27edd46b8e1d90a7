namespace LabNet.Simulator.Tools;

/// <summary>One tool call and the modeled time it took, as the simulator reports it (GET /tools/steps).</summary>
/// <param name="Tool">tart, ssh or helm.</param>
/// <param name="Command">The command line, with secrets left out.</param>
/// <param name="StartedAt">Modeled time when it began.</param>
/// <param name="ModeledSeconds">Modeled time the call took (the world's time, not the wall clock's).</param>
/// <param name="WallMilliseconds">How long it really took.</param>
/// <param name="ExitCode">What the tool exited with.</param>
public sealed record ModeledStep(string Tool, string Command, DateTimeOffset StartedAt, double ModeledSeconds, double WallMilliseconds, int ExitCode);
