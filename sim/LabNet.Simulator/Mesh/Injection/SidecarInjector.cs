using System.Text.Json.Nodes;
using LabNet.Simulator.Kubernetes;

namespace LabNet.Simulator.Mesh.Injection;

/// <summary>
/// Istio's sidecar injector (the <c>istio-sidecar-injector</c> MutatingWebhookConfiguration that the istiod chart
/// installs), as an admission step: a pod created in a namespace labelled <c>istio-injection=enabled</c>, or carrying
/// the label <c>sidecar.istio.io/inject: "true"</c> in a namespace that is not <c>istio-injection=disabled</c>, gets
/// the <c>istio-init</c> init container and the <c>istio-proxy</c> sidecar, unless it opts out with
/// <c>sidecar.istio.io/inject: "false"</c> (label or annotation) or uses the host network. Only creates are touched:
/// existing pods keep what they have until they are replaced (a rollout restart).
/// </summary>
public sealed class SidecarInjector : IAdmissionPlugin
{
    public const string WebhookName = "istio-sidecar-injector";
    public const string InjectKey = "sidecar.istio.io/inject";
    public const string StatusAnnotation = "sidecar.istio.io/status";

    public void Admit(AdmissionRequest request)
    {
        if (request.Operation != "CREATE" || request.Kind != "Pod" || request.ApiVersion != "v1")
        {
            return;
        }

        var webhook = request.Cluster.Get("admissionregistration.k8s.io/v1", "MutatingWebhookConfiguration", null, WebhookName);
        if (webhook is null || !ShouldInject(request))
        {
            return;
        }

        var istioNamespace = webhook["webhooks"]?[0]?["clientConfig"]?["service"]?["namespace"]?.GetValue<string>() ?? "istio-system";
        var pilotImage = request.Cluster.Get("apps/v1", "Deployment", istioNamespace, "istiod")?["spec"]?["template"]?["spec"]?["containers"]?[0]?["image"]?.GetValue<string>();
        var version = pilotImage is not null && pilotImage.LastIndexOf(':') > pilotImage.LastIndexOf('/') ? pilotImage[(pilotImage.LastIndexOf(':') + 1)..] : "1.24.2";
        SidecarTemplate.Inject(request.Object, request.Namespace ?? "default", istioNamespace, version);
    }

    private static bool ShouldInject(AdmissionRequest request)
    {
        var pod = request.Object;
        var spec = pod["spec"] as JsonObject;
        if (spec is null || spec["hostNetwork"]?.GetValue<bool>() == true)
        {
            return false;
        }

        // A gateway pod brings its own istio-proxy container for the template to fill in.
        if ((!SidecarTemplate.IsGateway(pod) && (spec["containers"] as JsonArray ?? []).OfType<JsonObject>().Any(c => c["name"]?.GetValue<string>() == "istio-proxy"))
            || pod["metadata"]?["annotations"]?[StatusAnnotation] is not null)
        {
            return false;
        }

        var podLabel = pod["metadata"]?["labels"]?[InjectKey]?.GetValue<string>();
        var podAnnotation = pod["metadata"]?["annotations"]?[InjectKey]?.GetValue<string>();
        if (podLabel == "false" || podAnnotation == "false")
        {
            return false;
        }

        var ns = request.Namespace ?? "default";
        var namespaceLabel = request.Cluster.Get("v1", "Namespace", null, ns)?["metadata"]?["labels"]?["istio-injection"]?.GetValue<string>();
        return namespaceLabel switch
        {
            "enabled" => true,
            "disabled" => false,
            _ => podLabel == "true" && ns is not ("kube-system" or "kube-public" or "kube-node-lease"),
        };
    }
}
