namespace LabNet.AppHost.Tests;

/// <summary>The real kubectl against one of the test lab's kubeconfigs: what a person would see.</summary>
public sealed class Kubectl(string kubeconfig)
{
    public async Task<string> RunAsync(params string[] arguments)
    {
        var (exitCode, stdout, stderr) = await ProcessRun.RunAsync("kubectl", ["--kubeconfig", kubeconfig, .. arguments]);
        return exitCode == 0
            ? stdout
            : throw new InvalidOperationException($"kubectl {string.Join(' ', arguments)} exited with {exitCode}: {stderr}");
    }

    /// <summary><c>status.phase</c> of the httpbin Canary.</summary>
    public Task<string> CanaryPhaseAsync() => RunAsync("get", "canary", "httpbin", "-n", "demo", "-o", "jsonpath={.status.phase}");

    /// <summary>The weighted route of VirtualService httpbin-routing, e.g. <c>v1=100 v2=0</c>.</summary>
    public async Task<string> CanarySplitAsync() =>
        (await RunAsync("get", "virtualservice", "httpbin-routing", "-n", "demo", "-o",
            "jsonpath={range .spec.http[?(@.name==\"canary-split\")].route[*]}{.destination.subset}={.weight} {end}")).Trim();
}
