using System.Globalization;
using System.Text.Json.Nodes;
using LabNet.Simulator.Kubernetes.Quantities;

namespace LabNet.Simulator.Kubernetes;

/// <summary>
/// kube-controller-manager's horizontal-pod-autoscaler controller (autoscaling/v2, Resource metrics) for one cluster,
/// with the real algorithm: utilization = total usage / total requests of the ready pods with metrics; desired =
/// ceil(ready pods x utilization / target) unless within the 0.1 tolerance; missing and unready pods handled as the
/// controller does; then the behavior's stabilization windows and scaling policies, and min/max. Its status,
/// conditions and events are the real ones, so <c>kubectl get hpa</c> and <c>kubectl describe hpa</c> read the same.
/// </summary>
public sealed class HorizontalPodAutoscalerController(ClusterApi cluster, IPodMetricsSource metrics)
{
    public const double Tolerance = 0.1;
    private const string Component = "horizontal-pod-autoscaler";
    private static readonly TimeSpan CpuInitializationPeriod = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan DelayOfInitialReadinessStatus = TimeSpan.FromSeconds(30);

    private readonly Dictionary<string, ScalingHistory> _history = new(StringComparer.Ordinal);

    public void Sync(DateTimeOffset now)
    {
        var type = cluster.Catalog.FindByKind("autoscaling/v2", "HorizontalPodAutoscaler");
        if (type is null)
        {
            return;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var hpa in cluster.Store.List(type.StorageKey, null).Items)
        {
            var key = $"{ObjectFacts.Namespace(hpa)}/{ObjectFacts.Name(hpa)}";
            seen.Add(key);
            if (!_history.TryGetValue(key, out var history))
            {
                _history[key] = history = new ScalingHistory();
            }

            Reconcile(type, hpa, history, now);
        }

        foreach (var gone in _history.Keys.Where(k => !seen.Contains(k)).ToList())
        {
            _history.Remove(gone);
        }
    }

    private void Reconcile(ResourceType hpaType, JsonObject hpa, ScalingHistory history, DateTimeOffset now)
    {
        var ns = ObjectFacts.Namespace(hpa)!;
        var spec = hpa["spec"] as JsonObject ?? new JsonObject();
        var conditions = new List<JsonObject>();
        var reference = spec["scaleTargetRef"];
        var targetKind = reference?["kind"]?.GetValue<string>() ?? "";
        var targetName = reference?["name"]?.GetValue<string>() ?? "";
        var targetType = cluster.Catalog.FindByKind(reference?["apiVersion"]?.GetValue<string>() ?? "", targetKind);
        var target = targetType is { HasScaleSubresource: true } ? cluster.Store.Get(targetType.StorageKey, ns, targetName) : null;
        if (target is null)
        {
            var resource = targetType is null ? targetKind.ToLowerInvariant() + "s" : targetType.QualifiedName;
            var message = $"the HPA controller was unable to get the target's current scale: {resource}/scale \"{targetName}\" not found";
            cluster.Events.Warning(hpa, "FailedGetScale", message, Component);
            conditions.Add(Condition(hpa, "AbleToScale", "False", "FailedGetScale", message, now));
            WriteStatus(hpaType, hpa, ObjectFacts.Int(hpa["status"]?["currentReplicas"]), ObjectFacts.Int(hpa["status"]?["desiredReplicas"]), [], conditions, null);
            return;
        }

        var current = ObjectFacts.Int(target["spec"]?["replicas"], 1);
        var min = ObjectFacts.Int(spec["minReplicas"], 1);
        var max = ObjectFacts.Int(spec["maxReplicas"], 1);
        var selector = LabelSelector.FromJson(target["spec"]?["selector"]);
        var metricSpecs = (spec["metrics"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        var statuses = new JsonArray();
        int desired;
        string? rescaleReason = null;
        if (current == 0 && min != 0)
        {
            desired = 0;
            conditions.Add(Condition(hpa, "ScalingActive", "False", "ScalingDisabled", "scaling is disabled since the replica count of the target is zero", now));
        }
        else if (current > max)
        {
            rescaleReason = "Current number of replicas above Spec.MaxReplicas";
            desired = max;
        }
        else if (current < min)
        {
            rescaleReason = "Current number of replicas below Spec.MinReplicas";
            desired = min;
        }
        else
        {
            var (proposal, metricName, error) = FromMetrics(hpa, metricSpecs, ns, selector, current, statuses, now);
            if (error is not null)
            {
                conditions.Add(Condition(hpa, "AbleToScale", "True", "SucceededGetScale", "the HPA controller was able to get the target's current scale", now));
                conditions.Add(Condition(hpa, "ScalingActive", "False", error.Value.Reason, error.Value.Message, now));
                WriteStatus(hpaType, hpa, current, current, statuses, conditions, null);
                return;
            }

            conditions.Add(Condition(hpa, "ScalingActive", "True", "ValidMetricFound",
                $"the HPA was able to successfully calculate a replica count from {metricName}", now));
            desired = Normalize(hpa, spec, history, current, proposal, min, max, conditions, now);
            rescaleReason = desired > current ? $"{metricName} above target" : "All metrics below target";
        }

        string? lastScaleTime = null;
        if (desired != current)
        {
            cluster.Mutate(targetType!, ns, targetName, obj =>
            {
                ((JsonObject)obj["spec"]!)["replicas"] = desired;
                return true;
            });
            var events = desired > current ? history.ScaleUps : history.ScaleDowns;
            events.Add((now, Math.Abs(desired - current)));
            lastScaleTime = Timestamp(now);
            cluster.Events.Normal(hpa, "SuccessfulRescale", $"New size: {desired}; reason: {rescaleReason}", Component);
            conditions.Insert(0, Condition(hpa, "AbleToScale", "True", "SucceededRescale", $"the HPA controller was able to update the target scale to {desired}", now));
        }

        WriteStatus(hpaType, hpa, current, desired, statuses, conditions, lastScaleTime);
    }

    /// <summary>The largest proposal over the metrics, or the first error (the controller's computeReplicasForMetrics).</summary>
    private (int Proposal, string MetricName, (string Reason, string Message)? Error) FromMetrics(JsonObject hpa, List<JsonObject> metricSpecs, string ns,
        LabelSelector selector, int current, JsonArray statuses, DateTimeOffset now)
    {
        var proposal = 0;
        var metricName = "";
        (string Reason, string Message)? error = null;
        foreach (var metric in metricSpecs)
        {
            if (metric["type"]?.GetValue<string>() != "Resource" || metric["resource"] is not JsonObject resource)
            {
                statuses.Add(new JsonObject { ["type"] = "" });
                error ??= ("FailedGetResourceMetric", $"the HPA was unable to compute the replica count: unsupported metric source type \"{metric["type"]}\"");
                continue;
            }

            var name = resource["name"]?.GetValue<string>() ?? "cpu";
            var (replicas, status, failure) = ResourceReplicas(hpa, resource, name, ns, selector, current, now);
            if (failure is not null)
            {
                statuses.Add(new JsonObject { ["type"] = "" });
                if (ObjectFacts.Condition(hpa, "ScalingActive")?["message"]?.GetValue<string>()?.EndsWith(failure, StringComparison.Ordinal) != true)
                {
                    // Recorded when the failure starts or changes, not at every sync (the real recorder counts repeats).
                    cluster.Events.Warning(hpa, "FailedGetResourceMetric", failure, Component);
                    cluster.Events.Warning(hpa, "FailedComputeMetricsReplicas", $"invalid metrics ({metricSpecs.Count} invalid out of {metricSpecs.Count}), first error is: {failure}", Component);
                }

                error ??= ("FailedGetResourceMetric", $"the HPA was unable to compute the replica count: {failure}");
                continue;
            }

            statuses.Add(status);
            if (replicas > proposal)
            {
                proposal = replicas;
                metricName = resource["target"]?["type"]?.GetValue<string>() == "Utilization"
                    ? $"{name} resource utilization (percentage of request)"
                    : $"{name} resource";
            }
        }

        // Any invalid metric stops scaling when none is valid; with some valid, the controller still scales on them.
        return proposal == 0 && error is not null ? (0, "", error) : (proposal, metricName, null);
    }

    private (int Replicas, JsonObject Status, string? Error) ResourceReplicas(JsonObject hpa, JsonObject resource, string name, string ns,
        LabelSelector selector, int current, DateTimeOffset now)
    {
        var (podMetrics, fetchError) = metrics.GetPodMetrics(cluster, ns, selector, name);
        if (podMetrics is null)
        {
            return (0, new JsonObject(), $"failed to get {name} utilization: unable to get metrics for resource {name}: unable to fetch metrics from resource metrics API: {fetchError}");
        }

        var pods = cluster.Store.List("pods.", ns, p => selector.MatchesObject(p)).Items;
        if (pods.Count == 0)
        {
            return (0, new JsonObject(), $"failed to get {name} utilization: no pods returned by selector while calculating replica count");
        }

        var values = podMetrics.ToDictionary(m => m.Key, m => m.Value.MilliValue, StringComparer.Ordinal);
        var (ready, unready, missing, ignored) = GroupPods(pods, podMetrics, name, now);
        foreach (var pod in ignored.Concat(unready))
        {
            values.Remove(pod);
        }

        if (values.Count == 0)
        {
            return (0, new JsonObject(), $"failed to get {name} utilization: did not receive metrics for targeted pods (pods might be unready)");
        }

        var requests = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var pod in pods)
        {
            long total = 0;
            foreach (var container in (pod["spec"]?["containers"] as JsonArray ?? []).OfType<JsonObject>())
            {
                if (container["resources"]?["requests"]?[name]?.ToString() is not { } request || !Quantity.TryParse(request, out var quantity))
                {
                    return (0, new JsonObject(), $"failed to get {name} utilization: missing request for {name} in container {container["name"]} of Pod {ObjectFacts.Name(pod)}");
                }

                total += quantity.MilliValue;
            }

            requests[ObjectFacts.Name(pod)] = total;
        }

        var target = resource["target"] as JsonObject ?? new JsonObject();
        if (target["type"]?.GetValue<string>() != "Utilization")
        {
            // AverageValue: the usage per pod against the target quantity.
            var targetValue = Quantity.TryParse(target["averageValue"]?.ToString(), out var q) ? q.MilliValue : 1;
            var totalUsage = values.Values.Sum();
            var perPod = totalUsage / values.Count;
            var ratio = (double)totalUsage / (targetValue * values.Count);
            var proposal = Math.Abs(1 - ratio) <= Tolerance ? current : (int)Math.Ceiling(totalUsage / (double)targetValue);
            return (proposal, MetricStatus(name, perPod, null), null);
        }

        var targetUtilization = ObjectFacts.Int(target["averageUtilization"], AutoscalerDefaults.DefaultCpuUtilization);
        var (usageRatio, utilization, rawPerPod) = UtilizationRatio(values, requests, targetUtilization);
        if (requests.Count == 0 || usageRatio is null)
        {
            return (0, new JsonObject(), $"failed to get {name} utilization: no metrics returned matched known pods");
        }

        var status = MetricStatus(name, rawPerPod, utilization);
        var scaleUpWithUnready = unready.Count > 0 && usageRatio > 1.0;
        if (!scaleUpWithUnready && missing.Count == 0)
        {
            return (Math.Abs(1.0 - usageRatio.Value) <= Tolerance ? current : (int)Math.Ceiling(usageRatio.Value * ready), status, null);
        }

        if (missing.Count > 0)
        {
            foreach (var pod in missing)
            {
                values[pod] = usageRatio < 1.0 ? requests.GetValueOrDefault(pod) * Math.Max(100, targetUtilization) / 100 : 0;
            }
        }

        if (scaleUpWithUnready)
        {
            foreach (var pod in unready)
            {
                values[pod] = 0;
            }
        }

        var (newRatio, _, _) = UtilizationRatio(values, requests, targetUtilization);
        if (newRatio is null || Math.Abs(1.0 - newRatio.Value) <= Tolerance || (usageRatio < 1.0 && newRatio > 1.0) || (usageRatio > 1.0 && newRatio < 1.0))
        {
            return (current, status, null);
        }

        var replicas = (int)Math.Ceiling(newRatio.Value * values.Count);
        return (newRatio < 1.0 && replicas > current) || (newRatio > 1.0 && replicas < current) ? (current, status, null) : (replicas, status, null);
    }

    private static (double? Ratio, int Utilization, long RawPerPod) UtilizationRatio(Dictionary<string, long> values, Dictionary<string, long> requests, int target)
    {
        long usage = 0, requested = 0;
        var entities = 0;
        foreach (var (pod, value) in values)
        {
            if (requests.TryGetValue(pod, out var request))
            {
                usage += value;
                requested += request;
                entities++;
            }
        }

        if (requested == 0)
        {
            return (null, 0, 0);
        }

        var utilization = (int)(usage * 100 / requested);
        return ((double)utilization / target, utilization, usage / entities);
    }

    private static (int Ready, HashSet<string> Unready, HashSet<string> Missing, HashSet<string> Ignored) GroupPods(
        List<JsonObject> pods, IReadOnlyDictionary<string, PodMetric> metrics, string resource, DateTimeOffset now)
    {
        var ready = 0;
        HashSet<string> unready = new(StringComparer.Ordinal), missing = new(StringComparer.Ordinal), ignored = new(StringComparer.Ordinal);
        foreach (var pod in pods)
        {
            var name = ObjectFacts.Name(pod);
            var phase = pod["status"]?["phase"]?.GetValue<string>();
            if (pod["metadata"]?["deletionTimestamp"] is not null || phase == "Failed")
            {
                ignored.Add(name);
                continue;
            }

            if (phase == "Pending")
            {
                unready.Add(name);
                continue;
            }

            if (!metrics.TryGetValue(name, out var metric))
            {
                missing.Add(name);
                continue;
            }

            if (resource == "cpu")
            {
                var condition = ObjectFacts.Condition(pod, "Ready");
                var started = Time(pod["status"]?["startTime"]);
                bool isUnready;
                if (condition is null || started is null)
                {
                    isUnready = true;
                }
                else
                {
                    var transition = Time(condition["lastTransitionTime"]) ?? started.Value;
                    var status = condition["status"]?.GetValue<string>();
                    isUnready = started.Value + CpuInitializationPeriod > now
                        ? status == "False" || metric.Timestamp < transition + metric.Window
                        : status == "False" && started.Value + DelayOfInitialReadinessStatus > transition;
                }

                if (isUnready)
                {
                    unready.Add(name);
                    continue;
                }
            }

            ready++;
        }

        return (ready, unready, missing, ignored);
    }

    /// <summary>The behavior's stabilization windows, then its scaling policies and min/max (normalizeDesiredReplicasWithBehaviors).</summary>
    private static int Normalize(JsonObject hpa, JsonObject spec, ScalingHistory history, int current, int proposal, int min, int max, List<JsonObject> conditions,
        DateTimeOffset now)
    {
        var up = spec["behavior"]?["scaleUp"] as JsonObject ?? AutoscalerDefaults.ScaleUp();
        var down = spec["behavior"]?["scaleDown"] as JsonObject ?? AutoscalerDefaults.ScaleDown();
        var upCutoff = now - TimeSpan.FromSeconds(ObjectFacts.Int(up["stabilizationWindowSeconds"]));
        var downCutoff = now - TimeSpan.FromSeconds(ObjectFacts.Int(down["stabilizationWindowSeconds"], 300));
        int upRecommendation = proposal, downRecommendation = proposal;
        var oldSample = -1;
        for (var i = 0; i < history.Recommendations.Count; i++)
        {
            var (at, replicas) = history.Recommendations[i];
            if (at > upCutoff)
            {
                upRecommendation = Math.Min(replicas, upRecommendation);
            }

            if (at > downCutoff)
            {
                downRecommendation = Math.Max(replicas, downRecommendation);
            }

            if (at < upCutoff && at < downCutoff)
            {
                oldSample = i;
            }
        }

        var stabilized = Math.Min(Math.Max(current, upRecommendation), downRecommendation);
        if (oldSample >= 0)
        {
            history.Recommendations[oldSample] = (now, proposal);
        }
        else
        {
            history.Recommendations.Add((now, proposal));
        }

        conditions.Insert(0, stabilized != proposal
            ? proposal >= current
                ? Condition(hpa, "AbleToScale", "True", "ScaleUpStabilized", "recent recommendations were lower than current one, applying the lowest recent recommendation", now)
                : Condition(hpa, "AbleToScale", "True", "ScaleDownStabilized", "recent recommendations were higher than current one, applying the highest recent recommendation", now)
            : Condition(hpa, "AbleToScale", "True", "ReadyForNewScale", "recommended size matches current size", now));

        var (desired, reason, message) = RateLimited(history, current, stabilized, min, max, up, down, now);
        conditions.Add(Condition(hpa, "ScalingLimited", desired == stabilized ? "False" : "True", reason, message, now));
        return desired;
    }

    private static (int Desired, string Reason, string Message) RateLimited(ScalingHistory history, int current, int desired, int min, int max,
        JsonObject up, JsonObject down, DateTimeOffset now)
    {
        if (desired > current)
        {
            var limit = Math.Max(current, ScaleUpLimit(history, current, up, now));
            var (allowed, reason, message) = max > limit
                ? (limit, "ScaleUpLimit", "the desired replica count is increasing faster than the maximum scale rate")
                : (max, "TooManyReplicas", "the desired replica count is more than the maximum replica count");
            if (desired > allowed)
            {
                return (allowed, reason, message);
            }
        }
        else if (desired < current)
        {
            var limit = Math.Min(current, ScaleDownLimit(history, current, down, now));
            var (allowed, reason, message) = min < limit
                ? (limit, "ScaleDownLimit", "the desired replica count is decreasing faster than the maximum scale rate")
                : (min, "TooFewReplicas", "the desired replica count is less than the minimum replica count");
            if (desired < allowed)
            {
                return (allowed, reason, message);
            }
        }

        return (desired, "DesiredWithinRange", "the desired count is within the acceptable range");
    }

    private static int ScaleUpLimit(ScalingHistory history, int current, JsonObject rules, DateTimeOffset now)
    {
        var select = rules["selectPolicy"]?.GetValue<string>() ?? "Max";
        if (select == "Disabled")
        {
            return current;
        }

        var result = select == "Min" ? int.MaxValue : int.MinValue;
        foreach (var policy in (rules["policies"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var period = ObjectFacts.Int(policy["periodSeconds"], 15);
            var start = current - ScalingHistory.ChangeInPeriod(history.ScaleUps, now, period) + ScalingHistory.ChangeInPeriod(history.ScaleDowns, now, period);
            var value = ObjectFacts.Int(policy["value"]);
            var proposed = policy["type"]?.GetValue<string>() == "Pods" ? start + value : (int)Math.Ceiling(start * (1 + value / 100.0));
            result = select == "Min" ? Math.Min(result, proposed) : Math.Max(result, proposed);
        }

        return result;
    }

    private static int ScaleDownLimit(ScalingHistory history, int current, JsonObject rules, DateTimeOffset now)
    {
        var select = rules["selectPolicy"]?.GetValue<string>() ?? "Max";
        if (select == "Disabled")
        {
            return current;
        }

        var result = select == "Min" ? int.MinValue : int.MaxValue;
        foreach (var policy in (rules["policies"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var period = ObjectFacts.Int(policy["periodSeconds"], 15);
            var start = current - ScalingHistory.ChangeInPeriod(history.ScaleUps, now, period) + ScalingHistory.ChangeInPeriod(history.ScaleDowns, now, period);
            var value = ObjectFacts.Int(policy["value"]);
            var proposed = policy["type"]?.GetValue<string>() == "Pods" ? start - value : (int)(start * (1 - value / 100.0));
            result = select == "Min" ? Math.Max(result, proposed) : Math.Min(result, proposed);
        }

        return result;
    }

    private static JsonObject MetricStatus(string name, long averageMilli, int? utilization)
    {
        var current = new JsonObject();
        if (utilization is not null)
        {
            current["averageUtilization"] = utilization.Value;
        }

        current["averageValue"] = Quantity.FromMilli(averageMilli).ToString();
        return new JsonObject
        {
            ["type"] = "Resource",
            ["resource"] = new JsonObject { ["name"] = name, ["current"] = current },
        };
    }

    /// <summary>A condition, keeping its transition time while its status does not change.</summary>
    private static JsonObject Condition(JsonObject hpa, string type, string status, string reason, string message, DateTimeOffset now)
    {
        var previous = (hpa["status"]?["conditions"] as JsonArray ?? []).OfType<JsonObject>().FirstOrDefault(c => c["type"]?.GetValue<string>() == type);
        var since = previous?["status"]?.GetValue<string>() == status ? previous["lastTransitionTime"]?.GetValue<string>() : null;
        return new JsonObject
        {
            ["type"] = type,
            ["status"] = status,
            ["lastTransitionTime"] = since ?? Timestamp(now),
            ["reason"] = reason,
            ["message"] = message,
        };
    }

    private void WriteStatus(ResourceType type, JsonObject hpa, int current, int desired, JsonArray metricStatuses, List<JsonObject> conditions, string? lastScaleTime)
    {
        cluster.Mutate(type, ObjectFacts.Namespace(hpa), ObjectFacts.Name(hpa), obj =>
        {
            var old = obj["status"] as JsonObject;
            var status = new JsonObject();
            if (metricStatuses.Count > 0)
            {
                status["currentMetrics"] = metricStatuses.DeepClone();
            }

            status["currentReplicas"] = current;
            status["desiredReplicas"] = desired;
            if ((lastScaleTime ?? old?["lastScaleTime"]?.GetValue<string>()) is { } scaled)
            {
                status["lastScaleTime"] = scaled;
            }

            // One condition per type, the last one computed wins (as setCondition does).
            status["conditions"] = new JsonArray([.. conditions.GroupBy(c => c["type"]!.GetValue<string>()).Select(g => (JsonNode)g.First().DeepClone())]);
            if (JsonNode.DeepEquals(old, status))
            {
                return false;
            }

            obj["status"] = status;
            return true;
        });
    }

    private static DateTimeOffset? Time(JsonNode? node) =>
        node?.GetValue<string>() is { } text && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : null;

    private static string Timestamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
