using System.Globalization;
using System.Text.Json.Nodes;
using LabNet.Durations;
using LabNet.Simulator.Clock;
using LabNet.Simulator.Helm.Charts;
using LabNet.Simulator.Kubeadm;
using LabNet.Simulator.Kubernetes;
using LabNet.Simulator.Tools;

namespace LabNet.Simulator.Helm;

/// <summary><c>helm install</c> and <c>helm upgrade [--install]</c>: values, the chart's objects, the rollout, the stored revision.</summary>
public sealed partial class HelmTool
{
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
        if (previous is { Status: "deployed" })
        {
            // Like helm's three-way upgrade: what the last revision rendered and this one does not is deleted.
            var before = ContextOf(chart, previous, api, cluster);
            foreach (var (apiVersion, kind, objectNamespace, objectName) in chart.Rendered(before).Except(chart.Rendered(context)))
            {
                api.Delete(apiVersion, kind, objectNamespace, objectName);
            }
        }

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

    /// <summary>A stored revision as the chart rendered it: its user values over the chart's defaults.</summary>
    private ChartContext ContextOf(HelmChart chart, HelmRelease release, IClusterApi api, KubeadmCluster? cluster)
    {
        var values = chart.Defaults();
        HelmValues.Merge(values, release.UserValues);
        return new ChartContext(release.Name, release.Namespace, values, api, cluster, clock.Now, random);
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
}
