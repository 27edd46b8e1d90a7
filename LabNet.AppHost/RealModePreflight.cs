using Microsoft.Extensions.Configuration;

namespace LabNet.AppHost;

/// <summary>
/// Before real mode starts anything: are the Mac's tools there and runnable? Every missing piece is listed at once
/// with how to install it. Real mode never falls back to simulation.
/// </summary>
public static class RealModePreflight
{
    public const string Section = "LabNet:Real";

    /// <summary>The tools real mode drives, with the setting that names each and how a person installs it.</summary>
    private static readonly (string Setting, string Default, string Install)[] Tools =
    [
        ("Tart", "tart", "brew install cirruslabs/cli/tart"),
        ("SshPass", "sshpass", "brew install hudochenkov/sshpass/sshpass"),
        ("Ssh", "ssh", "ssh ships with macOS (System Settings > General > Sharing is not needed for the client)"),
        ("Helm", "helm", "brew install helm"),
    ];

    public static IReadOnlyList<string> FindProblems(IConfiguration configuration, Func<string, string?> resolveExecutable)
    {
        var problems = new List<string>();
        foreach (var (setting, fallback, install) in Tools)
        {
            var configured = configuration[$"{Section}:{setting}"] is { Length: > 0 } value ? value : fallback;
            if (resolveExecutable(configured) is null)
            {
                problems.Add($"{setting.ToLowerInvariant()}: '{configured}' was not found or is not executable ({Section}:{setting}). Install: {install}.");
            }
        }

        // tart run --net-softnet-allow spawns softnet, which must be root-owned and SUID: Tart only offers to fix that on a TTY.
        var softnetSetting = configuration[$"{Section}:SoftNet"] is { Length: > 0 } configuredSoftnet ? configuredSoftnet : "softnet";
        var softnet = resolveExecutable(softnetSetting);
        if (softnet is null)
        {
            problems.Add($"softnet: '{softnetSetting}' was not found ({Section}:SoftNet). It comes with Tart (brew install cirruslabs/cli/softnet); VMs cannot reach each other without it.");
        }
        else if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(softnet) & UnixFileMode.SetUser) == 0)
        {
            problems.Add($"softnet: {softnet} is not SUID root, so tart run --net-softnet-allow fails under LabNet. Fix: sudo chown root {softnet} && sudo chmod u+s {softnet}.");
        }

        return problems;
    }

    /// <summary>An absolute path that exists and is executable, or the first such match on PATH.</summary>
    public static string? ResolveExecutable(string nameOrPath)
    {
        if (nameOrPath.Contains(Path.DirectorySeparatorChar))
        {
            return IsExecutable(nameOrPath) ? Path.GetFullPath(nameOrPath) : null;
        }

        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, nameOrPath);
            if (IsExecutable(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    private static bool IsExecutable(string path) =>
        File.Exists(path) && (OperatingSystem.IsWindows() || (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0);
}
