using System.Text.Json.Nodes;

namespace LabNet.Simulator.Mesh.Injection;

/// <summary>
/// What Istio's injection templates (1.24) add to a pod. <c>sidecar</c> (the default): istio-init, istio-proxy,
/// volumes, labels and annotations. <c>gateway</c> (pods annotated <c>inject.istio.io/templates: gateway</c>, as the
/// gateway chart renders them): the pod's own <c>istio-proxy</c> container, whose image is <c>auto</c>, becomes Envoy
/// in the router role; no istio-init, since a gateway intercepts nothing.
/// </summary>
public static class SidecarTemplate
{
    private static readonly string[] Volumes = ["workload-socket", "credential-socket", "workload-certs", "istio-envoy", "istio-data", "istio-podinfo", "istio-token", "istiod-ca-cert"];

    public const string TemplatesAnnotation = "inject.istio.io/templates";

    public static bool IsGateway(JsonObject pod) => pod["metadata"]?["annotations"]?[TemplatesAnnotation]?.GetValue<string>() == "gateway";

    public static void Inject(JsonObject pod, string ns, string istioNamespace, string version)
    {
        var gateway = IsGateway(pod);
        var metadata = pod["metadata"] as JsonObject ?? (JsonObject)(pod["metadata"] = new JsonObject());
        var spec = (JsonObject)pod["spec"]!;
        var containers = spec["containers"] as JsonArray ?? (JsonArray)(spec["containers"] = new JsonArray());
        var ownProxy = gateway ? containers.OfType<JsonObject>().FirstOrDefault(c => c["name"]?.GetValue<string>() == "istio-proxy") : null;
        var appContainers = containers.OfType<JsonObject>().Select(c => c["name"]?.GetValue<string>() ?? "").Where(n => n != "istio-proxy").ToList();
        var labels = metadata["labels"] as JsonObject ?? (JsonObject)(metadata["labels"] = new JsonObject());
        var annotations = metadata["annotations"] as JsonObject ?? (JsonObject)(metadata["annotations"] = new JsonObject());
        var image = $"docker.io/istio/proxyv2:{version}";
        var workload = labels["app"]?.GetValue<string>() ?? metadata["generateName"]?.GetValue<string>()?.TrimEnd('-') ?? metadata["name"]?.GetValue<string>() ?? "";

        annotations["istio.io/rev"] = "default";
        annotations["kubectl.kubernetes.io/default-container"] = appContainers.FirstOrDefault() ?? "istio-proxy";
        annotations["kubectl.kubernetes.io/default-logs-container"] = appContainers.FirstOrDefault() ?? "istio-proxy";
        annotations["prometheus.io/path"] = "/stats/prometheus";
        annotations["prometheus.io/port"] = "15020";
        annotations["prometheus.io/scrape"] = "true";
        annotations[SidecarInjector.StatusAnnotation] =
            $"{{\"initContainers\":{(gateway ? "null" : "[\"istio-init\"]")},\"containers\":[\"istio-proxy\"],\"volumes\":[{string.Join(',', Volumes.Select(v => $"\"{v}\""))}],\"imagePullSecrets\":null,\"revision\":\"default\"}}";
        labels["security.istio.io/tlsMode"] = "istio";
        labels["service.istio.io/canonical-name"] = labels["service.istio.io/canonical-name"]?.GetValue<string>() ?? workload;
        labels["service.istio.io/canonical-revision"] = labels["service.istio.io/canonical-revision"]?.GetValue<string>() ?? labels["version"]?.GetValue<string>() ?? "latest";

        var ports = new JsonArray();
        foreach (var port in containers.OfType<JsonObject>().SelectMany(c => (c["ports"] as JsonArray ?? []).OfType<JsonObject>()))
        {
            ports.Add(port.DeepClone());
        }

        if (!gateway)
        {
            AddInit(spec, image);
        }

        var proxy = new JsonObject
        {
            ["name"] = "istio-proxy",
            ["image"] = image,
            ["imagePullPolicy"] = "IfNotPresent",
            ["args"] = new JsonArray("proxy", gateway ? "router" : "sidecar", "--domain", "$(POD_NAMESPACE).svc.cluster.local", "--proxyLogLevel=warning", "--proxyComponentLogLevel=misc:error", "--log_output_level=default:info"),
            ["env"] = new JsonArray(
                Env("PILOT_CERT_PROVIDER", "istiod"),
                Env("CA_ADDR", $"istiod.{istioNamespace}.svc:15012"),
                FieldEnv("POD_NAME", "metadata.name"),
                FieldEnv("POD_NAMESPACE", "metadata.namespace"),
                FieldEnv("INSTANCE_IP", "status.podIP"),
                FieldEnv("SERVICE_ACCOUNT", "spec.serviceAccountName"),
                FieldEnv("HOST_IP", "status.hostIP"),
                Env("ISTIO_CPU_LIMIT", "0"),
                Env("PROXY_CONFIG", "{}\n"),
                Env("ISTIO_META_POD_PORTS", ports.ToJsonString()),
                Env("ISTIO_META_APP_CONTAINERS", string.Join(',', appContainers)),
                Env("ISTIO_META_CLUSTER_ID", "Kubernetes"),
                FieldEnv("ISTIO_META_NODE_NAME", "spec.nodeName"),
                Env("ISTIO_META_INTERCEPTION_MODE", "REDIRECT"),
                Env("ISTIO_META_WORKLOAD_NAME", workload),
                Env("ISTIO_META_MESH_ID", "cluster.local"),
                Env("TRUST_DOMAIN", "cluster.local")),
            ["ports"] = new JsonArray(new JsonObject { ["containerPort"] = 15090, ["name"] = "http-envoy-prom", ["protocol"] = "TCP" }),
            ["readinessProbe"] = new JsonObject
            {
                ["failureThreshold"] = 4,
                ["httpGet"] = new JsonObject { ["path"] = "/healthz/ready", ["port"] = 15021, ["scheme"] = "HTTP" },
                ["periodSeconds"] = 15,
                ["successThreshold"] = 1,
                ["timeoutSeconds"] = 3,
            },
            ["resources"] = Resources(),
            ["securityContext"] = new JsonObject
            {
                ["allowPrivilegeEscalation"] = false,
                ["capabilities"] = new JsonObject { ["drop"] = new JsonArray("ALL") },
                ["privileged"] = false,
                ["readOnlyRootFilesystem"] = true,
                ["runAsGroup"] = 1337,
                ["runAsNonRoot"] = true,
                ["runAsUser"] = 1337,
            },
            ["startupProbe"] = new JsonObject
            {
                ["failureThreshold"] = 600,
                ["httpGet"] = new JsonObject { ["path"] = "/healthz/ready", ["port"] = 15021, ["scheme"] = "HTTP" },
                ["periodSeconds"] = 1,
                ["successThreshold"] = 1,
                ["timeoutSeconds"] = 3,
            },
            ["terminationMessagePath"] = "/dev/termination-log",
            ["terminationMessagePolicy"] = "File",
            ["volumeMounts"] = new JsonArray(
                Mount("workload-socket", "/var/run/secrets/workload-spiffe-uds"),
                Mount("credential-socket", "/var/run/secrets/credential-uds"),
                Mount("workload-certs", "/var/run/secrets/workload-spiffe-credentials"),
                Mount("istiod-ca-cert", "/var/run/secrets/istio"),
                Mount("istio-data", "/var/lib/istio/data"),
                Mount("istio-envoy", "/etc/istio/proxy"),
                Mount("istio-token", "/var/run/secrets/tokens"),
                Mount("istio-podinfo", "/etc/istio/pod")),
        };
        if (ownProxy is null)
        {
            containers.Add(proxy);
        }
        else
        {
            // The pod's own fields win over the template's, except the image that "auto" stands for.
            foreach (var (key, value) in ownProxy.ToList())
            {
                if (key != "image")
                {
                    proxy[key] = value?.DeepClone();
                }
            }

            containers[containers.IndexOf(ownProxy)] = proxy;
        }

        var volumes = spec["volumes"] as JsonArray ?? (JsonArray)(spec["volumes"] = new JsonArray());
        volumes.Add(new JsonObject { ["name"] = "workload-socket", ["emptyDir"] = new JsonObject() });
        volumes.Add(new JsonObject { ["name"] = "credential-socket", ["emptyDir"] = new JsonObject() });
        volumes.Add(new JsonObject { ["name"] = "workload-certs", ["emptyDir"] = new JsonObject() });
        volumes.Add(new JsonObject { ["name"] = "istio-envoy", ["emptyDir"] = new JsonObject { ["medium"] = "Memory" } });
        volumes.Add(new JsonObject { ["name"] = "istio-data", ["emptyDir"] = new JsonObject() });
        volumes.Add(new JsonObject
        {
            ["name"] = "istio-podinfo",
            ["downwardAPI"] = new JsonObject
            {
                ["items"] = new JsonArray(
                    new JsonObject { ["fieldRef"] = new JsonObject { ["fieldPath"] = "metadata.labels" }, ["path"] = "labels" },
                    new JsonObject { ["fieldRef"] = new JsonObject { ["fieldPath"] = "metadata.annotations" }, ["path"] = "annotations" }),
            },
        });
        volumes.Add(new JsonObject
        {
            ["name"] = "istio-token",
            ["projected"] = new JsonObject
            {
                ["sources"] = new JsonArray(new JsonObject
                {
                    ["serviceAccountToken"] = new JsonObject { ["audience"] = "istio-ca", ["expirationSeconds"] = 43200, ["path"] = "istio-token" },
                }),
            },
        });
        volumes.Add(new JsonObject { ["name"] = "istiod-ca-cert", ["configMap"] = new JsonObject { ["name"] = "istio-ca-root-cert" } });
    }

    private static void AddInit(JsonObject spec, string image)
    {
        var initContainers = spec["initContainers"] as JsonArray ?? (JsonArray)(spec["initContainers"] = new JsonArray());
        initContainers.Add(new JsonObject
        {
            ["name"] = "istio-init",
            ["image"] = image,
            ["imagePullPolicy"] = "IfNotPresent",
            ["args"] = new JsonArray("istio-iptables", "-p", "15001", "-z", "15006", "-u", "1337", "-m", "REDIRECT", "-i", "*", "-x", "", "-b", "*", "-d", "15090,15021,15020", "--log_output_level=default:info"),
            ["resources"] = Resources(),
            ["securityContext"] = new JsonObject
            {
                ["allowPrivilegeEscalation"] = false,
                ["capabilities"] = new JsonObject { ["add"] = new JsonArray("NET_ADMIN", "NET_RAW"), ["drop"] = new JsonArray("ALL") },
                ["privileged"] = false,
                ["readOnlyRootFilesystem"] = false,
                ["runAsGroup"] = 0,
                ["runAsNonRoot"] = false,
                ["runAsUser"] = 0,
            },
            ["terminationMessagePath"] = "/dev/termination-log",
            ["terminationMessagePolicy"] = "File",
        });
    }

    private static JsonObject Resources() => new()
    {
        ["limits"] = new JsonObject { ["cpu"] = "2", ["memory"] = "1Gi" },
        ["requests"] = new JsonObject { ["cpu"] = "100m", ["memory"] = "128Mi" },
    };

    private static JsonObject Env(string name, string value) => new() { ["name"] = name, ["value"] = value };

    private static JsonObject FieldEnv(string name, string path) => new()
    {
        ["name"] = name,
        ["valueFrom"] = new JsonObject { ["fieldRef"] = new JsonObject { ["apiVersion"] = "v1", ["fieldPath"] = path } },
    };

    private static JsonObject Mount(string name, string path) => new() { ["mountPath"] = path, ["name"] = name };
}
