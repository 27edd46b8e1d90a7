namespace LabNet.Simulator.Tools;

/// <summary>One tool call and the modeled time it took, as the simulator reports it (GET /tools/steps).</summary>
/// <param name="Tool">tart, ssh or helm.</param>
/// <param name="Command">The command line, with secrets left out.</param>
/// <param name="StartedAt">The simulation clock when it began (which also runs, scaled, while the twin itself works).</param>
/// <param name="ModeledSeconds">Modeled time the call took (the world's time, not the wall clock's).</param>
/// <param name="WallMilliseconds">How long it really took.</param>
/// <param name="ExitCode">What the tool exited with.</param>
/// <param name="ModeledStart">Where it starts on the timeline of modeled tool time (see <c>SimulationClock</c>).</param>
/// <param name="ModeledEnd">Where it ends on that timeline: <paramref name="ModeledStart"/> plus its modeled time.</param>
public sealed record ModeledStep(
    string Tool,
    string Command,
    DateTimeOffset StartedAt,
    double ModeledSeconds,
    double WallMilliseconds,
    int ExitCode,
    DateTimeOffset ModeledStart,
    DateTimeOffset ModeledEnd);
