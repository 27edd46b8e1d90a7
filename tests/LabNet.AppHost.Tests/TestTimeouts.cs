namespace LabNet.AppHost.Tests;

/// <summary>Every await on the distributed app has a bound, so a hang fails the test instead of the CI run.</summary>
internal static class TestTimeouts
{
    public static readonly TimeSpan Build = TimeSpan.FromSeconds(90);
    public static readonly TimeSpan Start = TimeSpan.FromMinutes(3);
    public static readonly TimeSpan ResourceHealthy = TimeSpan.FromMinutes(2);
    public static readonly TimeSpan Stop = TimeSpan.FromSeconds(60);
    public static readonly TimeSpan Process = TimeSpan.FromMinutes(2);
}
