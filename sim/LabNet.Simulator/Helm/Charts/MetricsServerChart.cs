using System.Text.Json.Nodes;
using LabNet.Simulator.Clock;
using LabNet.Simulator.Kubeadm;

namespace LabNet.Simulator.Helm.Charts;

/// <summary>
/// metrics-server/metrics-server 3.12.2 (metrics-server 0.7.2): its RBAC, the Service on 443, the Deployment with
/// the chart's default args plus the values' <c>args</c>, and the APIService <c>v1beta1.metrics.k8s.io</c> that puts
/// <c>metrics.k8s.io</c> behind the aggregator. On kubeadm's self-signed kubelet certificates it scrapes only with
/// <c>--kubelet-insecure-tls</c> (the lab passes it, as the original does).
/// </summary>
public sealed class MetricsServerChart : HelmChart
{
    public override string Name => "metrics-server";

    public override string Version => "3.12.2";

    public override string AppVersion => "0.7.2";

    public override JsonObject Defaults() => HelmValues.FromYaml("""
        replicas: 1
        containerPort: 10250
        defaultArgs:
          - --cert-dir=/tmp
          - --kubelet-preferred-address-types=InternalIP,ExternalIP,Hostname
          - --kubelet-use-node-status-port
          - --metric-resolution=15s
        args: []
        apiService:
          create: true
          insecureSkipTLSVerify: true
        """);

    public override TimeSpan RolloutTime(ModeledDurations durations) => durations.HelmApply;

    public override ChartRollout Apply(ChartContext context)
    {
        var (release, ns) = (context.Release, context.Namespace);
        var labels = WorkloadObjects.Labels(("app.kubernetes.io/name", "metrics-server"), ("app.kubernetes.io/instance", release));
        var port = (int)(HelmValues.Get(context.Values, "containerPort")?.GetValue<long>() ?? 10250);
        var replicas = (int)(HelmValues.Get(context.Values, "replicas")?.GetValue<long>() ?? 1);
        var args = new JsonArray($"--secure-port={port}");
        foreach (var arg in (HelmValues.Get(context.Values, "defaultArgs") as JsonArray ?? []).Concat(HelmValues.Get(context.Values, "args") as JsonArray ?? []))
        {
            args.Add(arg?.ToString());
        }

        context.Api.Apply(WorkloadObjects.ServiceAccount(release, ns));
        context.Api.Apply(ClusterRole("system:metrics-server-aggregated-reader", new JsonObject
        {
            ["rbac.authorization.k8s.io/aggregate-to-admin"] = "true",
            ["rbac.authorization.k8s.io/aggregate-to-edit"] = "true",
            ["rbac.authorization.k8s.io/aggregate-to-view"] = "true",
        }, Rule(["metrics.k8s.io"], ["pods", "nodes"], ["get", "list", "watch"])));
        context.Api.Apply(ClusterRole("system:metrics-server", null,
            Rule([""], ["nodes/metrics"], ["get"]), Rule([""], ["pods", "nodes", "namespaces", "configmaps"], ["get", "list", "watch"])));
        context.Api.Apply(Binding("ClusterRoleBinding", "system:metrics-server", null, "ClusterRole", "system:metrics-server", release, ns));
        context.Api.Apply(Binding("ClusterRoleBinding", $"{release}:system:auth-delegator", null, "ClusterRole", "system:auth-delegator", release, ns));
        context.Api.Apply(Binding("RoleBinding", $"{release}-auth-reader", "kube-system", "Role", "extension-apiserver-authentication-reader", release, ns));
        context.Api.Apply(WorkloadObjects.Service(release, ns, labels, "ClusterIP", ("https", 443, port, null)));

        var template = WorkloadObjects.PodTemplate(labels, "metrics-server", $"registry.k8s.io/metrics-server/metrics-server:v{AppVersion}",
            ports: new JsonArray(new JsonObject { ["name"] = "https", ["containerPort"] = port, ["protocol"] = "TCP" }));
        var container = (JsonObject)template["spec"]!["containers"]![0]!;
        container["args"] = args;
        container["resources"] = new JsonObject { ["requests"] = new JsonObject { ["cpu"] = "100m", ["memory"] = "200Mi" } };
        container["readinessProbe"] = Probe("/readyz", 20);
        container["livenessProbe"] = Probe("/livez", 0);
        template["spec"]!["serviceAccountName"] = release;
        template["spec"]!["priorityClassName"] = "system-cluster-critical";
        context.Api.Apply(WorkloadObjects.Deployment(release, ns, labels, replicas, template));

        if (HelmValues.Truthy(context.Values, "apiService.create"))
        {
            context.Api.Apply(new JsonObject
            {
                ["apiVersion"] = "apiregistration.k8s.io/v1",
                ["kind"] = "APIService",
                ["metadata"] = new JsonObject { ["name"] = "v1beta1.metrics.k8s.io", ["labels"] = labels.DeepClone() },
                ["spec"] = new JsonObject
                {
                    ["group"] = "metrics.k8s.io",
                    ["groupPriorityMinimum"] = 100,
                    ["insecureSkipTLSVerify"] = HelmValues.Truthy(context.Values, "apiService.insecureSkipTLSVerify"),
                    ["service"] = new JsonObject { ["name"] = release, ["namespace"] = ns, ["port"] = 443 },
                    ["version"] = "v1beta1",
                    ["versionPriority"] = 100,
                },
            });
        }

        return new ChartRollout(true, null);
    }

    public override IEnumerable<(string ApiVersion, string Kind, string? Namespace, string Name)> Rendered(ChartContext context) =>
    [
        ("apiregistration.k8s.io/v1", "APIService", null, "v1beta1.metrics.k8s.io"),
        ("apps/v1", "Deployment", context.Namespace, context.Release),
        ("v1", "Service", context.Namespace, context.Release),
        ("rbac.authorization.k8s.io/v1", "RoleBinding", "kube-system", $"{context.Release}-auth-reader"),
        ("rbac.authorization.k8s.io/v1", "ClusterRoleBinding", null, $"{context.Release}:system:auth-delegator"),
        ("rbac.authorization.k8s.io/v1", "ClusterRoleBinding", null, "system:metrics-server"),
        ("rbac.authorization.k8s.io/v1", "ClusterRole", null, "system:metrics-server"),
        ("rbac.authorization.k8s.io/v1", "ClusterRole", null, "system:metrics-server-aggregated-reader"),
        ("v1", "ServiceAccount", context.Namespace, context.Release),
    ];

    public override string Notes(ChartContext context) =>
        $"***********************************************************************\n* Metrics Server                                                      *\n***********************************************************************\n  Chart version: {Version}\n  App version:   {AppVersion}\n  Image tag:     registry.k8s.io/metrics-server/metrics-server:v{AppVersion}\n***********************************************************************\n";

    private static JsonObject Probe(string path, int initialDelay) => new()
    {
        ["httpGet"] = new JsonObject { ["path"] = path, ["port"] = "https", ["scheme"] = "HTTPS" },
        ["initialDelaySeconds"] = initialDelay,
        ["periodSeconds"] = 10,
        ["failureThreshold"] = 3,
    };

    private static JsonObject Rule(string[] groups, string[] resources, string[] verbs) => new()
    {
        ["apiGroups"] = new JsonArray([.. groups.Select(g => (JsonNode)g)]),
        ["resources"] = new JsonArray([.. resources.Select(r => (JsonNode)r)]),
        ["verbs"] = new JsonArray([.. verbs.Select(v => (JsonNode)v)]),
    };

    private static JsonObject ClusterRole(string name, JsonObject? labels, params JsonObject[] rules) => new()
    {
        ["apiVersion"] = "rbac.authorization.k8s.io/v1",
        ["kind"] = "ClusterRole",
        ["metadata"] = labels is null ? new JsonObject { ["name"] = name } : new JsonObject { ["name"] = name, ["labels"] = labels },
        ["rules"] = new JsonArray([.. rules]),
    };

    private static JsonObject Binding(string kind, string name, string? @namespace, string roleKind, string role, string serviceAccount, string serviceAccountNamespace)
    {
        var metadata = new JsonObject { ["name"] = name };
        if (@namespace is not null)
        {
            metadata["namespace"] = @namespace;
        }

        return new JsonObject
        {
            ["apiVersion"] = "rbac.authorization.k8s.io/v1",
            ["kind"] = kind,
            ["metadata"] = metadata,
            ["roleRef"] = new JsonObject { ["apiGroup"] = "rbac.authorization.k8s.io", ["kind"] = roleKind, ["name"] = role },
            ["subjects"] = new JsonArray(new JsonObject { ["kind"] = "ServiceAccount", ["name"] = serviceAccount, ["namespace"] = serviceAccountNamespace }),
        };
    }
}
