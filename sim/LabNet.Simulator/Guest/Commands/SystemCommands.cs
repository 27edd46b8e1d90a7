namespace LabNet.Simulator.Guest.Commands;

/// <summary>The kernel and identity programs: swapoff/swapon, modprobe, lsmod, sysctl, hostnamectl, id, whoami, uname.</summary>
public sealed class SystemCommands : IGuestCommand
{
    private static readonly HashSet<string> KnownModules =
        ["overlay", "br_netfilter", "ip_vs", "ip_vs_rr", "ip_vs_wrr", "ip_vs_sh", "nf_conntrack", "ip_tables", "iptable_nat", "vxlan", "xt_socket", "ip6_tables"];

    public IReadOnlyList<string> Names { get; } = ["swapoff", "swapon", "modprobe", "lsmod", "sysctl", "hostnamectl", "id", "whoami", "uname"];

    public Task<int> RunAsync(CommandCall call)
    {
        lock (call.Guest.Sync)
        {
            return Task.FromResult(call.Name switch
            {
                "swapoff" => Swapoff(call),
                "swapon" => Swapon(call),
                "modprobe" => Modprobe(call),
                "lsmod" => Lsmod(call),
                "sysctl" => Sysctl(call),
                "hostnamectl" => Hostnamectl(call),
                "id" => Id(call),
                "whoami" => Write(call, call.IsRoot ? "root" : call.Mac.Options.GuestUser),
                _ => Uname(call),
            });
        }
    }

    private static int Write(CommandCall call, string text)
    {
        call.Out.WriteLine(text);
        return 0;
    }

    private static int Swapoff(CommandCall call)
    {
        if (!call.IsRoot)
        {
            return call.Fail("swapoff: /swap.img: swapoff failed: Operation not permitted", 255);
        }

        if (!call.Args.Contains("-a") && call.Args.Count == 0)
        {
            return call.Fail("Usage:\n swapoff [options] [<spec>]", 1);
        }

        call.Guest.SwapOn = false;
        return 0;
    }

    private static int Swapon(CommandCall call)
    {
        if (call.Args.Contains("--show") || call.Args.Contains("-s"))
        {
            if (call.Guest.SwapOn)
            {
                call.Out.WriteLine("NAME      TYPE SIZE USED PRIO");
                call.Out.WriteLine("/swap.img file   4G   0B   -2");
            }

            return 0;
        }

        if (!call.IsRoot)
        {
            return call.Fail("swapon: /swap.img: swapon failed: Operation not permitted", 255);
        }

        call.Guest.SwapOn = call.Guest.ActiveSwapEntries().Any();
        return 0;
    }

    private static int Modprobe(CommandCall call)
    {
        foreach (var module in call.Args.Where(a => !a.StartsWith('-')))
        {
            if (!KnownModules.Contains(module))
            {
                return call.Fail($"modprobe: FATAL: Module {module} not found in directory /lib/modules/6.8.0-49-generic");
            }

            if (!call.IsRoot)
            {
                return call.Fail($"modprobe: ERROR: could not insert '{module}': Operation not permitted");
            }

            call.Guest.LoadModule(module);
        }

        return 0;
    }

    private static int Lsmod(CommandCall call)
    {
        call.Out.WriteLine("Module                  Size  Used by");
        foreach (var module in call.Guest.LoadedModules.Order(StringComparer.Ordinal))
        {
            call.Out.WriteLine($"{module,-24}{32768,6}  0");
        }

        return 0;
    }

    private static int Sysctl(CommandCall call)
    {
        var args = call.Args;
        if (args.Contains("--system"))
        {
            if (!call.IsRoot)
            {
                return call.Fail("sysctl: permission denied on key \"net.ipv4.ip_forward\"");
            }

            foreach (var line in call.Guest.ApplySysctlFiles())
            {
                (line.StartsWith("sysctl:", StringComparison.Ordinal) ? call.Error : call.Out).WriteLine(line);
            }

            return 0;
        }

        var valueOnly = args.Contains("-n");
        var code = 0;
        foreach (var arg in args.Where(a => !a.StartsWith('-')))
        {
            var eq = arg.IndexOf('=');
            if (eq > 0)
            {
                var key = arg[..eq].Trim();
                if (!call.IsRoot)
                {
                    code = call.Fail($"sysctl: permission denied on key \"{key}\"");
                    continue;
                }

                if (key.StartsWith("net.bridge.", StringComparison.Ordinal) && !call.Guest.LoadedModules.Contains("br_netfilter"))
                {
                    code = call.Fail($"sysctl: cannot stat /proc/sys/{key.Replace('.', '/')}: No such file or directory", 255);
                    continue;
                }

                call.Guest.Sysctls[key] = arg[(eq + 1)..].Trim();
                call.Out.WriteLine($"{key} = {call.Guest.Sysctls[key]}");
                continue;
            }

            if (call.Guest.Sysctls.TryGetValue(arg, out var value))
            {
                call.Out.WriteLine(valueOnly ? value : $"{arg} = {value}");
            }
            else
            {
                code = call.Fail($"sysctl: cannot stat /proc/sys/{arg.Replace('.', '/')}: No such file or directory", 255);
            }
        }

        return code;
    }

    private static int Hostnamectl(CommandCall call)
    {
        if (call.Args.Count >= 2 && call.Args[0] is "set-hostname" or "hostname")
        {
            if (!call.IsRoot)
            {
                return call.Fail("Could not set static hostname: Access denied");
            }

            call.Guest.Hostname = call.Args[1];
            call.Guest.WriteFile("/etc/hostname", call.Args[1] + "\n");
            return 0;
        }

        call.Out.WriteLine($" Static hostname: {call.Guest.Hostname}");
        call.Out.WriteLine("Operating System: Ubuntu 24.04.1 LTS");
        call.Out.WriteLine("          Kernel: Linux 6.8.0-49-generic");
        call.Out.WriteLine("    Architecture: arm64");
        return 0;
    }

    private static int Id(CommandCall call)
    {
        var root = call.IsRoot;
        var user = root ? "root" : call.Mac.Options.GuestUser;
        var id = root ? "0" : "1000";
        return call.Args.FirstOrDefault() switch
        {
            "-u" or "-g" => Write(call, id),
            "-un" or "-gn" or "-nu" or "-ng" => Write(call, user),
            _ => Write(call, root ? "uid=0(root) gid=0(root) groups=0(root)" : $"uid=1000({user}) gid=1000({user}) groups=1000({user}),4(adm),27(sudo)"),
        };
    }

    private static int Uname(CommandCall call) => call.Args.FirstOrDefault() switch
    {
        "-r" => Write(call, "6.8.0-49-generic"),
        "-m" or "-p" => Write(call, "aarch64"),
        "-a" => Write(call, $"Linux {call.Guest.Hostname} 6.8.0-49-generic #49-Ubuntu SMP PREEMPT_DYNAMIC aarch64 aarch64 aarch64 GNU/Linux"),
        _ => Write(call, "Linux"),
    };
}
