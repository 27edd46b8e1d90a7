using System.Text.RegularExpressions;

namespace LabNet.Simulator.Guest.Commands;

/// <summary>
/// apt-get (update, install, remove) and apt-mark for Ubuntu 24.04's archive plus the pkgs.k8s.io repository: a
/// Kubernetes package is found only after its repository's list file exists, its keyring exists, and <c>apt-get update</c>
/// indexed it.
/// </summary>
public sealed partial class AptCommands : IGuestCommand
{
    private const string UbuntuArchive = "http://ports.ubuntu.com/ubuntu-ports noble";

    /// <summary>Ubuntu noble's packages the lab installs, with their versions.</summary>
    private static readonly Dictionary<string, string> ArchivePackages = new(StringComparer.Ordinal)
    {
        ["runc"] = "1.1.12-0ubuntu3.1",
        ["apt-transport-https"] = "2.7.14build2",
        ["ca-certificates"] = "20240203",
        ["curl"] = "8.5.0-2ubuntu10.6",
        ["gnupg"] = "2.4.4-2ubuntu17",
        ["conntrack"] = "1:1.4.8-1ubuntu1",
        ["socat"] = "1.8.0.0-4build3",
        ["jq"] = "1.7.1-3build1",
        ["ebtables"] = "2.0.11-6build1",
        ["ethtool"] = "1:6.7-1build1",
        ["ipset"] = "7.19-1ubuntu2",
        ["ipvsadm"] = "1:1.31-1ubuntu3",
        ["net-tools"] = "2.10-0.1ubuntu4",
        ["openssl"] = "3.0.13-0ubuntu3.4",
        ["iptables"] = "1.8.10-3ubuntu2",
    };

    private static readonly string[] KubernetesPackages = ["kubelet", "kubeadm", "kubectl", "cri-tools", "kubernetes-cni"];

    private static readonly Dictionary<string, string[]> Dependencies = new(StringComparer.Ordinal)
    {
        ["kubelet"] = ["kubernetes-cni"],
        ["kubeadm"] = ["cri-tools"],
        ["containerd"] = ["runc"],
    };

    public IReadOnlyList<string> Names { get; } = ["apt-get", "apt", "apt-mark", "dpkg"];

    public async Task<int> RunAsync(CommandCall call)
    {
        return call.Name switch
        {
            "apt-mark" => await AptMarkAsync(call),
            "dpkg" => Dpkg(call),
            _ => await AptGetAsync(call),
        };
    }

    private static IEnumerable<string> Sources(GuestOs guest) =>
        guest.FilePaths
            .Where(p => p.StartsWith("/etc/apt/sources.list.d/", StringComparison.Ordinal) && p.EndsWith(".list", StringComparison.Ordinal))
            .SelectMany(p => (guest.ReadFile(p) ?? "").Split('\n'))
            .Select(l => l.Trim())
            .Where(l => l.StartsWith("deb ", StringComparison.Ordinal));

    private static string? KubernetesMinor(string source) => K8sSource().Match(source) is { Success: true } m ? m.Groups["minor"].Value : null;

    private async Task<int> AptGetAsync(CommandCall call)
    {
        var quiet = call.Args.Count(a => a is "-qq") > 0 || call.Args.Contains("-q=2");
        var (words, options) = Parse(call.Args);
        if (words.Count == 0)
        {
            return call.Fail("E: Invalid operation", 100);
        }

        var verb = words[0];
        if (verb is "update")
        {
            if (!call.IsRoot)
            {
                call.Out.WriteLine("Reading package lists... Done");
                return call.Fail("E: Could not open lock file /var/lib/apt/lists/lock - open (13: Permission denied)\nE: Unable to lock directory /var/lib/apt/lists/", 100);
            }

            // The lists' lock is taken without waiting: DPkg::Lock::Timeout is for dpkg's lock only.
            if (call.Guest.AptJobs is { } jobs && jobs.ListsLocked(call.Clock.FlowNow))
            {
                return call.Fail(
                    $"E: Could not get lock /var/lib/apt/lists/lock. It is held by process {FirstBootAptJobs.AptDailyPid} (apt-get)\n" +
                    "N: Be aware that removing the lock file is not a solution and may break your system.\n" +
                    "E: Unable to lock directory /var/lib/apt/lists/", 100);
            }

            await call.Elapse(call.Durations.AptUpdate);
            lock (call.Guest.Sync)
            {
                var index = 1;
                if (!quiet)
                {
                    call.Out.WriteLine($"Hit:{index++} {UbuntuArchive} InRelease");
                    call.Out.WriteLine($"Hit:{index++} {UbuntuArchive}-updates InRelease");
                    call.Out.WriteLine($"Hit:{index++} {UbuntuArchive}-security InRelease");
                }

                call.Guest.IndexedSources.Clear();
                foreach (var source in Sources(call.Guest))
                {
                    var keyring = SignedBy().Match(source) is { Success: true } m ? m.Groups[1].Value : null;
                    var url = source.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault(w => w.StartsWith("http", StringComparison.Ordinal)) ?? source;
                    if (KubernetesMinor(source) is null)
                    {
                        call.Out.WriteLine($"Err:{index++} {url}  InRelease\n  Could not resolve host");
                        continue;
                    }

                    if (keyring is null || !call.Guest.FileExists(keyring))
                    {
                        call.Error.WriteLine($"W: GPG error: {url} InRelease: The following signatures couldn't be verified because the public key is not available: NO_PUBKEY 234654DA9A296436");
                        call.Error.WriteLine($"E: The repository '{url} InRelease' is not signed.");
                        return 100;
                    }

                    if (!quiet)
                    {
                        call.Out.WriteLine($"Get:{index++} {url} InRelease [1186 B]");
                        call.Out.WriteLine($"Get:{index++} {url} Packages [4865 B]");
                    }

                    call.Guest.IndexedSources.Add(source);
                }

                if (!quiet)
                {
                    call.Out.WriteLine("Reading package lists... Done");
                }
            }

            return 0;
        }

        if (verb is not ("install" or "remove" or "purge"))
        {
            return call.Fail($"E: Invalid operation {verb}", 100);
        }

        if (!call.IsRoot)
        {
            return call.Fail("E: Could not open lock file /var/lib/dpkg/lock-frontend - open (13: Permission denied)\nE: Unable to acquire the dpkg frontend lock (/var/lib/dpkg/lock-frontend), are you root?", 100);
        }

        if (!await AcquireFrontendLockAsync(call, options))
        {
            return 100;
        }

        var requested = words.Skip(1).Select(w => w.Split('=')[0]).ToList();
        if (verb is "remove" or "purge")
        {
            lock (call.Guest.Sync)
            {
                foreach (var package in requested)
                {
                    call.Guest.Packages.Remove(package);
                    call.Guest.Services.Remove(package);
                }
            }

            return 0;
        }

        List<(string Package, string Version)> toInstall;
        lock (call.Guest.Sync)
        {
            if (!quiet)
            {
                call.Out.WriteLine("Reading package lists...\nBuilding dependency tree...\nReading state information...");
            }

            var kubernetesMinor = call.Guest.IndexedSources.Select(KubernetesMinor).FirstOrDefault(m => m is not null);
            var missing = requested.Where(p => p != "containerd" && !ArchivePackages.ContainsKey(p) && !(KubernetesPackages.Contains(p) && kubernetesMinor is not null)).ToList();
            if (missing.Count > 0)
            {
                foreach (var package in missing)
                {
                    call.Error.WriteLine($"E: Unable to locate package {package}");
                }

                return 100;
            }

            var closure = new List<string>();
            void Add(string package)
            {
                if (closure.Contains(package))
                {
                    return;
                }

                foreach (var dependency in Dependencies.GetValueOrDefault(package, []))
                {
                    Add(dependency);
                }

                closure.Add(package);
            }

            requested.ForEach(Add);
            foreach (var package in requested.Where(call.Guest.Packages.Contains))
            {
                call.Out.WriteLine($"{package} is already the newest version ({VersionOf(package, kubernetesMinor, call.Mac.Options.ContainerdVersion)}).");
            }

            toInstall = closure.Where(p => !call.Guest.Packages.Contains(p)).Select(p => (p, VersionOf(p, kubernetesMinor, call.Mac.Options.ContainerdVersion))).ToList();
            if (!quiet && toInstall.Count > 0)
            {
                call.Out.WriteLine("The following NEW packages will be installed:");
                call.Out.WriteLine("  " + string.Join(' ', toInstall.Select(p => p.Package)));
            }

            if (!quiet)
            {
                call.Out.WriteLine($"0 upgraded, {toInstall.Count} newly installed, 0 to remove and 0 not upgraded.");
            }
        }

        await call.Elapse(call.Durations.AptInstallPerPackage * toInstall.Count);
        lock (call.Guest.Sync)
        {
            foreach (var (package, version) in toInstall)
            {
                call.Out.WriteLine($"Selecting previously unselected package {package}.");
                call.Out.WriteLine($"Setting up {package} ({version}) ...");
                call.Guest.Packages.Add(package);
                call.Guest.PackageVersions[package] = version;
                switch (package)
                {
                    case "containerd":
                        call.Guest.Services["containerd"] = new GuestService("containerd") { Enabled = true, Running = true };
                        call.Out.WriteLine("Created symlink /etc/systemd/system/multi-user.target.wants/containerd.service → /usr/lib/systemd/system/containerd.service.");
                        break;
                    case "kubelet":
                        // Enabled, but it crash-loops until kubeadm writes its configuration.
                        call.Guest.Services["kubelet"] = new GuestService("kubelet") { Enabled = true, Running = false };
                        call.Out.WriteLine("Created symlink /etc/systemd/system/multi-user.target.wants/kubelet.service → /usr/lib/systemd/system/kubelet.service.");
                        break;
                }
            }
        }

        return 0;
    }

    private static string VersionOf(string package, string? kubernetesMinor, string containerd) =>
        ArchivePackages.TryGetValue(package, out var version) ? version
        : package switch
        {
            "containerd" => containerd,
            "cri-tools" => $"{kubernetesMinor}.1-1.1",
            "kubernetes-cni" => "1.5.1-1.1",
            _ => $"{kubernetesMinor}.14-1.1",
        };

    /// <summary>
    /// dpkg's frontend lock, as apt takes it: at once, or polling once a second for up to <c>DPkg::Lock::Timeout</c>
    /// seconds while another process (unattended-upgrades after a first boot) holds it. False after apt's error.
    /// </summary>
    private static async Task<bool> AcquireFrontendLockAsync(CommandCall call, IReadOnlyDictionary<string, string> options)
    {
        if (call.Guest.AptJobs is not { } jobs || !jobs.FrontendLocked(call.Clock.FlowNow))
        {
            return true;
        }

        var timeout = options.TryGetValue("DPkg::Lock::Timeout", out var value) && int.TryParse(value, out var seconds) && seconds > 0
            ? TimeSpan.FromSeconds(seconds)
            : TimeSpan.Zero;
        var waited = jobs.FrontendLockedUntil - call.Clock.FlowNow;
        await call.Elapse(waited < timeout ? waited : timeout);
        if (!jobs.FrontendLocked(call.Clock.FlowNow))
        {
            return true;
        }

        call.Error.WriteLine(
            $"E: Could not get lock /var/lib/dpkg/lock-frontend. It is held by process {FirstBootAptJobs.UnattendedUpgradesPid} (unattended-upgr)\n" +
            "N: Be aware that removing the lock file is not a solution and may break your system.\n" +
            "E: Unable to acquire the dpkg frontend lock (/var/lib/dpkg/lock-frontend), is another process using it?");
        return false;
    }

    /// <summary>The words of an apt command line and its <c>-o Name=Value</c> options (<c>-o X=Y</c> or <c>-oX=Y</c>).</summary>
    private static (List<string> Words, Dictionary<string, string> Options) Parse(IReadOnlyList<string> args)
    {
        var words = new List<string>();
        var options = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < args.Count; i++)
        {
            var option = args[i] == "-o" && i + 1 < args.Count ? args[++i]
                : args[i].StartsWith("-o", StringComparison.Ordinal) && args[i].Length > 2 ? args[i][2..]
                : args[i].StartsWith("--option=", StringComparison.Ordinal) ? args[i]["--option=".Length..]
                : null;
            if (option is not null)
            {
                var eq = option.IndexOf('=');
                if (eq > 0)
                {
                    options[option[..eq]] = option[(eq + 1)..];
                }
            }
            else if (!args[i].StartsWith('-'))
            {
                words.Add(args[i]);
            }
        }

        return (words, options);
    }

    private static async Task<int> AptMarkAsync(CommandCall call)
    {
        var (words, options) = Parse(call.Args);
        if (words.Count == 0 || words[0] is not ("hold" or "unhold" or "showhold"))
        {
            return call.Fail("E: Invalid operation", 100);
        }

        // Holding goes through dpkg's selections, behind its frontend lock like an install.
        if (words[0] != "showhold" && call.IsRoot && !await AcquireFrontendLockAsync(call, options))
        {
            return 100;
        }

        lock (call.Guest.Sync)
        {
            if (words[0] == "showhold")
            {
                foreach (var held in call.Guest.HeldPackages.Order(StringComparer.Ordinal))
                {
                    call.Out.WriteLine(held);
                }

                return 0;
            }

            if (!call.IsRoot)
            {
                return call.Fail("E: Can not write log (Is /dev/pts mounted?) - posix_openpt (13: Permission denied)\nE: Could not create temporary file for /var/lib/apt/extended_states - mkstemp (13: Permission denied)", 100);
            }

            foreach (var package in words.Skip(1))
            {
                if (!call.Guest.Packages.Contains(package))
                {
                    return call.Fail($"E: Unable to locate package {package}", 100);
                }

                if (words[0] == "hold")
                {
                    call.Guest.HeldPackages.Add(package);
                    call.Out.WriteLine($"{package} set on hold.");
                }
                else
                {
                    call.Guest.HeldPackages.Remove(package);
                    call.Out.WriteLine($"Canceled hold on {package}.");
                }
            }
        }

        return 0;
    }

    private static int Dpkg(CommandCall call)
    {
        if (call.Args.FirstOrDefault() is "-s" or "--status" && call.Args.Count > 1)
        {
            lock (call.Guest.Sync)
            {
                var package = call.Args[1];
                if (!call.Guest.Packages.Contains(package))
                {
                    return call.Fail($"dpkg-query: package '{package}' is not installed and no information is available");
                }

                call.Out.WriteLine($"Package: {package}\nStatus: install ok installed");
                return 0;
            }
        }

        return call.Fail("dpkg: the LabNet guest only answers 'dpkg -s <package>'", 2);
    }

    [GeneratedRegex(@"pkgs\.k8s\.io/core:/stable:/v(?<minor>\d+\.\d+)/deb/")]
    private static partial Regex K8sSource();

    [GeneratedRegex(@"signed-by=([^\]\s]+)")]
    private static partial Regex SignedBy();
}
