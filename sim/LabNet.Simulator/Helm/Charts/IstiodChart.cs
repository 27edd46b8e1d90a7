using System.Text.Json.Nodes;
using LabNet.Simulator.Clock;

namespace LabNet.Simulator.Helm.Charts;

/// <summary>istio/istiod 1.24.2: the control plane (Deployment, Service, mesh ConfigMap, sidecar injector webhook).</summary>
public sealed class IstiodChart : HelmChart
{
    public override string Name => "istiod";

    public override string Version => "1.24.2";

    public override string AppVersion => "1.24.2";

    public override JsonObject Defaults() => HelmValues.FromYaml("""
        pilot:
          replicaCount: 1
        meshConfig:
          accessLogFile: ""
        global:
          proxy:
            resources:
              requests:
                cpu: 100m
                memory: 128Mi
        """);

    public override TimeSpan RolloutTime(ModeledDurations durations) => durations.IstioRollout;

    public override ChartRollout Apply(ChartContext context)
    {
        var ns = context.Namespace;
        var labels = WorkloadObjects.Labels(("app", "istiod"), ("istio", "pilot"));
        var replicas = (int)(HelmValues.Get(context.Values, "pilot.replicaCount")?.GetValue<long>() ?? 1);
        context.Api.Apply(WorkloadObjects.ServiceAccount("istiod", ns));
        context.Api.Apply(Kubeadm.ClusterObjects.ConfigMap("istio", ns, new Dictionary<string, string>
        {
            ["mesh"] = $"accessLogFile: {HelmValues.String(context.Values, "meshConfig.accessLogFile")}\ndefaultConfig:\n  discoveryAddress: istiod.{ns}.svc:15012\nrootNamespace: {ns}\ntrustDomain: cluster.local\n",
            ["meshNetworks"] = "networks: {}",
        }));
        context.Api.Apply(WorkloadObjects.Deployment("istiod", ns, labels, replicas,
            WorkloadObjects.PodTemplate(labels, "discovery", $"docker.io/istio/pilot:{AppVersion}", ports: new JsonArray(
                new JsonObject { ["containerPort"] = 8080 }, new JsonObject { ["containerPort"] = 15010 }, new JsonObject { ["containerPort"] = 15017 }))));
        context.Api.Apply(WorkloadObjects.Service("istiod", ns, labels, "ClusterIP",
            ("grpc-xds", 15010, 15010, null), ("https-dns", 15012, 15012, null), ("https-webhook", 443, 15017, null), ("http-monitoring", 15014, 15014, null)));
        context.Api.Apply(new JsonObject
        {
            ["apiVersion"] = "admissionregistration.k8s.io/v1",
            ["kind"] = "MutatingWebhookConfiguration",
            ["metadata"] = new JsonObject { ["name"] = "istio-sidecar-injector", ["labels"] = WorkloadObjects.Labels(("app", "sidecar-injector"), ("istio.io/rev", "default")) },
            ["webhooks"] = new JsonArray(new JsonObject
            {
                ["name"] = "namespace.sidecar-injector.istio.io",
                ["clientConfig"] = new JsonObject { ["service"] = new JsonObject { ["name"] = "istiod", ["namespace"] = ns, ["path"] = "/inject", ["port"] = 443 } },
                ["namespaceSelector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["istio-injection"] = "enabled" } },
                ["admissionReviewVersions"] = new JsonArray("v1"),
                ["sideEffects"] = "None",
                ["failurePolicy"] = "Fail",
            }),
        });
        return new ChartRollout(true, null);
    }

    public override IEnumerable<(string ApiVersion, string Kind, string? Namespace, string Name)> Rendered(ChartContext context) =>
    [
        ("v1", "ServiceAccount", context.Namespace, "istiod"),
        ("v1", "ConfigMap", context.Namespace, "istio"),
        ("apps/v1", "Deployment", context.Namespace, "istiod"),
        ("v1", "Service", context.Namespace, "istiod"),
        ("admissionregistration.k8s.io/v1", "MutatingWebhookConfiguration", null, "istio-sidecar-injector"),
    ];

    public override string Notes(ChartContext context) =>
        "\"istiod\" successfully installed!\n\nNext steps:\n  * Deploy a Gateway: https://istio.io/latest/docs/setup/additional-setup/gateway/\n";
}
