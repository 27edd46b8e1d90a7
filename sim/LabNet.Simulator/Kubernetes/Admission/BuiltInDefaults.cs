using System.Text;
using System.Text.Json.Nodes;

namespace LabNet.Simulator.Kubernetes;

/// <summary>
/// The defaulting the real API server does for built-in kinds (<c>k8s.io/kubernetes/pkg/apis/*/v1/defaults.go</c> and
/// the admission plugins that are on by default), so <c>-o yaml</c> shows what a real cluster shows and clients that
/// rely on the defaults (<c>kubectl rollout status</c> needs a DaemonSet's <c>updateStrategy</c>) work.
/// </summary>
internal static class BuiltInDefaults
{
    public static void Apply(ClusterApi cluster, ResourceType type, JsonObject obj, JsonObject? existing)
    {
        if (!type.IsBuiltIn)
        {
            return;
        }

        var metadata = (JsonObject)obj["metadata"]!;
        switch (type.Kind)
        {
            case "Namespace":
                Json.Child(metadata, "labels")["kubernetes.io/metadata.name"] = metadata["name"]!.GetValue<string>();
                Json.Child(obj, "spec")["finalizers"] ??= new JsonArray("kubernetes");
                Json.Child(obj, "status")["phase"] ??= "Active";
                break;
            case "Pod":
                PodSpecDefaults.ApplyToPod(obj, existing);
                break;
            case "Deployment":
                Deployment(Json.Child(obj, "spec"));
                break;
            case "ReplicaSet":
                Json.Child(obj, "spec")["replicas"] ??= 1;
                PodSpecDefaults.ApplyToTemplate(Json.Child(obj, "spec"));
                break;
            case "DaemonSet":
                DaemonSet(Json.Child(obj, "spec"));
                break;
            case "StatefulSet":
                StatefulSet(Json.Child(obj, "spec"));
                break;
            case "Job":
                Job(Json.Child(obj, "spec"));
                break;
            case "CronJob":
                CronJob(Json.Child(obj, "spec"));
                break;
            case "HorizontalPodAutoscaler":
                AutoscalerDefaults.Apply(type.Version, Json.Child(obj, "spec"));
                break;
            case "Secret":
                Secret(obj);
                break;
            case "Service":
                ServiceDefaults.Apply(cluster, obj, existing);
                break;
        }
    }

    private static void Deployment(JsonObject spec)
    {
        spec["replicas"] ??= 1;
        spec["revisionHistoryLimit"] ??= 10;
        spec["progressDeadlineSeconds"] ??= 600;
        var strategy = Json.Child(spec, "strategy");
        strategy["type"] ??= "RollingUpdate";
        if (strategy["type"]!.GetValue<string>() == "RollingUpdate")
        {
            var rolling = Json.Child(strategy, "rollingUpdate");
            rolling["maxUnavailable"] ??= "25%";
            rolling["maxSurge"] ??= "25%";
        }

        PodSpecDefaults.ApplyToTemplate(spec);
    }

    private static void DaemonSet(JsonObject spec)
    {
        var strategy = Json.Child(spec, "updateStrategy");
        strategy["type"] ??= "RollingUpdate";
        if (strategy["type"]!.GetValue<string>() == "RollingUpdate")
        {
            var rolling = Json.Child(strategy, "rollingUpdate");
            rolling["maxUnavailable"] ??= 1;
            rolling["maxSurge"] ??= 0;
        }

        spec["revisionHistoryLimit"] ??= 10;
        PodSpecDefaults.ApplyToTemplate(spec);
    }

    private static void StatefulSet(JsonObject spec)
    {
        spec["replicas"] ??= 1;
        spec["podManagementPolicy"] ??= "OrderedReady";
        var strategy = Json.Child(spec, "updateStrategy");
        strategy["type"] ??= "RollingUpdate";
        if (strategy["type"]!.GetValue<string>() == "RollingUpdate")
        {
            Json.Child(strategy, "rollingUpdate")["partition"] ??= 0;
        }

        spec["revisionHistoryLimit"] ??= 10;
        var retention = Json.Child(spec, "persistentVolumeClaimRetentionPolicy");
        retention["whenDeleted"] ??= "Retain";
        retention["whenScaled"] ??= "Retain";
        PodSpecDefaults.ApplyToTemplate(spec);
    }

    private static void Job(JsonObject spec)
    {
        if (spec["completions"] is null && spec["parallelism"] is null)
        {
            spec["completions"] = 1;
        }

        spec["parallelism"] ??= 1;
        spec["backoffLimit"] ??= spec["backoffLimitPerIndex"] is null ? 6 : int.MaxValue;
        spec["completionMode"] ??= "NonIndexed";
        spec["suspend"] ??= false;
        spec["podReplacementPolicy"] ??= spec["podFailurePolicy"] is null ? "TerminatingOrFailed" : "Failed";
        PodSpecDefaults.ApplyToTemplate(spec);
    }

    private static void CronJob(JsonObject spec)
    {
        spec["concurrencyPolicy"] ??= "Allow";
        spec["suspend"] ??= false;
        spec["successfulJobsHistoryLimit"] ??= 3;
        spec["failedJobsHistoryLimit"] ??= 1;
        var jobTemplate = Json.Child(Json.Child(spec, "jobTemplate"), "spec");
        PodSpecDefaults.ApplyToTemplate(jobTemplate);
    }

    private static void Secret(JsonObject obj)
    {
        obj["type"] ??= "Opaque";
        if (obj["stringData"] is JsonObject stringData)
        {
            var data = Json.Child(obj, "data");
            foreach (var (key, value) in stringData)
            {
                data[key] = Convert.ToBase64String(Encoding.UTF8.GetBytes(value?.GetValue<string>() ?? ""));
            }

            obj.Remove("stringData");
        }
    }
}
