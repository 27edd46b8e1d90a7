using System.Text.Json.Nodes;
using LabNet.Simulator.Clock;
using LabNet.Simulator.Mesh.Injection;

namespace LabNet.Simulator.Helm.Charts;

/// <summary>istio/gateway 1.24.2: an Envoy gateway Deployment and its Service (LoadBalancer unless values say otherwise).</summary>
public sealed class IstioGatewayChart : HelmChart
{
    public override string Name => "gateway";

    public override string Version => "1.24.2";

    public override string AppVersion => "1.24.2";

    public override JsonObject Defaults() => HelmValues.FromYaml("replicaCount: 1\nservice:\n  type: LoadBalancer\n");

    public override TimeSpan RolloutTime(ModeledDurations durations) => durations.IstioRollout;

    /// <summary>The chart labels pods istio=&lt;release name without its "istio-" prefix&gt;.</summary>
    private static string IstioLabel(string release) => release.StartsWith("istio-", StringComparison.Ordinal) ? release["istio-".Length..] : release;

    public override ChartRollout Apply(ChartContext context)
    {
        var labels = WorkloadObjects.Labels(("app", context.Release), ("istio", IstioLabel(context.Release)));
        var replicas = (int)(HelmValues.Get(context.Values, "replicaCount")?.GetValue<long>() ?? 1);
        context.Api.Apply(WorkloadObjects.ServiceAccount(context.Release, context.Namespace));
        // The chart's pod asks Istio's injector for the gateway template, which turns its "auto" image into Envoy.
        var template = WorkloadObjects.PodTemplate(labels, "istio-proxy", "auto", ports: new JsonArray(new JsonObject { ["containerPort"] = 15090, ["name"] = "http-envoy-prom" }));
        var podMetadata = (JsonObject)template["metadata"]!;
        podMetadata["labels"]![SidecarInjector.InjectKey] = "true";
        podMetadata["annotations"] = new JsonObject { [SidecarTemplate.TemplatesAnnotation] = "gateway" };
        context.Api.Apply(WorkloadObjects.Deployment(context.Release, context.Namespace, labels, replicas, template));
        context.Api.Apply(WorkloadObjects.Service(context.Release, context.Namespace, labels, HelmValues.String(context.Values, "service.type", "LoadBalancer"),
            ("status-port", 15021, 15021, null), ("http2", 80, 80, null), ("https", 443, 443, null)));
        return new ChartRollout(true, null);
    }

    public override IEnumerable<(string ApiVersion, string Kind, string? Namespace, string Name)> Rendered(ChartContext context) =>
    [
        ("v1", "ServiceAccount", context.Namespace, context.Release),
        ("apps/v1", "Deployment", context.Namespace, context.Release),
        ("v1", "Service", context.Namespace, context.Release),
    ];

    public override string Notes(ChartContext context) =>
        $"\"{context.Release}\" successfully installed!\n\nTo learn more about the release, try:\n  $ helm status {context.Release} -n {context.Namespace}\n  $ helm get all {context.Release} -n {context.Namespace}\n";
}
