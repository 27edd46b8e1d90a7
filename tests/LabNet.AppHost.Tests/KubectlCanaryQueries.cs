namespace LabNet.AppHost.Tests;

/// <summary>What a person asks kubectl about the httpbin canary on the test lab's dev cluster.</summary>
internal static class KubectlCanaryQueries
{
    /// <summary><c>status.phase</c> of the httpbin Canary.</summary>
    public static Task<string> CanaryPhaseAsync(this Kubectl kubectl) =>
        kubectl.OutputAsync("get", "canary", "httpbin", "-n", "demo", "-o", "jsonpath={.status.phase}");

    /// <summary>The weighted route of VirtualService httpbin-routing, e.g. <c>v1=100 v2=0</c>.</summary>
    public static async Task<string> CanarySplitAsync(this Kubectl kubectl) =>
        (await kubectl.OutputAsync("get", "virtualservice", "httpbin-routing", "-n", "demo", "-o",
            "jsonpath={range .spec.http[?(@.name==\"canary-split\")].route[*]}{.destination.subset}={.weight} {end}")).Trim();
}
