using System.Globalization;
using System.Net;
using LabNet.Simulator.Host;

namespace LabNet.Simulator.Guest.Commands;

/// <summary>
/// ping and nc (netcat-openbsd) for node-to-node connectivity probes, answered by the lab network: another VM is
/// reachable only on a shared segment (Softnet with 0.0.0.0/0), and a port answers only if something listens there
/// (sshd on 22, the API server on 6443 while it serves, the kubelet on 10250).
/// </summary>
public sealed class NetworkProbeCommands(IEnumerable<IGuestPortListener> listeners) : IGuestCommand
{
    public IReadOnlyList<string> Names { get; } = ["ping", "nc", "netcat"];

    public Task<int> RunAsync(CommandCall call) => call.Name == "ping" ? PingAsync(call) : NetcatAsync(call);

    private static bool IsLabAddress(MacHost host, string address) =>
        address.StartsWith(host.Options.NatSubnet + ".", StringComparison.Ordinal) || address.StartsWith(host.Options.SoftnetSubnet + ".", StringComparison.Ordinal);

    /// <summary>Whether packets from this guest reach the address (itself and loopback always; the internet via NAT).</summary>
    private static bool Reaches(CommandCall call, string address)
    {
        var vm = call.Vm;
        if (address.StartsWith("127.", StringComparison.Ordinal) || address == vm.Address)
        {
            return true;
        }

        var host = call.Mac;
        return IsLabAddress(host, address) ? host.CanReach(vm, address) : vm.Address is not null;
    }

    private static async Task<int> PingAsync(CommandCall call)
    {
        var count = 4;
        var wait = 10;
        string? target = null;
        for (var i = 0; i < call.Args.Count; i++)
        {
            switch (call.Args[i])
            {
                case "-c" when i + 1 < call.Args.Count:
                    count = int.Parse(call.Args[++i], CultureInfo.InvariantCulture);
                    break;
                case "-W" or "-w" when i + 1 < call.Args.Count:
                    wait = (int)double.Parse(call.Args[++i], CultureInfo.InvariantCulture);
                    break;
                case "-q":
                    break;
                default:
                    target = call.Args[i].StartsWith('-') ? target : call.Args[i];
                    break;
            }
        }

        if (target is null)
        {
            return call.Fail("ping: usage error: Destination address required", 1);
        }

        var address = IPAddress.TryParse(target, out _) ? target : ResolveName(call, target);
        if (address is null)
        {
            return call.Fail($"ping: {target}: Temporary failure in name resolution", 2);
        }

        call.Out.WriteLine($"PING {target} ({address}) 56(84) bytes of data.");
        var reachable = Reaches(call, address);
        var received = 0;
        if (reachable)
        {
            for (var seq = 1; seq <= count; seq++)
            {
                // A lost echo (the ping-loss fault): no reply line; the last one is waited for up to -W seconds.
                if (call.Mac.Faults.Fire(Faults.FaultKind.PingLoss, call.Vm.Name))
                {
                    await call.Elapse(TimeSpan.FromSeconds(seq < count ? 1 : wait));
                    continue;
                }

                received++;
                call.Out.WriteLine($"64 bytes from {address}: icmp_seq={seq} ttl=64 time=0.512 ms");
                if (seq < count)
                {
                    await call.Elapse(TimeSpan.FromSeconds(1));
                }
            }
        }
        else
        {
            await call.Elapse(TimeSpan.FromSeconds(Math.Max(count, wait)));
        }

        call.Out.WriteLine();
        call.Out.WriteLine($"--- {target} ping statistics ---");
        var loss = 100.0 * (count - received) / count;
        call.Out.WriteLine($"{count} packets transmitted, {received} received, {loss.ToString("G6", CultureInfo.InvariantCulture)}% packet loss, time {(count - 1) * 1000}ms");
        if (received > 0)
        {
            call.Out.WriteLine("rtt min/avg/max/mdev = 0.512/0.512/0.512/0.000 ms");
        }

        // iputils: exit 0 when any reply came back (with a count and no deadline), 1 when none did.
        return received > 0 ? 0 : 1;
    }

    private async Task<int> NetcatAsync(CommandCall call)
    {
        var verbose = false;
        var timeout = 120;
        var positionals = new List<string>();
        for (var i = 0; i < call.Args.Count; i++)
        {
            var arg = call.Args[i];
            if (arg == "-w" && i + 1 < call.Args.Count)
            {
                timeout = int.Parse(call.Args[++i], CultureInfo.InvariantCulture);
            }
            else if (arg.StartsWith('-'))
            {
                verbose |= arg.Contains('v');
                if (arg.EndsWith('w') && i + 1 < call.Args.Count)
                {
                    timeout = int.Parse(call.Args[++i], CultureInfo.InvariantCulture);
                }
            }
            else
            {
                positionals.Add(arg);
            }
        }

        if (positionals.Count < 2 || !int.TryParse(positionals[1], out var port))
        {
            return call.Fail("usage: nc [-46CDdFhklNnrStUuvZz] [-I length] [-i interval] [-M ttl]\n\t  [-m minttl] [-O length] [-P proxy_username] [-p source_port]\n\t  [-q seconds] [-s sourceaddr] [-T keyword] [-V rtable] [-W recvlimit]\n\t  [-w timeout] [-X proxy_protocol] [-x proxy_address[:port]]\n\t  [destination] [port]", 1);
        }

        var target = positionals[0];
        var address = IPAddress.TryParse(target, out _) ? target : ResolveName(call, target);
        if (address is null)
        {
            return call.Fail($"nc: getaddrinfo for host \"{target}\" port {port}: Temporary failure in name resolution", 1);
        }

        if (!Reaches(call, address))
        {
            await call.Elapse(TimeSpan.FromSeconds(timeout));
            return verbose ? call.Fail($"nc: connect to {target} port {port} (tcp) timed out: Operation now in progress", 1) : 1;
        }

        if (!Listens(call, address, port))
        {
            return verbose ? call.Fail($"nc: connect to {target} port {port} (tcp) failed: Connection refused", 1) : 1;
        }

        if (verbose)
        {
            call.Error.WriteLine($"Connection to {target} {port} port [tcp/*] succeeded!");
        }

        return 0;
    }

    private static string? ResolveName(CommandCall call, string name)
    {
        lock (call.Guest.Sync)
        {
            return HostsFile.Resolve(call.Guest.ReadFile("/etc/hosts"), name);
        }
    }

    private bool Listens(CommandCall call, string address, int port)
    {
        var vm = address.StartsWith("127.", StringComparison.Ordinal) ? call.Vm : call.Mac.FindByAddress(address);
        if (vm is null)
        {
            return false;
        }

        bool kubelet;
        lock (vm.Guest.Sync)
        {
            kubelet = vm.Guest.Services.GetValueOrDefault("kubelet")?.Running == true;
        }

        return port switch
        {
            22 => vm.SshReady,
            10250 => kubelet,
            _ => listeners.Any(l => l.Listens(vm, port)),
        } && vm.State is VmState.Running;
    }
}
