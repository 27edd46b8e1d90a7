using Microsoft.Extensions.Configuration;

namespace LabNet.AppHost;

/// <summary>
/// Reads <c>LabNet:SpecPath</c>: the lab spec the Provisioner applies, relative to the repository; the original lab's
/// <c>config/clusters.json</c> when unset (a smaller lab for a smaller Mac is a copy with fewer clusters).
/// </summary>
public static class LabSpecSetting
{
    public const string Key = "LabNet:SpecPath";

    public static string Path(IConfiguration configuration, string repositoryRoot) =>
        configuration[Key] is { Length: > 0 } configured
            ? System.IO.Path.GetFullPath(configured, repositoryRoot)
            : System.IO.Path.Combine(repositoryRoot, "config", "clusters.json");
}
