using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using LabNet.Simulator.Kubeadm;
using LabNet.Simulator.Kubernetes;

namespace LabNet.Simulator.Helm;

/// <summary>Helm's release records, stored where Helm 3 stores them: Secrets of type helm.sh/release.v1 in the cluster.</summary>
public static class HelmReleaseStore
{
    private const string SecretType = "helm.sh/release.v1";

    public static string SecretName(string release, int revision) => $"sh.helm.release.v1.{release}.v{revision}";

    public static void Save(IClusterApi api, HelmRelease release)
    {
        var payload = new JsonObject
        {
            ["name"] = release.Name,
            ["namespace"] = release.Namespace,
            ["version"] = release.Revision,
            ["info"] = new JsonObject
            {
                ["status"] = release.Status,
                ["last_deployed"] = release.Updated.ToString("O", CultureInfo.InvariantCulture),
                ["description"] = release.Description,
            },
            ["chart"] = new JsonObject { ["metadata"] = new JsonObject { ["name"] = release.Chart, ["version"] = release.ChartVersion, ["appVersion"] = release.AppVersion } },
            ["config"] = release.UserValues.DeepClone(),
        };
        var labels = new JsonObject
        {
            ["name"] = release.Name,
            ["owner"] = "helm",
            ["status"] = release.Status,
            ["version"] = release.Revision.ToString(CultureInfo.InvariantCulture),
        };
        api.Apply(ClusterObjects.Secret(SecretName(release.Name, release.Revision), release.Namespace, SecretType, new Dictionary<string, string> { ["release"] = payload.ToJsonString() }, labels));
    }

    /// <summary>Every stored revision (all namespaces when <paramref name="namespace"/> is null).</summary>
    public static IReadOnlyList<HelmRelease> All(IClusterApi api, string? @namespace)
    {
        var releases = new List<HelmRelease>();
        foreach (var secret in api.List("v1", "Secret", @namespace))
        {
            if (secret["type"]?.GetValue<string>() != SecretType || ClusterObjects.SecretValue(secret, "release") is not { } json)
            {
                continue;
            }

            var payload = JsonNode.Parse(json)!.AsObject();
            releases.Add(new HelmRelease(
                payload["name"]!.GetValue<string>(),
                payload["namespace"]!.GetValue<string>(),
                payload["version"]!.GetValue<int>(),
                payload["info"]!["status"]!.GetValue<string>(),
                payload["chart"]!["metadata"]!["name"]!.GetValue<string>(),
                payload["chart"]!["metadata"]!["version"]!.GetValue<string>(),
                payload["chart"]!["metadata"]!["appVersion"]!.GetValue<string>(),
                DateTimeOffset.Parse(payload["info"]!["last_deployed"]!.GetValue<string>(), CultureInfo.InvariantCulture),
                payload["config"] as JsonObject ?? [],
                payload["info"]!["description"]?.GetValue<string>() ?? ""));
        }

        return releases;
    }

    /// <summary>The newest revision of a release, or null.</summary>
    public static HelmRelease? Latest(IClusterApi api, string @namespace, string name) =>
        All(api, @namespace).Where(r => r.Name == name).MaxBy(r => r.Revision);

    /// <summary>Marks the previous deployed revision superseded, as an upgrade does.</summary>
    public static void Supersede(IClusterApi api, HelmRelease release) => Save(api, release with { Status = "superseded" });

    public static void DeleteAll(IClusterApi api, string @namespace, string name)
    {
        foreach (var release in All(api, @namespace).Where(r => r.Name == name))
        {
            api.Delete("v1", "Secret", @namespace, SecretName(name, release.Revision));
        }
    }

    public static string ToJson(IEnumerable<HelmRelease> releases) =>
        JsonSerializer.Serialize(releases.Select(r => new Dictionary<string, string>
        {
            ["name"] = r.Name,
            ["namespace"] = r.Namespace,
            ["revision"] = r.Revision.ToString(CultureInfo.InvariantCulture),
            ["updated"] = GoTime(r.Updated),
            ["status"] = r.Status,
            ["chart"] = $"{r.Chart}-{r.ChartVersion}",
            ["app_version"] = r.AppVersion,
        }));

    /// <summary>Go's time.Time String(): <c>2006-01-02 15:04:05.999999999 -0700 MST</c>.</summary>
    public static string GoTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fffffff", CultureInfo.InvariantCulture).TrimEnd('0').TrimEnd('.') + " +0000 UTC";
}
