using System.Globalization;
using System.Text.Json.Nodes;
using LabNet.Durations;
using LabNet.Simulator.Clock;
using LabNet.Simulator.Kubeadm;
using LabNet.Simulator.Kubernetes;
using LabNet.Simulator.Tools;
using Microsoft.Extensions.Options;

namespace LabNet.Simulator.Helm;

/// <summary>
/// Helm 3 against the twin's clusters: repo add/update/list, install, upgrade [--install], uninstall, list, version.
/// The cluster is the one the kubeconfig names (<c>--kubeconfig</c>, <c>KUBECONFIG</c> or <c>~/.kube/config</c>, read
/// from the caller's disk); releases are stored in it as Helm stores them (Secrets), so each cluster has its own.
/// </summary>
public sealed class HelmTool(
    HelmRepositories repositories,
    ClusterEndpoints endpoints,
    SimulationClock clock,
    SimulationRandom random,
    IOptions<ModeledDurations> durations,
    ILogger<HelmTool> logger) : ITool
{
    private static readonly HashSet<string> ValuedFlags =
    [
        "--kubeconfig", "--kube-context", "--namespace", "-n", "--values", "-f", "--set", "--set-string", "--timeout", "--version",
        "--output", "-o", "--description", "--repo", "--username", "--password", "--max", "--filter", "--selector", "-l", "--post-renderer",
    ];

    private static readonly HashSet<string> BooleanFlags =
    [
        "--install", "-i", "--wait", "--wait-for-jobs", "--reuse-values", "--reset-values", "--reset-then-reuse-values", "--create-namespace",
        "--atomic", "--dry-run", "--debug", "--force", "--force-update", "--all-namespaces", "-A", "--all", "-a", "--keep-history",
        "--devel", "--skip-crds", "--cleanup-on-fail", "--no-hooks", "--short", "-q", "--deployed", "--failed", "--pending", "--uninstalled", "--superseded",
    ];

    public string Name => "helm";

    private sealed class Parsed
    {
        public List<string> Positionals { get; } = [];

        public Dictionary<string, List<string>> Values { get; } = new(StringComparer.Ordinal);

        public HashSet<string> Flags { get; } = new(StringComparer.Ordinal);

        public string? One(params string[] names) => names.Select(n => Values.GetValueOrDefault(n)?.LastOrDefault()).FirstOrDefault(v => v is not null);

        public IEnumerable<string> All(params string[] names) => names.SelectMany(n => Values.GetValueOrDefault(n) ?? []);

        public bool Has(params string[] names) => names.Any(Flags.Contains);

        public string? Unknown { get; set; }
    }

    private static Parsed Parse(IReadOnlyList<string> argv)
    {
        var parsed = new Parsed();
        for (var i = 0; i < argv.Count; i++)
        {
            var arg = argv[i];
            if (!arg.StartsWith('-') || arg == "-")
            {
                parsed.Positionals.Add(arg);
                continue;
            }

            string name = arg;
            string? value = null;
            var eq = arg.IndexOf('=');
            if (arg.StartsWith("--", StringComparison.Ordinal) && eq > 0)
            {
                name = arg[..eq];
                value = arg[(eq + 1)..];
            }
            else if (!arg.StartsWith("--", StringComparison.Ordinal) && arg.Length > 2)
            {
                name = arg[..2];
                value = arg[2..];
            }

            if (BooleanFlags.Contains(name))
            {
                if (value is null or "true")
                {
                    parsed.Flags.Add(name);
                }

                continue;
            }

            if (!ValuedFlags.Contains(name))
            {
                parsed.Unknown ??= name;
                continue;
            }

            value ??= i + 1 < argv.Count ? argv[++i] : null;
            if (value is null)
            {
                parsed.Unknown ??= name;
                continue;
            }

            if (!parsed.Values.TryGetValue(name, out var list))
            {
                parsed.Values[name] = list = [];
            }

            list.Add(value);
        }

        return parsed;
    }

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

    private async Task<int> RepoAsync(List<string> args, ToolOutput output)
    {
        switch (args.FirstOrDefault())
        {
            case "add" when args.Count >= 3:
            {
                var (name, url) = (args[1], HelmRepositories.Normalize(args[2]));
                if (!HelmRepositories.Published.ContainsKey(url))
                {
                    return Fail(output, $"Error: looks like \"{args[2]}\" is not a valid chart repository or cannot be reached: failed to fetch {url}/index.yaml : 404 Not Found");
                }

                if (repositories.UrlOf(name) is { } existing)
                {
                    if (existing == url)
                    {
                        output.Out.WriteLine($"\"{name}\" already exists with the same configuration, skipping");
                        return 0;
                    }

                    return Fail(output, $"Error: repository name ({name}) already exists, please specify a different name");
                }

                await clock.Elapse(durations.Value.HelmRepoUpdate, CancellationToken.None);
                repositories.Set(name, url);
                output.Out.WriteLine($"\"{name}\" has been added to your repositories");
                return 0;
            }

            case "update" or "up":
            {
                var all = repositories.All;
                if (all.Count == 0)
                {
                    return Fail(output, "Error: no repositories found. You must add one before updating");
                }

                output.Out.WriteLine("Hang tight while we grab the latest from your chart repositories...");
                await clock.Elapse(durations.Value.HelmRepoUpdate, CancellationToken.None);
                foreach (var (name, _) in all.Where(r => args.Count < 2 || args.Skip(1).Contains(r.Name)))
                {
                    output.Out.WriteLine($"...Successfully got an update from the \"{name}\" chart repository");
                }

                output.Out.WriteLine("Update Complete. ⎈Happy Helming!⎈");
                return 0;
            }

            case "list" or "ls":
            {
                var all = repositories.All;
                if (all.Count == 0)
                {
                    return Fail(output, "Error: no repositories to show");
                }

                var width = Math.Max(4, all.Max(r => r.Name.Length));
                output.Out.WriteLine($"{"NAME".PadRight(width)}\tURL");
                foreach (var (name, url) in all)
                {
                    output.Out.WriteLine($"{name.PadRight(width)}\t{url}");
                }

                return 0;
            }

            default:
                return Fail(output, "Error: the twin's helm repo supports add NAME URL, update and list");
        }
    }

    /// <summary>The cluster the kubeconfig names, or the error Helm prints for it.</summary>
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

        var chart = HelmRepositories.Published[url].FirstOrDefault(c => c.Name == name);
        if (chart is null || (version is not null && version.TrimStart('v') != chart.Version))
        {
            return (null, $"chart \"{name}\" matching {version ?? ""} not found in {repo} index. (try 'helm repo update'): no chart name found");
        }

        return (chart, null);
    }

    private async Task<int> InstallOrUpgradeAsync(ToolInvocation invocation, Parsed parsed, List<string> args, ToolOutput output, bool upgrade)
    {
        var prefix = upgrade ? "UPGRADE FAILED: " : "INSTALLATION FAILED: ";
        if (args.Count < 2)
        {
            return Fail(output, $"Error: \"helm {(upgrade ? "upgrade" : "install")}\" requires 2 arguments\n\nUsage:  helm {(upgrade ? "upgrade [RELEASE] [CHART]" : "install [NAME] [CHART]")} [flags]");
        }

        var (name, reference) = (args[0], args[1]);
        var ns = parsed.One("--namespace", "-n") ?? invocation.Env("HELM_NAMESPACE") ?? "default";
        var timeoutText = parsed.One("--timeout") ?? "5m0s";
        if (!GoDuration.TryParse(timeoutText, out var timeout, out var durationError))
        {
            return Fail(output, $"Error: invalid argument \"{timeoutText}\" for \"--timeout\" flag: {durationError}");
        }

        var (api, cluster, error) = Target(invocation, parsed);
        if (api is null)
        {
            return Fail(output, $"Error: {prefix}{error}");
        }

        var previous = HelmReleaseStore.Latest(api, ns, name);
        var installing = !upgrade || previous is null;
        if (upgrade && previous is null && !parsed.Has("--install", "-i"))
        {
            return Fail(output, $"Error: UPGRADE FAILED: \"{name}\" has no deployed releases");
        }

        if (!upgrade && previous is not null && previous.Status != "uninstalled")
        {
            return Fail(output, "Error: INSTALLATION FAILED: cannot re-use a name that is still in use");
        }

        // upgrade --install of a new release runs install but reports its errors unwrapped.
        var failurePrefix = upgrade && installing ? "" : prefix;
        var (chart, chartError) = Resolve(reference, parsed.One("--version"));
        if (chart is null)
        {
            return Fail(output, $"Error: {failurePrefix}{chartError}");
        }

        var userValues = new JsonObject();
        if (upgrade && previous is not null && parsed.Has("--reuse-values"))
        {
            HelmValues.Merge(userValues, previous.UserValues);
        }

        try
        {
            foreach (var file in parsed.All("--values", "-f"))
            {
                var text = file == "-" ? invocation.Stdin : File.Exists(invocation.ResolvePath(file)) ? File.ReadAllText(invocation.ResolvePath(file)) : null;
                if (text is null)
                {
                    return Fail(output, $"Error: {failurePrefix}open {file}: no such file or directory");
                }

                HelmValues.Merge(userValues, HelmValues.FromYaml(text));
            }

            foreach (var set in parsed.All("--set"))
            {
                HelmValues.ApplySet(userValues, set);
            }

            foreach (var set in parsed.All("--set-string"))
            {
                HelmValues.ApplySet(userValues, set, asString: true);
            }
        }
        catch (FormatException ex)
        {
            return Fail(output, $"Error: {failurePrefix}{ex.Message}");
        }

        if (api.Get("v1", "Namespace", null, ns) is null)
        {
            if (!parsed.Has("--create-namespace"))
            {
                return Fail(output, $"Error: {failurePrefix}create: failed to create: namespaces \"{ns}\" not found");
            }

            api.Apply(ClusterObjects.Namespace(ns));
        }

        var values = chart.Defaults();
        HelmValues.Merge(values, userValues);
        var context = new ChartContext(name, ns, values, api, cluster, clock.Now, random);
        if (upgrade && installing)
        {
            output.Out.WriteLine($"Release \"{name}\" does not exist. Installing it now.");
        }

        await clock.Elapse(durations.Value.HelmApply, CancellationToken.None);
        var rollout = chart.Apply(context);
        var revision = (previous?.Revision ?? 0) + 1;
        var release = new HelmRelease(name, ns, revision, "pending-" + (installing ? "install" : "upgrade"), chart.Name, chart.Version, chart.AppVersion, clock.Now, userValues,
            installing ? "Initial install underway" : "Preparing upgrade");

        if (parsed.Has("--wait", "--atomic"))
        {
            if (!rollout.Healthy)
            {
                // helm --wait polls until its deadline; the agents keep crash-looping.
                await clock.Elapse(timeout, CancellationToken.None);
                HelmReleaseStore.Save(api, release with { Status = "failed", Description = $"Release \"{name}\" failed: context deadline exceeded" });
                logger.LogInformation("helm {Release} in {Cluster}: rollout failed: {Failure}", name, api.Bootstrap.Name, rollout.Failure);
                return Fail(output, $"Error: {failurePrefix}context deadline exceeded");
            }

            var rolloutTime = chart.RolloutTime(durations.Value);
            await clock.Elapse(rolloutTime < timeout ? rolloutTime : timeout, CancellationToken.None);
            chart.Complete(context with { Now = clock.Now }, rollout);
        }
        else if (rollout.Healthy)
        {
            // Without --wait, helm returns at once and the pods become ready in the background.
            _ = CompleteLaterAsync(chart, context, rollout);
        }

        if (previous is not null && previous.Status == "deployed")
        {
            HelmReleaseStore.Supersede(api, previous);
        }

        release = release with { Status = "deployed", Description = installing ? "Install complete" : "Upgrade complete", Updated = clock.Now };
        HelmReleaseStore.Save(api, release);
        if (upgrade && !installing)
        {
            output.Out.WriteLine($"Release \"{name}\" has been upgraded. Happy Helming!");
        }

        output.Out.WriteLine($"NAME: {name}");
        output.Out.WriteLine($"LAST DEPLOYED: {release.Updated.UtcDateTime.ToString("ddd MMM d HH:mm:ss yyyy", CultureInfo.InvariantCulture)}");
        output.Out.WriteLine($"NAMESPACE: {ns}");
        output.Out.WriteLine("STATUS: deployed");
        output.Out.WriteLine($"REVISION: {revision}");
        output.Out.WriteLine("TEST SUITE: None");
        if (chart.Notes(context) is { Length: > 0 } notes)
        {
            output.Out.WriteLine("NOTES:");
            output.Out.Write(notes);
        }

        return 0;
    }

    private async Task CompleteLaterAsync(HelmChart chart, ChartContext context, ChartRollout rollout)
    {
        // The rollout is not the helm call's time: helm has returned.
        clock.StartBackground();
        try
        {
            await clock.Elapse(chart.RolloutTime(durations.Value), CancellationToken.None);
            chart.Complete(context with { Now = clock.Now }, rollout);
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Background rollout of {Release} failed", context.Release);
        }
    }

    private int Uninstall(ToolInvocation invocation, Parsed parsed, List<string> args, ToolOutput output)
    {
        if (args.Count == 0)
        {
            return Fail(output, "Error: \"helm uninstall\" requires at least 1 argument\n\nUsage:  helm uninstall RELEASE_NAME [...] [flags]");
        }

        var (api, cluster, error) = Target(invocation, parsed);
        if (api is null)
        {
            return Fail(output, $"Error: {error}");
        }

        var ns = parsed.One("--namespace", "-n") ?? invocation.Env("HELM_NAMESPACE") ?? "default";
        foreach (var name in args)
        {
            var latest = HelmReleaseStore.Latest(api, ns, name);
            if (latest is null || latest.Status == "uninstalled")
            {
                return Fail(output, $"Error: uninstall: Release not loaded: {name}: release: not found");
            }

            var chart = HelmRepositories.Published.Values.SelectMany(c => c).FirstOrDefault(c => c.Name == latest.Chart);
            if (chart is not null)
            {
                var context = new ChartContext(name, ns, latest.UserValues, api, cluster, clock.Now, random);
                foreach (var (apiVersion, kind, objectNamespace, objectName) in chart.Rendered(context))
                {
                    api.Delete(apiVersion, kind, objectNamespace, objectName);
                }

                if (chart is Charts.CiliumChart)
                {
                    foreach (var pod in api.List("v1", "Pod", ns).Where(p => p["metadata"]?["labels"]?["k8s-app"]?.GetValue<string>() == "cilium"))
                    {
                        api.Delete("v1", "Pod", ns, pod["metadata"]!["name"]!.GetValue<string>());
                    }
                }
            }

            HelmReleaseStore.DeleteAll(api, ns, name);
            output.Out.WriteLine($"release \"{name}\" uninstalled");
        }

        return 0;
    }

    /// <summary><c>helm get values RELEASE</c>: the values the user supplied (with <c>--all</c>, every computed value).</summary>
    private int GetValues(ToolInvocation invocation, Parsed parsed, string name, ToolOutput output)
    {
        var (api, _, error) = Target(invocation, parsed);
        if (api is null)
        {
            return Fail(output, $"Error: {error}");
        }

        var ns = parsed.One("--namespace", "-n") ?? invocation.Env("HELM_NAMESPACE") ?? "default";
        var release = HelmReleaseStore.Latest(api, ns, name);
        if (release is null)
        {
            return Fail(output, "Error: release: not found");
        }

        var all = parsed.Has("--all", "-a");
        var values = (JsonObject)release.UserValues.DeepClone();
        if (all && HelmRepositories.Published.Values.SelectMany(c => c).FirstOrDefault(c => c.Name == release.Chart) is { } chart)
        {
            values = chart.Defaults();
            HelmValues.Merge(values, release.UserValues);
        }

        switch (parsed.One("--output", "-o") ?? "table")
        {
            case "json":
                output.Out.WriteLine(values.ToJsonString());
                return 0;
            case "yaml":
                output.Out.Write(HelmValues.ToYaml(values));
                return 0;
            case "table":
                output.Out.WriteLine(all ? "COMPUTED VALUES:" : "USER-SUPPLIED VALUES:");
                output.Out.Write(values.Count == 0 ? "null\n" : HelmValues.ToYaml(values));
                return 0;
            case var format:
                return Fail(output, $"Error: invalid argument \"{format}\" for \"-o, --output\" flag: invalid format type");
        }
    }

    private int List(ToolInvocation invocation, Parsed parsed, ToolOutput output)
    {
        var (api, _, error) = Target(invocation, parsed);
        if (api is null)
        {
            return Fail(output, $"Error: {error}");
        }

        var ns = parsed.Has("--all-namespaces", "-A") ? null : parsed.One("--namespace", "-n") ?? invocation.Env("HELM_NAMESPACE") ?? "default";
        var releases = HelmReleaseStore.All(api, ns)
            .GroupBy(r => (r.Namespace, r.Name))
            .Select(g => g.MaxBy(r => r.Revision)!)
            .Where(r => parsed.Has("--all", "-a") || r.Status is "deployed" or "failed")
            .OrderBy(r => r.Name, StringComparer.Ordinal)
            .ToList();
        var format = parsed.One("--output", "-o") ?? "table";
        switch (format)
        {
            case "json":
                output.Out.WriteLine(HelmReleaseStore.ToJson(releases));
                return 0;
            case "table":
                var rows = releases.Select(r => new[] { r.Name, r.Namespace, r.Revision.ToString(CultureInfo.InvariantCulture), HelmReleaseStore.GoTime(r.Updated), r.Status, $"{r.Chart}-{r.ChartVersion}", r.AppVersion }).ToList();
                var header = new[] { "NAME", "NAMESPACE", "REVISION", "UPDATED", "STATUS", "CHART", "APP VERSION" };
                var widths = header.Select((h, i) => rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
                output.Out.WriteLine(string.Join("\t", header.Select((h, i) => h.PadRight(widths[i]))));
                foreach (var row in rows)
                {
                    output.Out.WriteLine(string.Join("\t", row.Select((c, i) => c.PadRight(widths[i]))));
                }

                return 0;
            default:
                return Fail(output, $"Error: invalid argument \"{format}\" for \"-o, --output\" flag: invalid format type");
        }
    }

}
