using System.Text.RegularExpressions;
using LabNet.Simulator.Shell;

namespace LabNet.Simulator.Guest;

/// <summary>
/// What is inside one VM: its files, packages, services, kernel modules, sysctls, swap and hostname. The disk
/// (files, packages, enabled units) survives a reboot; the running state (swap, modules, sysctls, running units) is
/// rebuilt at boot from the files, as systemd would.
/// </summary>
public sealed partial class GuestOs
{
    public const string AdminHome = "/home/admin";

    private readonly Dictionary<string, string> _files = new(StringComparer.Ordinal);
    private readonly HashSet<string> _directories = new(StringComparer.Ordinal);

    public GuestOs(string hostname)
    {
        Hostname = hostname;
        foreach (var dir in new[]
                 {
                     "/", "/etc", "/etc/apt", "/etc/apt/keyrings", "/etc/apt/sources.list.d", "/etc/modules-load.d",
                     "/etc/sysctl.d", "/home", AdminHome, "/root", "/tmp", "/var", "/var/lib", "/usr", "/usr/bin", "/proc",
                 })
        {
            _directories.Add(dir);
        }

        _files["/etc/fstab"] = "LABEL=cloudimg-rootfs\t/\text4\tdiscard,commit=30,errors=remount-ro\t0 1\n/swap.img\tnone\tswap\tsw\t0\t0\n";
        _files["/etc/hostname"] = hostname + "\n";
        _files["/etc/hosts"] = $"127.0.0.1 localhost\n127.0.1.1 {hostname}\n\n# The following lines are desirable for IPv6 capable hosts\n::1     ip6-localhost ip6-loopback\n";
        _files["/etc/os-release"] = "PRETTY_NAME=\"Ubuntu 24.04.1 LTS\"\nNAME=\"Ubuntu\"\nVERSION_ID=\"24.04\"\nID=ubuntu\n";
        _files["/swap.img"] = "";
        foreach (var package in new[] { "bash", "coreutils", "sudo", "openssh-server", "curl", "ca-certificates", "gnupg", "openssl", "iptables", "kmod", "systemd" })
        {
            Packages.Add(package);
        }

        Services["ssh"] = new GuestService("ssh") { Enabled = true };
        Services["systemd-networkd"] = new GuestService("systemd-networkd") { Enabled = true };
    }

    /// <summary>Guards every read and write of this guest; commands of one VM run one at a time.</summary>
    public Lock Sync { get; } = new();

    public string Hostname { get; set; }

    public HashSet<string> Packages { get; } = new(StringComparer.Ordinal);

    public HashSet<string> HeldPackages { get; } = new(StringComparer.Ordinal);

    /// <summary>Installed versions of the packages apt installed (e.g. kubeadm 1.31.14-1.1).</summary>
    public Dictionary<string, string> PackageVersions { get; } = new(StringComparer.Ordinal);

    /// <summary>The apt source lines whose package lists were fetched by the last <c>apt-get update</c>.</summary>
    public HashSet<string> IndexedSources { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, GuestService> Services { get; } = new(StringComparer.Ordinal);

    public HashSet<string> LoadedModules { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, string> Sysctls { get; } = new(StringComparer.Ordinal);

    public bool SwapOn { get; set; }

    /// <summary>apt's first-boot jobs when this boot runs them (an injected fault), else null.</summary>
    public FirstBootAptJobs? AptJobs { get; set; }

    public bool Booted { get; private set; }

    public IEnumerable<string> FilePaths => _files.Keys;

    public IEnumerable<string> AllPaths => _files.Keys.Concat(_directories);

    public bool FileExists(string path) => _files.ContainsKey(Normalize(path));

    public bool DirectoryExists(string path) => _directories.Contains(Normalize(path));

    public bool Exists(string path) => FileExists(path) || DirectoryExists(path);

    public string? ReadFile(string path) => _files.GetValueOrDefault(Normalize(path));

    public void WriteFile(string path, string content)
    {
        path = Normalize(path);
        _files[path] = content;
        CreateDirectory(Path.GetDirectoryName(path) ?? "/");
    }

    public void CreateDirectory(string path)
    {
        path = Normalize(path);
        while (path.Length > 0 && _directories.Add(path))
        {
            path = Path.GetDirectoryName(path) ?? "";
        }
    }

    public bool ParentExists(string path) => DirectoryExists(Path.GetDirectoryName(Normalize(path)) ?? "/");

    public bool DeleteFile(string path) => _files.Remove(Normalize(path));

    /// <summary>rm -rf: the path and everything under it.</summary>
    public void DeleteTree(string path)
    {
        path = Normalize(path);
        var prefix = path == "/" ? "/" : path + "/";
        foreach (var file in _files.Keys.Where(f => f == path || f.StartsWith(prefix, StringComparison.Ordinal)).ToList())
        {
            _files.Remove(file);
        }

        foreach (var dir in _directories.Where(d => d == path || d.StartsWith(prefix, StringComparison.Ordinal)).ToList())
        {
            _directories.Remove(dir);
        }
    }

    public bool IsDirectoryEmpty(string path)
    {
        var prefix = Normalize(path).TrimEnd('/') + "/";
        return !_files.Keys.Any(f => f.StartsWith(prefix, StringComparison.Ordinal)) &&
               !_directories.Any(d => d.StartsWith(prefix, StringComparison.Ordinal));
    }

    public IEnumerable<string> Children(string directory)
    {
        var prefix = Normalize(directory).TrimEnd('/') + "/";
        return _files.Keys.Concat(_directories)
            .Where(p => p.StartsWith(prefix, StringComparison.Ordinal) && p.Length > prefix.Length && !p[prefix.Length..].Contains('/'))
            .Distinct()
            .Order(StringComparer.Ordinal);
    }

    /// <summary>An absolute path with <c>.</c>, <c>..</c> and repeated slashes taken out, as the guest's shell resolves it.</summary>
    public static string Normalize(string path) => ShellPaths.Normalize(path);

    /// <summary>Power-on: systemd rebuilds the running state from the disk.</summary>
    public void Boot()
    {
        SwapOn = ActiveSwapEntries().Any();
        LoadedModules.Clear();
        Sysctls.Clear();
        Sysctls["net.ipv4.ip_forward"] = "0";
        foreach (var path in _files.Keys.Where(p => p.StartsWith("/etc/modules-load.d/", StringComparison.Ordinal)).ToList())
        {
            foreach (var module in ConfigLines(_files[path]))
            {
                LoadModule(module);
            }
        }

        ApplySysctlFiles();
        foreach (var service in Services.Values)
        {
            service.Running = service.Enabled;
        }

        Booted = true;
    }

    public void PowerOff()
    {
        Booted = false;
        SwapOn = false;
        LoadedModules.Clear();
        Sysctls.Clear();
        foreach (var service in Services.Values)
        {
            service.Running = false;
        }
    }

    public void LoadModule(string module)
    {
        LoadedModules.Add(module);
        if (module == "br_netfilter")
        {
            Sysctls.TryAdd("net.bridge.bridge-nf-call-iptables", "0");
            Sysctls.TryAdd("net.bridge.bridge-nf-call-ip6tables", "0");
        }
    }

    /// <summary>What <c>sysctl --system</c> does: applies /etc/sysctl.d/*.conf in order; returns the lines it prints.</summary>
    public IReadOnlyList<string> ApplySysctlFiles()
    {
        var printed = new List<string>();
        foreach (var path in _files.Keys.Where(p => p.StartsWith("/etc/sysctl.d/", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList())
        {
            printed.Add($"* Applying {path} ...");
            foreach (var line in ConfigLines(_files[path]))
            {
                var eq = line.IndexOf('=');
                if (eq <= 0)
                {
                    continue;
                }

                var key = line[..eq].Trim();
                var value = line[(eq + 1)..].Trim();
                if (key.StartsWith("net.bridge.", StringComparison.Ordinal) && !LoadedModules.Contains("br_netfilter"))
                {
                    printed.Add($"sysctl: cannot stat /proc/sys/{key.Replace('.', '/')}: No such file or directory");
                    continue;
                }

                Sysctls[key] = value;
                printed.Add($"{key} = {value}");
            }
        }

        if (_files.ContainsKey("/etc/sysctl.conf"))
        {
            printed.Add("* Applying /etc/sysctl.conf ...");
        }

        return printed;
    }

    /// <summary>Uncommented lines of /etc/fstab whose type is swap.</summary>
    public IEnumerable<string> ActiveSwapEntries() =>
        (ReadFile("/etc/fstab") ?? "").Split('\n')
            .Where(l => !l.TrimStart().StartsWith('#') && SwapEntry().IsMatch(l));

    public bool HasCommand(string command) => command switch
    {
        "containerd" or "ctr" => Packages.Contains("containerd"),
        "conntrack" => Packages.Contains("conntrack"),
        "kubeadm" => Packages.Contains("kubeadm"),
        "kubelet" => Packages.Contains("kubelet"),
        "kubectl" => Packages.Contains("kubectl"),
        "crictl" => Packages.Contains("cri-tools"),
        "curl" => Packages.Contains("curl"),
        "gpg" => Packages.Contains("gnupg"),
        "openssl" => Packages.Contains("openssl"),
        "iptables" => Packages.Contains("iptables"),
        _ => true,
    };

    private static IEnumerable<string> ConfigLines(string content) =>
        content.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#') && !l.StartsWith(';'));

    [GeneratedRegex(@"^\S+\s+\S+\s+swap\s")]
    private static partial Regex SwapEntry();
}
