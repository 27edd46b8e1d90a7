using System.Security.Cryptography;
using System.Text;

namespace LabNet.Simulator.Guest.Commands;

/// <summary>gpg --dearmor, iptables, and containerd's CLI.</summary>
public sealed class NetworkToolCommands : IGuestCommand
{
    public IReadOnlyList<string> Names { get; } = ["gpg", "iptables", "ip6tables", "containerd"];

    public Task<int> RunAsync(CommandCall call)
    {
        lock (call.Guest.Sync)
        {
            return Task.FromResult(call.Name switch
            {
                "gpg" => Gpg(call),
                "containerd" => Containerd(call),
                _ => Iptables(call),
            });
        }
    }

    private static int Gpg(CommandCall call)
    {
        string? output = null;
        var dearmor = false;
        var overwrite = false;
        string? inputFile = null;
        for (var i = 0; i < call.Args.Count; i++)
        {
            var arg = call.Args[i];
            switch (arg)
            {
                case "--dearmor" or "--dearmour":
                    dearmor = true;
                    break;
                case "-o" or "--output" when i + 1 < call.Args.Count:
                    output = call.Args[++i];
                    break;
                case "--yes" or "--batch":
                    overwrite |= arg == "--yes";
                    break;
                default:
                    if (!arg.StartsWith('-'))
                    {
                        inputFile = arg;
                    }

                    break;
            }
        }

        if (!dearmor)
        {
            return call.Fail("gpg: the LabNet guest's gpg only runs --dearmor", 2);
        }

        var input = inputFile is null ? call.Stdin : call.Guest.ReadFile(call.PathOf(inputFile)) ?? "";
        if (!input.Contains("-----BEGIN PGP PUBLIC KEY BLOCK-----", StringComparison.Ordinal))
        {
            return call.Fail("gpg: no valid OpenPGP data found.", 2);
        }

        var keyring = "gpg-keyring:" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(input)));
        if (output is null)
        {
            call.Out.Write(keyring);
            return 0;
        }

        var path = call.PathOf(output);
        if (!call.Guest.ParentExists(path) || !call.CanWrite(path))
        {
            return call.Fail($"gpg: can't create '{output}': {(call.Guest.ParentExists(path) ? "Permission denied" : "No such file or directory")}\ngpg: dearmoring failed: {(call.Guest.ParentExists(path) ? "Permission denied" : "No such file or directory")}", 2);
        }

        if (call.Guest.FileExists(path) && !overwrite)
        {
            // gpg asks "Overwrite? (y/N)" on the tty, and there is none over ssh.
            return call.Fail($"File '{output}' exists. Overwrite? (y/N) gpg: signal Hangup caught ... exiting\ngpg: cannot open '/dev/tty': No such device or address", 2);
        }

        call.Guest.WriteFile(path, keyring);
        return 0;
    }

    private static int Iptables(CommandCall call)
    {
        if (!call.IsRoot)
        {
            return call.Fail("iptables v1.8.10 (nf_tables): Could not fetch rule set generation id: Permission denied (you must be root)", 4);
        }

        if (call.Args.Contains("-L") || call.Args.Contains("--list"))
        {
            foreach (var chain in new[] { "INPUT", "FORWARD", "OUTPUT" })
            {
                call.Out.WriteLine($"Chain {chain} (policy ACCEPT)\ntarget     prot opt source               destination\n");
            }
        }

        return 0;
    }

    private static int Containerd(CommandCall call)
    {
        var package = call.Guest.PackageVersions.GetValueOrDefault("containerd") ?? call.Mac.Options.ContainerdVersion;
        var version = Version.Parse(package.Split('-', '~', '+')[0]);
        if (call.Args is ["config", "default", ..])
        {
            call.Out.Write(version.Major < 2 ? DefaultConfig : ContainerdConfigV3.Default(withSystemdCgroup: version < new Version(2, 1)));
            return 0;
        }

        if (call.Args.Contains("--version") || call.Args.Contains("-v"))
        {
            call.Out.WriteLine($"containerd github.com/containerd/containerd{(version.Major < 2 ? "" : "/v2")} {version}");
            return 0;
        }

        return call.Fail("containerd: the LabNet guest runs containerd as a service; use 'containerd config default' or systemctl", 1);
    }

    /// <summary>The part of containerd 1.7's default config a kubeadm node cares about (runc with SystemdCgroup off).</summary>
    public const string DefaultConfig =
        """
        disabled_plugins = []
        imports = []
        oom_score = 0
        root = "/var/lib/containerd"
        state = "/run/containerd"
        version = 2

        [grpc]
          address = "/run/containerd/containerd.sock"

        [plugins]

          [plugins."io.containerd.grpc.v1.cri"]
            enable_selinux = false
            sandbox_image = "registry.k8s.io/pause:3.8"

            [plugins."io.containerd.grpc.v1.cri".cni]
              bin_dir = "/opt/cni/bin"
              conf_dir = "/etc/cni/net.d"

            [plugins."io.containerd.grpc.v1.cri".containerd]
              default_runtime_name = "runc"
              snapshotter = "overlayfs"

              [plugins."io.containerd.grpc.v1.cri".containerd.runtimes]

                [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
                  runtime_type = "io.containerd.runc.v2"

                  [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
                    BinaryName = ""
                    NoNewKeyring = false
                    Root = ""
                    SystemdCgroup = false

        """;
}
