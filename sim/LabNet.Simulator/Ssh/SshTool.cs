using System.Globalization;
using System.Net;
using LabNet.Simulator.Faults;
using LabNet.Simulator.Guest.Commands;
using LabNet.Simulator.Host;
using LabNet.Simulator.Shell;
using LabNet.Simulator.Tools;

namespace LabNet.Simulator.Ssh;

/// <summary>
/// OpenSSH's client from the Mac to a VM: <c>ssh [-o K=V]... [-p port] [-l user] user@ip [command...]</c>, with the
/// command (or stdin when there is none) run by the guest's bash. The password comes from the <c>SSHPASS</c> environment
/// variable (what <c>sshpass -e</c> reads), since the shim has no terminal for a password prompt. Connection and
/// authentication failures exit 255 with OpenSSH's (macOS) messages.
/// </summary>
public sealed class SshTool(MacHost host, GuestPrograms programs) : ITool
{
    private const string FlagsWithoutValue = "46AaCfGgKkMNnqsTtVvXxYy";
    private const string FlagsWithValue = "BbcDEeFIiJLlmOopQRSWw";

    public string Name => "ssh";

    public async Task<int> RunAsync(ToolInvocation invocation, ToolOutput output, CancellationToken callerGone)
    {
        var options = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        string? user = null;
        var port = 22;
        var quiet = false;
        string? destination = null;
        var argv = invocation.Argv;
        var i = 0;
        for (; i < argv.Count; i++)
        {
            var arg = argv[i];
            if (arg == "--")
            {
                i++;
                break;
            }

            if (!arg.StartsWith('-') || arg.Length < 2)
            {
                break;
            }

            for (var j = 1; j < arg.Length; j++)
            {
                var flag = arg[j];
                if (FlagsWithoutValue.Contains(flag))
                {
                    quiet |= flag == 'q';
                    continue;
                }

                if (!FlagsWithValue.Contains(flag))
                {
                    output.Error.WriteLine($"ssh: illegal option -- {flag}");
                    output.Error.WriteLine(Usage);
                    return 255;
                }

                var value = j + 1 < arg.Length ? arg[(j + 1)..] : i + 1 < argv.Count ? argv[++i] : null;
                if (value is null)
                {
                    output.Error.WriteLine($"option requires an argument -- {flag}");
                    output.Error.WriteLine(Usage);
                    return 255;
                }

                switch (flag)
                {
                    case 'o':
                        var eq = value.IndexOfAny(['=', ' ']);
                        if (eq <= 0)
                        {
                            output.Error.WriteLine($"command-line line 0: missing argument.");
                            return 255;
                        }

                        options[value[..eq].Trim()] = value[(eq + 1)..].Trim();
                        break;
                    case 'p':
                        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out port))
                        {
                            output.Error.WriteLine($"Bad port '{value}'");
                            return 255;
                        }

                        break;
                    case 'l':
                        user = value;
                        break;
                }

                break;
            }
        }

        if (i < argv.Count)
        {
            destination = argv[i++];
        }

        if (destination is null)
        {
            output.Error.WriteLine(Usage);
            return 255;
        }

        var command = string.Join(' ', argv.Skip(i));
        var at = destination.LastIndexOf('@');
        var address = at >= 0 ? destination[(at + 1)..] : destination;
        user = at >= 0 ? destination[..at] : user ?? invocation.Env("USER") ?? "user";
        var logLevel = options.GetValueOrDefault("LogLevel", "INFO").ToUpperInvariant();
        quiet |= logLevel is "ERROR" or "QUIET" or "FATAL";
        var clock = host.Clock;

        if (!IPAddress.TryParse(address, out _))
        {
            output.Error.WriteLine($"ssh: Could not resolve hostname {address}: nodename nor servname provided, or not known");
            return 255;
        }

        var vm = host.FindByAddress(address);
        if (vm is null || !vm.SshReady)
        {
            // Nobody answers on a vmnet address: the SYN goes unanswered until ConnectTimeout (or the TCP default).
            var timeout = int.TryParse(options.GetValueOrDefault("ConnectTimeout"), out var seconds) ? seconds : 75;
            await clock.Elapse(TimeSpan.FromSeconds(timeout), CancellationToken.None);
            output.Error.WriteLine($"ssh: connect to host {address} port {port}: Operation timed out");
            return 255;
        }

        if (port != 22 || host.Faults.Fire(FaultKind.SshFails, vm.Name))
        {
            output.Error.WriteLine($"ssh: connect to host {address} port {port}: Connection refused");
            return 255;
        }

        await clock.WaitUntil(vm.BootedAt, CancellationToken.None);
        await clock.Elapse(host.Durations.SshHandshake, CancellationToken.None);
        var strict = options.GetValueOrDefault("StrictHostKeyChecking", "ask").ToLowerInvariant();
        if (strict is not ("no" or "off" or "accept-new"))
        {
            // A freshly cloned VM's host key is in no known_hosts, and there is no terminal to ask.
            output.Error.WriteLine("Host key verification failed.");
            return 255;
        }

        if (!quiet)
        {
            output.Error.WriteLine($"Warning: Permanently added '{address}' (ED25519) to the list of known hosts.");
        }

        if (OffersAgentKeysFirst(options) && host.Faults.Fire(FaultKind.SshAgentKeys, vm.Name))
        {
            // The Mac's ssh-agent holds six keys: each one offered is a failed attempt, and sshd's MaxAuthTries (6)
            // disconnects before the password is ever tried.
            output.Error.WriteLine($"Received disconnect from {address} port {port}:2: Too many authentication failures");
            if (!quiet)
            {
                output.Error.WriteLine($"Disconnected from {address} port {port}");
            }

            return 255;
        }

        var password = invocation.Env("SSHPASS");
        if (password is null || options.GetValueOrDefault("BatchMode", "no").Equals("yes", StringComparison.OrdinalIgnoreCase))
        {
            output.Error.WriteLine($"{user}@{address}: Permission denied (publickey,password).");
            return 255;
        }

        if (user != host.Options.GuestUser || password != host.Options.GuestPassword)
        {
            output.Error.WriteLine("Permission denied, please try again.");
            return 255;
        }

        var shell = new ShellInterpreter(new GuestShellHost(vm, host, programs, isRoot: false, CancellationToken.None), ShellDialect.Bash);
        // With a command, sshd runs it with the user's shell (-c); without one, the shell reads stdin.
        return command.Length > 0
            ? await shell.RunScriptAsync(command, invocation.Stdin, output.Out, output.Error)
            : await shell.RunScriptAsync(invocation.Stdin, "", output.Out, output.Error);
    }

    /// <summary>
    /// Whether ssh tries the agent's keys before the password: public keys are on unless <c>PubkeyAuthentication=no</c>,
    /// the agent is used unless <c>IdentityAgent=none</c> or <c>IdentitiesOnly=yes</c>, and
    /// <c>PreferredAuthentications</c> (default publickey first) decides the order.
    /// </summary>
    private static bool OffersAgentKeysFirst(Dictionary<string, string> options)
    {
        if (options.GetValueOrDefault("PubkeyAuthentication", "yes").Equals("no", StringComparison.OrdinalIgnoreCase)
            || options.GetValueOrDefault("IdentityAgent", "").Equals("none", StringComparison.OrdinalIgnoreCase)
            || options.GetValueOrDefault("IdentitiesOnly", "no").Equals("yes", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var order = options.GetValueOrDefault("PreferredAuthentications", "gssapi-with-mic,publickey,keyboard-interactive,password")
            .Split(',', StringSplitOptions.TrimEntries).ToList();
        var publicKey = order.IndexOf("publickey");
        var password = order.IndexOf("password");
        return publicKey >= 0 && (password < 0 || publicKey < password);
    }

    private const string Usage =
        "usage: ssh [-46AaCfGgKkMNnqsTtVvXxYy] [-B bind_interface] [-b bind_address]\n" +
        "           [-c cipher_spec] [-D [bind_address:]port] [-E log_file]\n" +
        "           [-e escape_char] [-F configfile] [-I pkcs11] [-i identity_file]\n" +
        "           [-J destination] [-L address] [-l login_name] [-m mac_spec]\n" +
        "           [-O ctl_cmd] [-o option] [-P tag] [-p port] [-R address]\n" +
        "           [-S ctl_path] [-W host:port] [-w local_tun[:remote_tun]]\n" +
        "           destination [command [argument ...]]";
}
