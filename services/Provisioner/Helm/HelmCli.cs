using System.Text.Json;
using System.Text.Json.Nodes;
using LabNet.Provisioner.Tools;
using Microsoft.Extensions.Options;

namespace LabNet.Provisioner.Helm;

/// <summary>The helm commands the Provisioner needs, always against an explicit <c>--kubeconfig</c>.</summary>
public sealed class HelmCli(IToolRunner runner, IOptions<ToolPathsOptions> tools)
{
    public async Task<IReadOnlyList<HelmRelease>> ListAsync(string kubeconfig, string @namespace, CancellationToken cancellationToken)
    {
        var result = await RunCheckedAsync(["list", "--namespace", @namespace, "--output", "json", "--kubeconfig", kubeconfig], cancellationToken);
        return JsonSerializer.Deserialize<List<HelmRelease>>(result.StandardOutput) ?? [];
    }

    /// <summary>The values a release was installed with (<c>helm get values -o json</c>), or null when it is not installed.</summary>
    public async Task<JsonObject?> GetValuesAsync(string kubeconfig, string release, string @namespace, CancellationToken cancellationToken)
    {
        var invocation = Invocation(["get", "values", release, "--namespace", @namespace, "--output", "json", "--kubeconfig", kubeconfig]);
        var result = await runner.RunAsync(invocation, cancellationToken);
        if (!result.Succeeded && result.StandardError.Contains("release: not found", StringComparison.Ordinal))
        {
            return null;
        }

        ToolFailedException.ThrowIfFailed(invocation, result);
        return JsonNode.Parse(result.StandardOutput) as JsonObject ?? [];
    }

    public Task RepoAddAsync(string name, string url, CancellationToken cancellationToken) =>
        RunCheckedAsync(["repo", "add", name, url, "--force-update"], cancellationToken);

    public Task UpgradeInstallAsync(string kubeconfig, HelmInstall install, CancellationToken cancellationToken)
    {
        List<string> arguments = ["upgrade", "--install", install.Release, install.Chart, "--namespace", install.Namespace, "--kubeconfig", kubeconfig];
        if (install.CreateNamespace)
        {
            arguments.Add("--create-namespace");
        }

        if (install.ReuseValues)
        {
            arguments.Add("--reuse-values");
        }

        if (install.Version is not null)
        {
            arguments.AddRange(["--version", install.Version]);
        }

        foreach (var valuesFile in install.ValuesFiles)
        {
            arguments.AddRange(["--values", valuesFile]);
        }

        foreach (var (key, value) in install.Settings)
        {
            arguments.AddRange(["--set", $"{key}={value}"]);
        }

        arguments.AddRange(["--wait", "--timeout", $"{(int)install.Timeout.TotalSeconds}s"]);
        return RunCheckedAsync(arguments, cancellationToken);
    }

    private Task<ToolResult> RunCheckedAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken) =>
        runner.RunCheckedAsync(Invocation(arguments), cancellationToken);

    private ToolInvocation Invocation(IReadOnlyList<string> arguments) => new(tools.Value.Helm, arguments);

}

/// <summary>An idempotent <c>helm upgrade --install</c>.</summary>
public sealed record HelmInstall(
    string Release,
    string Chart,
    string Namespace,
    IReadOnlyList<string> ValuesFiles,
    IReadOnlyList<KeyValuePair<string, string>> Settings,
    TimeSpan Timeout,
    bool ReuseValues = false,
    bool CreateNamespace = false,
    string? Version = null);
