using System.Globalization;
using System.Text.Json.Nodes;
using LabNet.Simulator.Guest.Commands;

namespace LabNet.Simulator.Kubeadm;

/// <summary>
/// kubectl inside a guest, for the node checks scripts run there (<c>kubectl get nodes</c>, <c>kubectl version</c>)
/// against the cluster its kubeconfig names. Anything else is said plainly: the lab's clients run kubectl on the host.
/// </summary>
public sealed class KubectlCommand(ClusterEndpoints endpoints) : IGuestCommand
{
    public IReadOnlyList<string> Names { get; } = ["kubectl"];

    public Task<int> RunAsync(CommandCall call)
    {
        string? kubeconfigPath = null;
        var words = new List<string>();
        var noHeaders = false;
        for (var i = 0; i < call.Args.Count; i++)
        {
            var arg = call.Args[i];
            if (arg.StartsWith("--kubeconfig", StringComparison.Ordinal))
            {
                kubeconfigPath = arg.Contains('=') ? arg[(arg.IndexOf('=') + 1)..] : i + 1 < call.Args.Count ? call.Args[++i] : null;
            }
            else if (arg == "--no-headers")
            {
                noHeaders = true;
            }
            else
            {
                words.Add(arg);
            }
        }

        if (words is ["version", ..] && words.Contains("--client"))
        {
            call.Out.WriteLine("Client Version: v1.31.14\nKustomize Version: v5.4.2");
            return Task.FromResult(0);
        }

        if (words is not (["get", "nodes"] or ["get", "node"] or ["get", "no"]))
        {
            return Task.FromResult(call.Fail($"error: the LabNet guest's kubectl runs 'get nodes' and 'version --client' only, not '{string.Join(' ', words)}'; run kubectl on the host with the cluster's kubeconfig"));
        }

        kubeconfigPath ??= call.Environment.GetValueOrDefault("KUBECONFIG") ?? call.Environment["HOME"] + "/.kube/config";
        string? content;
        lock (call.Guest.Sync)
        {
            var path = call.PathOf(kubeconfigPath);
            content = call.CanRead(path) ? call.Guest.ReadFile(path) : null;
            if (call.Guest.FileExists(path) && content is null)
            {
                return Task.FromResult(call.Fail($"error: error loading config file \"{kubeconfigPath}\": open {kubeconfigPath}: permission denied"));
            }
        }

        if (content is null)
        {
            return Task.FromResult(call.Fail("The connection to the server localhost:8080 was refused - did you specify the right host or port?"));
        }

        var server = KubeconfigTarget.Server(content, null, out var error);
        if (server is null)
        {
            return Task.FromResult(call.Fail($"error: {error}"));
        }

        var (api, _, unreachable) = endpoints.Resolve(server);
        if (api is null)
        {
            return Task.FromResult(call.Fail($"Unable to connect to the server: {unreachable}"));
        }

        var rows = api.List("v1", "Node").Select(node => new[]
        {
            node["metadata"]!["name"]!.GetValue<string>(),
            Status(node),
            node["metadata"]?["labels"]?.AsObject().ContainsKey("node-role.kubernetes.io/control-plane") == true ? "control-plane" : "<none>",
            Age(node),
            node["status"]?["nodeInfo"]?["kubeletVersion"]?.GetValue<string>() ?? "",
        }).ToList();
        var header = new[] { "NAME", "STATUS", "ROLES", "AGE", "VERSION" };
        var widths = header.Select((h, i) => rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
        if (!noHeaders)
        {
            call.Out.WriteLine(string.Join("   ", header.Select((h, i) => i < header.Length - 1 ? h.PadRight(widths[i]) : h)));
        }

        foreach (var row in rows)
        {
            call.Out.WriteLine(string.Join("   ", row.Select((c, i) => i < row.Length - 1 ? c.PadRight(widths[i]) : c)));
        }

        return Task.FromResult(0);
    }

    private static string Status(JsonObject node)
    {
        var ready = node["status"]?["conditions"]?.AsArray().FirstOrDefault(c => c?["type"]?.GetValue<string>() == "Ready")?["status"]?.GetValue<string>();
        return ready switch
        {
            "True" => "Ready",
            "Unknown" => "NotReady",
            _ => "NotReady",
        };
    }

    private static string Age(JsonObject node)
    {
        var created = node["metadata"]?["creationTimestamp"]?.GetValue<string>();
        if (created is null || !DateTimeOffset.TryParse(created, CultureInfo.InvariantCulture, out var time))
        {
            return "<unknown>";
        }

        var age = DateTimeOffset.UtcNow - time;
        return age.TotalMinutes < 2 ? $"{Math.Max(0, (int)age.TotalSeconds)}s"
            : age.TotalHours < 2 ? $"{(int)age.TotalMinutes}m"
            : age.TotalDays < 2 ? $"{(int)age.TotalHours}h"
            : $"{(int)age.TotalDays}d";
    }
}
