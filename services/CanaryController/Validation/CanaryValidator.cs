using System.Text.RegularExpressions;
using LabNet.Canary;
using LabNet.CanaryController.Mesh;
using LabNet.CanaryController.Resources;

namespace LabNet.CanaryController.Validation;

/// <summary>
/// Checks a Canary's spec and the Istio objects it names. Each problem names the field and the fix; an invalid Canary
/// is reported in status and never touches traffic. Checks that the CRD schema already enforces are repeated here,
/// because a controller must not trust that the schema it expects is the one installed.
/// </summary>
public static partial class CanaryValidator
{
    public static IReadOnlyList<CanaryValidationError> Validate(CanarySpec spec, MeshSnapshot mesh)
    {
        var errors = new List<CanaryValidationError>();
        ValidateTarget(spec, errors);
        ValidateSteps(spec.Traffic, errors);
        ValidateAnalysis(spec, errors);
        if (errors.Count == 0)
        {
            // References are only worth checking once the names themselves are sound.
            ValidateReferences(spec, mesh, errors);
        }

        return errors;
    }

    private static void ValidateTarget(CanarySpec spec, List<CanaryValidationError> errors)
    {
        var target = spec.Target;
        Name("spec.target.namespace", target.Namespace);
        Name("spec.target.service", target.Service);
        Name("spec.target.virtualService", target.VirtualService);
        Name("spec.target.destinationRule", target.DestinationRule);
        Name("spec.target.stableSubset", target.StableSubset);
        Name("spec.target.canarySubset", target.CanarySubset);
        if (target.StableSubset == target.CanarySubset)
        {
            errors.Add(new("spec.target.canarySubset", "SameSubset",
                $"stable and canary are both subset '{target.CanarySubset}'; name two different DestinationRule subsets (e.g. stableSubset v1, canarySubset v2)."));
        }

        if (spec.HeaderProbe.Enabled && string.IsNullOrWhiteSpace(spec.HeaderProbe.HeaderName))
        {
            errors.Add(new("spec.headerProbe.headerName", "MissingHeader", "is empty; set the header the probe route matches (e.g. x-canary) or set headerProbe.enabled to false."));
        }

        void Name(string field, string value)
        {
            if (string.IsNullOrEmpty(value) || value.Length > 63 || !Dns1123Label().IsMatch(value))
            {
                errors.Add(new(field, "InvalidName",
                    $"'{value}' is not a valid Kubernetes name; use lower-case letters, digits and '-', starting and ending with a letter or digit, at most 63 characters."));
            }
        }
    }

    private static void ValidateSteps(TrafficStepsSpec traffic, List<CanaryValidationError> errors)
    {
        var hasSteps = traffic.Steps is { Count: > 0 };
        var hasSize = traffic.StepSize is not null || traffic.MaxWeight is not null;
        if (hasSteps && hasSize)
        {
            errors.Add(new("spec.traffic", "AmbiguousSteps", "sets both steps and stepSize/maxWeight; keep one of them."));
            return;
        }

        if (hasSteps)
        {
            var steps = traffic.Steps!;
            for (var i = 0; i < steps.Count; i++)
            {
                if (steps[i] is < 1 or > 100)
                {
                    errors.Add(new($"spec.traffic.steps[{i}]", "StepOutOfRange",
                        $"{steps[i]} is {(steps[i] > 100 ? "over 100" : "below 1")}; steps are canary weights in percent, from 1 to 100."));
                }
                else if (i > 0 && steps[i] <= steps[i - 1])
                {
                    errors.Add(new($"spec.traffic.steps[{i}]", "StepsNotIncreasing",
                        $"{steps[i]} does not increase on steps[{i - 1}] = {steps[i - 1]}; list the canary weights in increasing order (e.g. 20, 50, 80, 100)."));
                }
            }

            if (steps.All(step => step >= 100))
            {
                errors.Add(new("spec.traffic.steps", "NoWeightedStep", "has no weight below 100; add at least one step (e.g. 20) so the canary is analysed on part of the traffic before promotion."));
            }

            return;
        }

        var size = traffic.StepSize ?? 20;
        var max = traffic.MaxWeight ?? 100;
        if (size is < 1 or > 100)
        {
            errors.Add(new("spec.traffic.stepSize", "StepOutOfRange", $"{size} must be from 1 to 100 (percent of traffic added per step)."));
        }

        if (max is < 1 or > 100)
        {
            errors.Add(new("spec.traffic.maxWeight", "StepOutOfRange", $"{max} must be from 1 to 100 (the last canary weight before promotion)."));
        }
        else if (max < size)
        {
            errors.Add(new("spec.traffic.maxWeight", "StepsNotIncreasing", $"{max} is below stepSize {size}; raise maxWeight or lower stepSize."));
        }
        else if (size >= 100)
        {
            errors.Add(new("spec.traffic.stepSize", "NoWeightedStep", $"{size} leaves no weight below 100; use a smaller stepSize so the canary is analysed on part of the traffic before promotion."));
        }
    }

    private static void ValidateAnalysis(CanarySpec spec, List<CanaryValidationError> errors)
    {
        Check(spec.Traffic.SplitTolerancePercent is > 0 and <= 50, "spec.traffic.splitTolerancePercent", $"{spec.Traffic.SplitTolerancePercent} must be above 0 and at most 50 (percentage points).");
        Check(spec.Analysis.Interval >= TimeSpan.FromSeconds(1), "spec.analysis.interval", $"{spec.Analysis.Interval} must be at least 1s.");
        Check(spec.Analysis.Window >= spec.Analysis.Interval, "spec.analysis.window", $"{spec.Analysis.Window} must be at least the interval ({spec.Analysis.Interval}).");
        Check(spec.Analysis.MinRequestsPerStep >= 1, "spec.analysis.minRequestsPerStep", $"{spec.Analysis.MinRequestsPerStep} must be at least 1.");
        Check(!spec.HeaderProbe.Enabled || spec.HeaderProbe.MinRequests >= 1, "spec.headerProbe.minRequests", $"{spec.HeaderProbe.MinRequests} must be at least 1 while the header probe is enabled.");
        Check(spec.Guards.MinSuccessRatePercent is > 0 and < 100, "spec.guards.minSuccessRatePercent", $"{spec.Guards.MinSuccessRatePercent} must be above 0 and below 100 (e.g. 99).");
        Check(spec.Guards.MaxP99LatencyMs > 0, "spec.guards.maxP99LatencyMs", $"{spec.Guards.MaxP99LatencyMs} must be above 0 milliseconds.");
        Check(spec.Guards.MaxP99Ratio >= 1, "spec.guards.maxP99Ratio", $"{spec.Guards.MaxP99Ratio} must be at least 1 (canary p99 / stable p99).");
        Check(spec.Guards.MinLatencySamples >= 100, "spec.guards.minLatencySamples", $"{spec.Guards.MinLatencySamples} must be at least 100, or a p99 is a single request.");
        Check(spec.Test.Alpha is > 0 and <= 0.2, "spec.test.alpha", $"{spec.Test.Alpha} must be above 0 and at most 0.2 (false-rollback probability, e.g. 0.01).");
        Check(spec.Test.Beta is > 0 and <= 0.5, "spec.test.beta", $"{spec.Test.Beta} must be above 0 and at most 0.5 (1 - power, e.g. 0.2).");
        Check(spec.Test.MinimumDetectableEffectPercent is > 0 and <= 50, "spec.test.minimumDetectableEffectPercent", $"{spec.Test.MinimumDetectableEffectPercent} must be above 0 and at most 50 (percentage points of error rate).");
        Check(spec.Deadline.NotEnoughData > TimeSpan.Zero, "spec.deadline.notEnoughData", $"{spec.Deadline.NotEnoughData} must be positive.");
        Check(spec.Deadline.MetricsUnavailable > TimeSpan.Zero, "spec.deadline.metricsUnavailable", $"{spec.Deadline.MetricsUnavailable} must be positive.");

        void Check(bool ok, string field, string message)
        {
            if (!ok)
            {
                errors.Add(new(field, "OutOfRange", message));
            }
        }
    }

    private static void ValidateReferences(CanarySpec spec, MeshSnapshot mesh, List<CanaryValidationError> errors)
    {
        var target = spec.Target;
        var ns = target.Namespace;

        var rule = mesh.FindDestinationRule(ns, target.DestinationRule);
        if (rule is null)
        {
            errors.Add(new("spec.target.destinationRule", "DestinationRuleNotFound",
                $"DestinationRule {ns}/{target.DestinationRule} does not exist; create it or use an existing one{Existing(mesh.DestinationRules.Where(d => d.Namespace == ns).Select(d => d.Name), "destinationrules", ns)}."));
        }
        else
        {
            if (!ServiceHost.Matches(rule.Host, target.Service, ns))
            {
                errors.Add(new("spec.target.destinationRule", "DestinationRuleHostMismatch",
                    $"DestinationRule {ns}/{rule.Name} is for host '{rule.Host}', not service '{target.Service}'; name the rule whose host is {target.Service}."));
            }

            Subset("spec.target.stableSubset", target.StableSubset);
            Subset("spec.target.canarySubset", target.CanarySubset);
        }

        var virtualService = mesh.FindVirtualService(ns, target.VirtualService);
        if (virtualService is null)
        {
            errors.Add(new("spec.target.virtualService", "VirtualServiceNotFound",
                $"VirtualService {ns}/{target.VirtualService} does not exist; create it or use an existing one{Existing(mesh.VirtualServices.Where(v => v.Namespace == ns).Select(v => v.Name), "virtualservices", ns)}."));
            return;
        }

        if (errors.Any(e => e.Reason == "UnknownSubset"))
        {
            // The routes would only repeat the unknown subset; fix that first.
            return;
        }

        if (virtualService.FindWeightedRoute(target.Service, ns, target.StableSubset, target.CanarySubset) is null)
        {
            errors.Add(new("spec.target.virtualService", "WeightedRouteNotFound",
                $"VirtualService {ns}/{virtualService.Name} has no http route without a match that sends {target.Service} to both subsets '{target.StableSubset}' and '{target.CanarySubset}'; "
                + "add one (it is the route whose weights the controller sets)."));
        }

        if (spec.HeaderProbe.Enabled)
        {
            var headerRoute = virtualService.FindHeaderRoute(spec.HeaderProbe.HeaderName, spec.HeaderProbe.HeaderValue);
            if (headerRoute is null || headerRoute.WeightOf(target.CanarySubset) != 100)
            {
                errors.Add(new("spec.headerProbe", "HeaderRouteNotFound",
                    $"VirtualService {ns}/{virtualService.Name} has no route matching header {spec.HeaderProbe.HeaderName}: \"{spec.HeaderProbe.HeaderValue}\" (exact) that sends all its traffic to subset '{target.CanarySubset}'; "
                    + "add that route above the weighted one, or set headerProbe.enabled to false."));
            }
        }

        void Subset(string field, string subset)
        {
            if (!rule.Subsets.Contains(subset))
            {
                errors.Add(new(field, "UnknownSubset",
                    $"subset '{subset}' is not defined in DestinationRule {ns}/{rule.Name} (subsets: {string.Join(", ", rule.Subsets)}); add it there or use one of those."));
            }
        }
    }

    /// <summary>
    /// The snapshot may hold only the objects the Canary names (that is how the controller reads it), so an empty list
    /// does not mean the namespace has none: point to where they are listed instead of claiming there are none.
    /// </summary>
    private static string Existing(IEnumerable<string> names, string resource, string @namespace)
    {
        var list = names.ToList();
        return list.Count == 0 ? $" (kubectl get {resource} -n {@namespace} lists them)" : $" (existing: {string.Join(", ", list)})";
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Dns1123Label();
}
