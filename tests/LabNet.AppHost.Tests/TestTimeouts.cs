namespace LabNet.AppHost.Tests;

/// <summary>Every await on the distributed app has a bound, so a hang fails the test instead of the CI run.</summary>
internal static class TestTimeouts
{
    public static readonly TimeSpan Build = TimeSpan.FromSeconds(90);
    public static readonly TimeSpan Start = TimeSpan.FromMinutes(3);
    public static readonly TimeSpan ResourceHealthy = TimeSpan.FromMinutes(2);
    public static readonly TimeSpan Stop = TimeSpan.FromSeconds(60);
    public static readonly TimeSpan Process = TimeSpan.FromMinutes(2);

    /// <summary>A dashboard command, including the up to 20 s a canary command waits for the controller to act.</summary>
    public static readonly TimeSpan Command = TimeSpan.FromSeconds(45);

    /// <summary>The canary's next phase after a command or a tick (the analysis interval is 5 s).</summary>
    public static readonly TimeSpan CanaryPhase = TimeSpan.FromSeconds(60);
}
