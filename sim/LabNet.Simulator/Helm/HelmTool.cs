using LabNet.Simulator.Clock;
using LabNet.Simulator.Helm.Charts;
using LabNet.Simulator.Kubeadm;
using LabNet.Simulator.Kubernetes;
using LabNet.Simulator.Tools;
using Microsoft.Extensions.Options;

namespace LabNet.Simulator.Helm;

/// <summary>
/// Helm 3 against the twin's clusters: repo add/update/list (HelmTool.Repo.cs), install and upgrade [--install]
/// (HelmTool.Install.cs), uninstall, list and get values (HelmTool.Releases.cs), version; its command line in
/// HelmTool.CommandLine.cs.
/// The cluster is the one the kubeconfig names (<c>--kubeconfig</c>, <c>KUBECONFIG</c> or <c>~/.kube/config</c>, read
/// from the caller's disk); releases are stored in it as Helm stores them (Secrets), so each cluster has its own.
/// </summary>
public sealed partial class HelmTool(
    HelmRepositories repositories,
    ClusterEndpoints endpoints,
    SimulationClock clock,
    SimulationRandom random,
    IOptions<ModeledDurations> durations,
    ILogger<HelmTool> logger) : ITool
{
    public string Name => "helm";

    public async Task<int> RunAsync(ToolInvocation invocation, ToolOutput output, CancellationToken callerGone)
    {
        var parsed = Parse(invocation.Argv);
        if (parsed.Unknown is { } unknown)
        {
            output.Error.WriteLine($"Error: unknown flag: {unknown}");
            return 1;
        }

        var command = parsed.Positionals.FirstOrDefault();
        var args = parsed.Positionals.Skip(1).ToList();
        return command switch
        {
            "version" => Version(output),
            "repo" => await RepoAsync(args, output),
            "install" => await InstallOrUpgradeAsync(invocation, parsed, args, output, upgrade: false),
            "upgrade" => await InstallOrUpgradeAsync(invocation, parsed, args, output, upgrade: true),
            "uninstall" or "delete" or "un" => Uninstall(invocation, parsed, args, output),
            "list" or "ls" => List(invocation, parsed, output),
            "get" when args is ["values", _] => GetValues(invocation, parsed, args[1], output),
            "get" => Fail(output, args.Count == 0
                ? "Error: a subcommand is required (values)"
                : $"Error: unknown command \"{args[0]}\" for \"helm get\"\nRun 'helm get --help' for usage.", 1),
            null => Fail(output, "Error: a command is required (install, upgrade, uninstall, list, get, repo, version)", 1),
            _ => Fail(output, $"Error: unknown command \"{command}\" for \"helm\"\nRun 'helm --help' for usage.", 1),
        };
    }

    private static int Fail(ToolOutput output, string message, int code = 1)
    {
        output.Error.WriteLine(message);
        return code;
    }

    private static int Version(ToolOutput output)
    {
        output.Out.WriteLine("version.BuildInfo{Version:\"v3.16.3\", GitCommit:\"cfd07493f46efc9debd9cc1b02a0961186df7fdf\", GitTreeState:\"clean\", GoVersion:\"go1.22.7\"}");
        return 0;
    }

    private (IClusterApi? Api, KubeadmCluster? Cluster, string? Error) Target(ToolInvocation invocation, Parsed parsed)
    {
        var path = parsed.One("--kubeconfig") ?? invocation.Env("KUBECONFIG")?.Split(':').FirstOrDefault(p => p.Length > 0);
        path = path is null ? (invocation.Env("HOME") is { } home ? Path.Combine(home, ".kube", "config") : null) : invocation.ResolvePath(path);
        if (path is null || !File.Exists(path))
        {
            return (null, null, "Kubernetes cluster unreachable: Get \"http://localhost:8080/version\": dial tcp [::1]:8080: connect: connection refused");
        }

        var server = KubeconfigTarget.Server(File.ReadAllText(path), parsed.One("--kube-context") ?? invocation.Env("HELM_KUBECONTEXT"), out var error);
        if (server is null)
        {
            return (null, null, $"Kubernetes cluster unreachable: {error}");
        }

        var (api, cluster, unreachable) = endpoints.Resolve(server);
        if (api is null)
        {
            return (null, null, $"Kubernetes cluster unreachable: {unreachable}");
        }

        return (api, cluster, null);
    }

    private (HelmChart? Chart, string? Error) Resolve(string reference, string? version)
    {
        var slash = reference.IndexOf('/');
        if (slash <= 0)
        {
            return (null, $"repo {reference} not found");
        }

        var (repo, name) = (reference[..slash], reference[(slash + 1)..]);
        if (repositories.UrlOf(repo) is not { } url)
        {
            return (null, $"repo {repo} not found");
        }

        var chart = HelmRepositories.ChartsAt(url).FirstOrDefault(c => c.Name == name);
        if (chart is null || (version is not null && version.TrimStart('v') != chart.Version))
        {
            return (null, $"chart \"{name}\" matching {version ?? ""} not found in {repo} index. (try 'helm repo update'): no chart name found");
        }

        return (chart, null);
    }
}
