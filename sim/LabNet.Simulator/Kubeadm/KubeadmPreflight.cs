using LabNet.Simulator.Faults;
using LabNet.Simulator.Guest;
using LabNet.Simulator.Guest.Commands;
using LabNet.Simulator.Host;

namespace LabNet.Simulator.Kubeadm;

/// <summary>What init and join check and read first: the kubeadm version, flags, the preflight checks they share, the node's name.</summary>
internal static class KubeadmPreflight
{
    public static string VersionOf(CommandCall call)
    {
        lock (call.Guest.Sync)
        {
            var package = call.Guest.PackageVersions.GetValueOrDefault("kubeadm") ?? "1.31.14-1.1";
            return "v" + package.Split('-')[0];
        }
    }
    public static int UnknownFlag(CommandCall call, string flag) =>
        call.Fail($"unknown flag: {flag}\n{KubeadmText.StackTraceHint}");
    public static bool Ignored(KubeadmFlags flags, string check)
    {
        var list = (flags.Get("ignore-preflight-errors") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return list.Any(i => i.Equals("all", StringComparison.OrdinalIgnoreCase) || i.Equals(check, StringComparison.OrdinalIgnoreCase));
    }
    /// <summary>The checks init and join share; returns the fatal ones (ignored ones become warnings).</summary>
    public static List<(string Check, string Message)> CommonPreflight(CommandCall call, KubeadmFlags flags, bool controlPlane)
    {
        var errors = new List<(string, string)>();
        var warnings = new List<(string, string)>();
        var guest = call.Guest;
        var vm = call.Vm;
        lock (guest.Sync)
        {
            if (controlPlane && vm.CpuCount < 2)
            {
                errors.Add(("NumCPU", $"the number of available CPUs {vm.CpuCount} is less than the required 2"));
            }

            if (controlPlane && vm.MemoryMb < 1700)
            {
                errors.Add(("Mem", $"the system RAM ({vm.MemoryMb} MB) is less than the minimum 1700 MB"));
            }

            if (guest.Services.GetValueOrDefault("containerd") is not { Running: true })
            {
                errors.Add(("CRI", "container runtime is not running: output: time=\"2024-11-26T06:00:00Z\" level=fatal msg=\"validate service connection: validate CRI v1 runtime API for endpoint \\\"unix:///var/run/containerd/containerd.sock\\\": rpc error: code = Unavailable desc = connection error: desc = \\\"transport: Error while dialing: dial unix /var/run/containerd/containerd.sock: connect: no such file or directory\\\"\"\n, error: exit status 1"));
            }

            if (!guest.Packages.Contains("conntrack"))
            {
                errors.Add(("FileExisting-conntrack", "conntrack not found in system path"));
            }

            if (!guest.Packages.Contains("kubelet"))
            {
                errors.Add(("KubeletVersion", "couldn't get kubelet version: cannot execute 'kubelet --version': exec: \"kubelet\": executable file not found in $PATH"));
            }

            if (guest.Sysctls.GetValueOrDefault("net.ipv4.ip_forward") != "1")
            {
                errors.Add(("FileContent--proc-sys-net-ipv4-ip_forward", "/proc/sys/net/ipv4/ip_forward contents are not set to 1"));
            }

            if (guest.SwapOn)
            {
                warnings.Add(("Swap", "swap is supported for cgroup v2 only. The kubelet must be properly configured to use swap. Please refer to https://kubernetes.io/docs/concepts/architecture/nodes/#swap-memory, or disable swap on the node"));
            }

            if (guest.Services.GetValueOrDefault("kubelet") is { Enabled: false })
            {
                warnings.Add(("Service-Kubelet", "kubelet service is not enabled, please run 'systemctl enable kubelet.service'"));
            }
        }

        foreach (var (check, message) in errors.Where(e => Ignored(flags, e.Item1)).Concat(warnings))
        {
            call.Out.WriteLine($"\t[WARNING {check}]: {message}");
        }

        return errors.Where(e => !Ignored(flags, e.Item1)).ToList();
    }
    public static string NodeNameOf(CommandCall call, KubeadmFlags flags)
    {
        lock (call.Guest.Sync)
        {
            return (flags.Get("node-name") ?? call.Guest.Hostname).ToLowerInvariant();
        }
    }

    /// <summary>
    /// The preflight phase of init and join: as root, the shared checks and the verb's own (<paramref name="checks"/>,
    /// called under the guest's lock); prints what fails, less what <c>--ignore-preflight-errors</c> names.
    /// </summary>
    /// <returns>False when a check failed (kubeadm then exits 1).</returns>
    public static bool Run(CommandCall call, KubeadmFlags flags, bool controlPlane, Action<List<(string Check, string Message)>> checks)
    {
        call.Out.WriteLine("[preflight] Running pre-flight checks");
        if (!call.IsRoot)
        {
            call.Error.WriteLine(KubeadmText.PreflightFailure([("IsPrivilegedUser", "user is not running as root")]));
            return false;
        }

        var errors = CommonPreflight(call, flags, controlPlane);
        lock (call.Guest.Sync)
        {
            checks(errors);
        }

        errors = errors.Where(e => !Ignored(flags, e.Check)).ToList();
        if (errors.Count > 0)
        {
            call.Error.WriteLine(KubeadmText.PreflightFailure(errors));
            return false;
        }

        return true;
    }

    /// <summary>The verb's flags; null (after kubeadm's error) when one is unknown.</summary>
    public static KubeadmFlags? Flags(CommandCall call, IEnumerable<string> args, ISet<string> valued, ISet<string> booleans)
    {
        var flags = KubeadmFlags.Parse(args, valued, booleans);
        if (flags.UnknownFlag is { } unknown)
        {
            UnknownFlag(call, unknown);
            return null;
        }

        return flags;
    }
}
