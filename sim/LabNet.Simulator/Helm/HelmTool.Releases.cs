using System.Globalization;
using System.Text.Json.Nodes;
using LabNet.Simulator.Clock;
using LabNet.Simulator.Helm.Charts;
using LabNet.Simulator.Kubernetes;
using LabNet.Simulator.Tools;

namespace LabNet.Simulator.Helm;

/// <summary>The stored releases: <c>helm uninstall</c>, <c>helm list</c>, <c>helm get values</c>.</summary>
public sealed partial class HelmTool
{
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

            var chart = PublishedCharts.Named(latest.Chart);
            if (chart is not null)
            {
                chart.Uninstall(ContextOf(chart, latest, api, cluster));
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
        if (all && PublishedCharts.Named(release.Chart) is { } chart)
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
