namespace LabNet.Simulator.Guest;

/// <summary>
/// Ubuntu's apt timers on a fresh image: they are persistent and have never run, so right after the first boot
/// apt-daily refreshes the package lists (holding <c>/var/lib/apt/lists/lock</c>) and then unattended-upgrades installs
/// updates (holding <c>/var/lib/dpkg/lock-frontend</c>). Instants are on the modeled timeline.
/// </summary>
/// <param name="ListsLockedUntil">apt-daily's <c>apt-get update</c> holds the lists' lock from boot until then.</param>
/// <param name="FrontendLockedUntil">unattended-upgrades holds dpkg's frontend lock from then until this instant.</param>
public sealed record FirstBootAptJobs(DateTimeOffset ListsLockedUntil, DateTimeOffset FrontendLockedUntil)
{
    public const int AptDailyPid = 1043;
    public const int UnattendedUpgradesPid = 1187;

    public bool ListsLocked(DateTimeOffset now) => now < ListsLockedUntil;

    public bool FrontendLocked(DateTimeOffset now) => now >= ListsLockedUntil && now < FrontendLockedUntil;
}
