using LabNet.Simulator.Workloads;

namespace LabNet.Simulator.Traffic;

/// <summary>
/// What the generator sends, changeable at run time (<c>PUT /traffic</c>): requests per second per scenario, the share
/// of nginx-web's calls to httpbin that carry <c>x-canary: true</c>, and how each httpbin version answers.
/// </summary>
public sealed record TrafficSettings
{
    public Dictionary<string, double> Rates { get; init; } = new()
    {
        [TrafficScenarios.ExternalToNginx] = 5,
        // 50 requests/s is the canary acceptance's load: at 20% the canary gets enough requests in a couple of minutes
        // to rule out a 1-point error regression, and a 5% error canary is caught within seconds.
        [TrafficScenarios.NginxToHttpbin] = 50,
        [TrafficScenarios.NginxToRedis] = 5,
        [TrafficScenarios.KeycloakToPostgres] = 1,
        [TrafficScenarios.Dns] = 2,
        [TrafficScenarios.NginxPostToHttpbin] = 0.2,
        [TrafficScenarios.RedisToHttpbin] = 0.1,
        [TrafficScenarios.UnlabeledToHttpbin] = 0.1,
    };

    public double CanaryHeaderShare { get; init; } = 0.1;

    /// <summary>
    /// By the <c>version</c> label of the backend pod (httpbin v1, v2); versions not listed use <see cref="DefaultVersion"/>.
    /// v2 answers like v1 until someone changes it: the demo's canary is good, at any traffic rate.
    /// </summary>
    public Dictionary<string, VersionBehaviour> Versions { get; init; } = new()
    {
        ["v1"] = new VersionBehaviour(0.0, 8, 40),
        ["v2"] = new VersionBehaviour(0.0, 8, 40),
    };

    public static VersionBehaviour DefaultVersion { get; } = new(0.0, 5, 25);

    /// <summary>
    /// Per-pod overrides by pod name (e.g. make one httpbin v2 pod answer 503 to exercise outlier detection); a listed pod
    /// behaves like this instead of like its version.
    /// </summary>
    public Dictionary<string, VersionBehaviour> Pods { get; init; } = [];

    /// <summary>How a backend pod answers: its own override, else its version's, else the default.</summary>
    public VersionBehaviour BehaviourOf(TrafficPod pod) =>
        Pods is { Count: > 0 } pods && pods.TryGetValue(pod.Name, out var own) && own is not null
            ? own
            : Versions.GetValueOrDefault(pod.Label("version") ?? "") ?? DefaultVersion;

    /// <summary>Every problem, each naming the field and what is allowed; empty when the settings are valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Rates is null || Versions is null)
        {
            errors.Add("rates and versions are required (an empty object keeps nothing running / uses the default behaviour).");
            return errors;
        }

        foreach (var (scenario, rate) in Rates)
        {
            if (!TrafficScenarios.All.Contains(scenario))
            {
                errors.Add($"rates.{scenario}: unknown scenario; known: {string.Join(", ", TrafficScenarios.All)}.");
            }
            else if (!double.IsFinite(rate) || rate < 0 || rate > 1_000_000)
            {
                errors.Add($"rates.{scenario}: {rate} is not a rate; use 0 to 1000000 requests per second.");
            }
        }

        if (!double.IsFinite(CanaryHeaderShare) || CanaryHeaderShare is < 0 or > 1)
        {
            errors.Add($"canaryHeaderShare: {CanaryHeaderShare} is not a share; use 0 to 1.");
        }

        foreach (var (version, behaviour) in Versions)
        {
            if (behaviour is null)
            {
                errors.Add($"versions.{version}: missing; give errorRate, latencyMedianMs and latencyP99Ms.");
                continue;
            }

            errors.AddRange(behaviour.Validate().Select(e => $"versions.{version}.{e}"));
        }

        foreach (var (pod, behaviour) in Pods ?? [])
        {
            if (behaviour is null)
            {
                errors.Add($"pods.{pod}: missing; give errorRate, latencyMedianMs and latencyP99Ms.");
                continue;
            }

            errors.AddRange(behaviour.Validate().Select(e => $"pods.{pod}.{e}"));
        }

        return errors;
    }
}
