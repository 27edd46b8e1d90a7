using LabNet.Simulator.Faults;
using LabNet.Simulator.Guest;
using LabNet.Simulator.Guest.Commands;
using LabNet.Simulator.Host;

namespace LabNet.Simulator.Kubeadm;

/// <summary>
/// kubeadm 1.31 in a guest: <c>init</c> (<see cref="KubeadmInit"/>), <c>join</c> (<see cref="KubeadmJoin"/>),
/// <c>reset</c> (<see cref="KubeadmReset"/>), <c>token create</c> (<see cref="KubeadmToken"/>), the certs/kubeconfig
/// phases of init (<see cref="KubeadmInitPhase"/>), and <c>version</c>.
/// </summary>
public sealed class KubeadmCommand(
    ClusterApiRegistryAccessor registryAccessor,
    KubeadmClusters clusters,
    ILogger<KubeadmCommand> logger) : IGuestCommand
{
    private readonly KubeadmInit _init = new(registryAccessor, clusters, logger);
    private readonly KubeadmJoin _join = new(registryAccessor, clusters);
    private readonly KubeadmReset _reset = new(registryAccessor, clusters);
    private readonly KubeadmToken _token = new(registryAccessor, clusters);
    private readonly KubeadmInitPhase _phase = new(registryAccessor, clusters);

    public IReadOnlyList<string> Names { get; } = ["kubeadm"];

    public async Task<int> RunAsync(CommandCall call)
    {
        var args = call.Args;
        var verb = args.FirstOrDefault();
        return verb switch
        {
            "init" when args.Count > 1 && args[1] == "phase" => await _phase.RunAsync(call, args.Skip(2).ToList()),
            "init" => await _init.RunAsync(call, args.Skip(1).ToList()),
            "join" => await _join.RunAsync(call, args.Skip(1).ToList()),
            "reset" => await _reset.RunAsync(call, args.Skip(1).ToList()),
            "token" => await _token.RunAsync(call, args.Skip(1).ToList()),
            "version" => Version(call, args.Skip(1).ToList()),
            null => call.Fail("Usage:\n  kubeadm [command]\n\nAvailable Commands:\n  certs, completion, config, help, init, join, kubeconfig, reset, token, upgrade, version"),
            _ => call.Fail($"unknown command \"{verb}\" for \"kubeadm\"\nRun 'kubeadm --help' for usage."),
        };
    }

    private static int Version(CommandCall call, List<string> args)
    {
        var version = KubeadmPreflight.VersionOf(call);
        call.Out.WriteLine(args.Contains("short") || args.Contains("-oshort")
            ? version
            : $"kubeadm version: &version.Info{{Major:\"1\", Minor:\"{version.Split('.')[1]}\", GitVersion:\"{version}\", GoVersion:\"go1.22.8\", Compiler:\"gc\", Platform:\"linux/arm64\"}}");
        return 0;
    }

    /// <summary>The lab names nodes &lt;cluster&gt;-master / &lt;cluster&gt;-workerN; kubeadm itself calls every cluster "kubernetes".</summary>
    public static string ClusterNameOf(string nodeName)
    {
        foreach (var suffix in new[] { "-master", "-control-plane", "-controlplane", "-cp" })
        {
            if (nodeName.EndsWith(suffix, StringComparison.Ordinal) && nodeName.Length > suffix.Length)
            {
                return nodeName[..^suffix.Length];
            }
        }

        return nodeName;
    }
}
