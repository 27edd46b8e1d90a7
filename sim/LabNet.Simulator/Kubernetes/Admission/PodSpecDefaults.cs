using System.Text.Json.Nodes;
using LabNet.Simulator.Kubernetes.Quantities;

namespace LabNet.Simulator.Kubernetes;

/// <summary>
/// Pod and pod-template defaults: <c>SetDefaults_PodSpec</c>, <c>_Container</c>, <c>_Probe</c>, <c>_Volume</c> and
/// friends, plus what the default admission plugins add to pods (service account, priority, toleration seconds) and
/// the QoS class the registry computes.
/// </summary>
internal static class PodSpecDefaults
{
    /// <summary>Volume sources whose files get mode 0644 unless the manifest says otherwise.</summary>
    private static readonly string[] ModedVolumeSources = ["configMap", "secret", "downwardAPI", "projected"];

    public static void ApplyToTemplate(JsonObject spec)
    {
        var template = Json.Child(spec, "template");
        Json.Child(template, "metadata")["creationTimestamp"] ??= null;
        ApplyToPodSpec(Json.Child(template, "spec"));
    }

    public static void ApplyToPod(JsonObject pod, JsonObject? existing)
    {
        var spec = Json.Child(pod, "spec");
        foreach (var container in Containers(spec))
        {
            RequestsFromLimits(container);
        }

        ApplyToPodSpec(spec);
        spec["serviceAccountName"] ??= "default";
        spec["serviceAccount"] ??= spec["serviceAccountName"]!.GetValue<string>();
        spec["enableServiceLinks"] ??= true;
        spec["preemptionPolicy"] ??= "PreemptLowerPriority";
        spec["priority"] ??= 0;
        spec["tolerations"] ??= new JsonArray();
        var tolerations = (JsonArray)spec["tolerations"]!;
        foreach (var key in new[] { "node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable" })
        {
            // DefaultTolerationSeconds: added unless the pod already tolerates that taint's NoExecute effect.
            if (!tolerations.OfType<JsonObject>().Any(t => t["key"]?.GetValue<string>() == key
                && t["effect"]?.GetValue<string>() is null or "NoExecute"))
            {
                tolerations.Add(new JsonObject { ["key"] = key, ["operator"] = "Exists", ["effect"] = "NoExecute", ["tolerationSeconds"] = 300 });
            }
        }

        if (existing is null)
        {
            Json.Child(pod, "status")["phase"] ??= "Pending";
            Json.Child(pod, "status")["qosClass"] ??= QosClass(spec);
        }
    }

    public static void ApplyToPodSpec(JsonObject podSpec)
    {
        podSpec["restartPolicy"] ??= "Always";
        podSpec["terminationGracePeriodSeconds"] ??= 30;
        podSpec["dnsPolicy"] ??= "ClusterFirst";
        podSpec["securityContext"] ??= new JsonObject();
        podSpec["schedulerName"] ??= "default-scheduler";
        var hostNetwork = podSpec["hostNetwork"]?.GetValue<bool>() == true;
        foreach (var container in Containers(podSpec))
        {
            Container(container, hostNetwork);
        }

        foreach (var volume in (podSpec["volumes"] as JsonArray ?? []).OfType<JsonObject>())
        {
            Volume(volume);
        }
    }

    private static void Container(JsonObject container, bool hostNetwork)
    {
        var image = container["image"]?.GetValue<string>() ?? "";
        var tag = image.Contains('@') ? "digest" : image.LastIndexOf(':') > image.LastIndexOf('/') ? image[(image.LastIndexOf(':') + 1)..] : "latest";
        container["imagePullPolicy"] ??= tag == "latest" ? "Always" : "IfNotPresent";
        container["terminationMessagePath"] ??= "/dev/termination-log";
        container["terminationMessagePolicy"] ??= "File";
        container["resources"] ??= new JsonObject();
        foreach (var port in (container["ports"] as JsonArray ?? []).OfType<JsonObject>())
        {
            port["protocol"] ??= "TCP";
            if (hostNetwork)
            {
                port["hostPort"] ??= port["containerPort"]?.DeepClone();
            }
        }

        foreach (var probe in new[] { "livenessProbe", "readinessProbe", "startupProbe" })
        {
            if (container[probe] is JsonObject p)
            {
                Probe(p);
            }
        }

        foreach (var env in (container["env"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (env["valueFrom"]?["fieldRef"] is JsonObject fieldRef)
            {
                fieldRef["apiVersion"] ??= "v1";
            }
        }
    }

    private static void Probe(JsonObject probe)
    {
        probe["timeoutSeconds"] ??= 1;
        probe["periodSeconds"] ??= 10;
        probe["successThreshold"] ??= 1;
        probe["failureThreshold"] ??= 3;
        if (probe["httpGet"] is JsonObject httpGet)
        {
            httpGet["path"] ??= "/";
            httpGet["scheme"] ??= "HTTP";
        }

        if (probe["grpc"] is JsonObject grpc)
        {
            grpc["service"] ??= "";
        }
    }

    private static void Volume(JsonObject volume)
    {
        if (volume.All(p => p.Key == "name"))
        {
            volume["emptyDir"] = new JsonObject();
        }

        foreach (var source in ModedVolumeSources)
        {
            if (volume[source] is JsonObject moded)
            {
                moded["defaultMode"] ??= 420;
            }
        }

        if (volume["hostPath"] is JsonObject hostPath)
        {
            hostPath["type"] ??= "";
        }
    }

    /// <summary>SetDefaults_Pod: a resource with a limit but no request gets the limit as its request.</summary>
    private static void RequestsFromLimits(JsonObject container)
    {
        if (container["resources"]?["limits"] is not JsonObject { Count: > 0 } limits)
        {
            return;
        }

        var requests = Json.Child((JsonObject)container["resources"]!, "requests");
        foreach (var (resource, limit) in limits)
        {
            requests[resource] ??= limit?.DeepClone();
        }
    }

    /// <summary>Guaranteed when every container's CPU and memory requests equal their limits; BestEffort when none has any.</summary>
    private static string QosClass(JsonObject podSpec)
    {
        var containers = Containers(podSpec).ToList();
        var any = containers.Any(c => c["resources"]?["requests"] is JsonObject { Count: > 0 } || c["resources"]?["limits"] is JsonObject { Count: > 0 });
        if (!any)
        {
            return "BestEffort";
        }

        var guaranteed = containers.All(c => new[] { "cpu", "memory" }.All(resource =>
            c["resources"]?["limits"]?[resource] is JsonNode limit
            && c["resources"]?["requests"]?[resource] is JsonNode request
            && Quantity.TryParse(limit.ToString(), out var l) && Quantity.TryParse(request.ToString(), out var r) && l.Equals(r)));
        return guaranteed ? "Guaranteed" : "Burstable";
    }

    private static IEnumerable<JsonObject> Containers(JsonObject podSpec) =>
        new[] { "initContainers", "containers" }.SelectMany(list => (podSpec[list] as JsonArray ?? []).OfType<JsonObject>());
}
