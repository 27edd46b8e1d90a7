using System.Text.Json.Nodes;
using LabNet.Simulator.Clock;

namespace LabNet.Simulator.Helm.Charts;

/// <summary>istio/base 1.24.2: Istio's CRDs (until they exist, a VirtualService is "no matches for kind").</summary>
public sealed class IstioBaseChart : HelmChart
{
    public override string Name => "base";

    public override string Version => "1.24.2";

    public override string AppVersion => "1.24.2";

    public static readonly IReadOnlyList<CustomResourceDefinitions.Spec> Crds =
    [
        new("networking.istio.io", "VirtualService", "virtualservices", ["vs"], true, ["v1alpha3", "v1beta1", "v1"], ["istio-io", "networking-istio-io"]),
        new("networking.istio.io", "DestinationRule", "destinationrules", ["dr"], true, ["v1alpha3", "v1beta1", "v1"], ["istio-io", "networking-istio-io"]),
        new("networking.istio.io", "Gateway", "gateways", ["gw"], true, ["v1alpha3", "v1beta1", "v1"], ["istio-io", "networking-istio-io"]),
        new("networking.istio.io", "ServiceEntry", "serviceentries", ["se"], true, ["v1alpha3", "v1beta1", "v1"], ["istio-io", "networking-istio-io"]),
        new("networking.istio.io", "Sidecar", "sidecars", [], true, ["v1alpha3", "v1beta1", "v1"], ["istio-io", "networking-istio-io"]),
        new("networking.istio.io", "EnvoyFilter", "envoyfilters", [], true, ["v1alpha3"], ["istio-io", "networking-istio-io"]),
        new("networking.istio.io", "WorkloadEntry", "workloadentries", ["we"], true, ["v1alpha3", "v1beta1", "v1"], ["istio-io", "networking-istio-io"]),
        new("networking.istio.io", "WorkloadGroup", "workloadgroups", ["wg"], true, ["v1alpha3", "v1beta1", "v1"], ["istio-io", "networking-istio-io"]),
        new("networking.istio.io", "ProxyConfig", "proxyconfigs", [], true, ["v1beta1"], ["istio-io", "networking-istio-io"]),
        new("security.istio.io", "PeerAuthentication", "peerauthentications", ["pa"], true, ["v1beta1", "v1"], ["istio-io", "security-istio-io"]),
        new("security.istio.io", "AuthorizationPolicy", "authorizationpolicies", ["ap"], true, ["v1beta1", "v1"], ["istio-io", "security-istio-io"]),
        new("security.istio.io", "RequestAuthentication", "requestauthentications", ["ra"], true, ["v1beta1", "v1"], ["istio-io", "security-istio-io"]),
        new("telemetry.istio.io", "Telemetry", "telemetries", ["telemetry"], true, ["v1alpha1", "v1"], ["istio-io", "telemetry-istio-io"]),
        new("extensions.istio.io", "WasmPlugin", "wasmplugins", [], true, ["v1alpha1"], ["istio-io", "extensions-istio-io"]),
    ];

    public override JsonObject Defaults() => HelmValues.FromYaml("defaultRevision: \"\"\nglobal:\n  istioNamespace: istio-system\n");

    public override TimeSpan RolloutTime(ModeledDurations durations) => durations.HelmApply;

    public override ChartRollout Apply(ChartContext context)
    {
        var labels = WorkloadObjects.Labels(("app.kubernetes.io/part-of", "istio"), ("app.kubernetes.io/managed-by", "Helm"));
        foreach (var crd in Crds)
        {
            context.Api.Apply(CustomResourceDefinitions.Build(crd, labels));
        }

        context.Api.Apply(WorkloadObjects.ServiceAccount("istio-reader-service-account", context.Namespace));
        return new ChartRollout(true, null);
    }

    public override IEnumerable<(string ApiVersion, string Kind, string? Namespace, string Name)> Rendered(ChartContext context) =>
        // Helm never deletes CRDs it installed.
        [("v1", "ServiceAccount", context.Namespace, "istio-reader-service-account")];

    public override string Notes(ChartContext context) => "Istio base successfully installed!\n\nTo learn more about the release, try:\n  $ helm status " + context.Release + " -n " + context.Namespace + "\n  $ helm get all " + context.Release + " -n " + context.Namespace + "\n";
}
