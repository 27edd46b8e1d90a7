using System.Globalization;
using LabNet.Canary;
using LabNet.CanaryController.Analysis;
using LabNet.CanaryController.Resources;
using LabNet.CanaryController.Validation;

namespace LabNet.CanaryController.Rollout;

/// <summary>
/// The Canary's decision core, a pure function of (spec, status, Istio objects, observation, command, time):
/// Initializing -> HeaderProbe -> Progressing (one step per weight) -> Promoted, or RollingBack -> RolledBack; Paused;
/// Failed (invalid references, deadlines). It never does I/O: it returns the new status and the actions to apply.
/// <para>
/// Everything it needs to continue lives in status, so a restarted controller resumes the same step; it only writes
/// weights on a transition, or to repair a VirtualService whose weights differ from status (which is also how a write
/// that did not take effect is retried).
/// </para>
/// </summary>
public sealed class CanaryStateMachine(TimeProvider timeProvider)
{
    public CanaryTickResult Tick(CanaryTickInput input)
    {
        var tick = new TickRun(input, timeProvider.GetUtcNow());
        return tick.Run();
    }

    /// <summary>One tick's working state; lives only for the call.</summary>
    private sealed class TickRun(CanaryTickInput input, DateTimeOffset now)
    {
        private readonly CanarySpec spec = input.Spec;
        private readonly List<CanaryAction> actions = [];
        private CanaryStatus status = input.Status with { ObservedGeneration = input.Generation };
        private CanaryDecision? decision;

        private CanaryTarget Target => spec.Target;

        public CanaryTickResult Run()
        {
            if (input.OutdatedStatus is { } outdated)
            {
                ForgetOutdatedStatus(outdated);
            }

            if (input.Command == CanaryCommand.RestartAnalysis)
            {
                status = new CanaryStatus { ObservedGeneration = input.Generation, Conditions = status.Conditions };
                Event(EventSeverity.Normal, DecisionReasons.AnalysisRestarted, "Analysis restarted by an operator; starting again from Initializing.");
            }

            if (WasInvalidAndIsFixed())
            {
                // An invalid Canary never touched traffic, so once fixed it starts exactly like a new one.
                status = new CanaryStatus { ObservedGeneration = input.Generation, Conditions = status.Conditions };
                Event(EventSeverity.Normal, DecisionReasons.Initialized, "The Canary is valid now; starting the rollout.");
            }

            if (!status.Phase.IsTerminal() && !IsValid())
            {
                return Result();
            }

            if (input.Command is { } command and not CanaryCommand.RestartAnalysis)
            {
                ApplyCommand(command);
                return Result();
            }

            switch (status.Phase)
            {
                case CanaryPhase.Initializing:
                    Initialize();
                    break;
                case CanaryPhase.HeaderProbe or CanaryPhase.Progressing or CanaryPhase.Paused:
                    Analyse();
                    break;
                case CanaryPhase.RollingBack:
                    ConfirmRollback();
                    break;
            }

            return Result();
        }

        private CanaryTickResult Result() =>
            new(status with { LastDecision = decision ?? status.LastDecision }, spec.DryRun ? [.. actions.Select(DryRun)] : actions, decision);

        /// <summary>In a dry run every change to the cluster becomes an event saying what would have been done.</summary>
        private static CanaryAction DryRun(CanaryAction action) => action switch
        {
            SetRouteWeights w => new EmitEvent(EventSeverity.Normal, DecisionReasons.DryRun, $"Dry run: would set VirtualService {w.Namespace}/{w.VirtualService} to {w.Weights}."),
            SetSubsetOutlierDetection o => new EmitEvent(EventSeverity.Normal, DecisionReasons.DryRun,
                $"Dry run: would set outlierDetection of subset {o.Subset} in DestinationRule {o.Namespace}/{o.DestinationRule} (consecutive5xxErrors {o.Settings.Consecutive5xxErrors}, interval {o.Settings.Interval.TotalSeconds}s, baseEjectionTime {o.Settings.BaseEjectionTime.TotalSeconds}s, maxEjectionPercent {o.Settings.MaxEjectionPercent})."),
            RestoreSubsetOutlierDetection r => new EmitEvent(EventSeverity.Normal, DecisionReasons.DryRun, $"Dry run: would restore the outlierDetection of subset {r.Subset} in DestinationRule {r.Namespace}/{r.DestinationRule}."),
            _ => action,
        };

        /// <summary>
        /// A status written before the latency histograms had their current shape: its evidence cannot be carried over,
        /// so a running analysis starts again (traffic first goes back to stable, as on any restart); a finished rollout
        /// only loses its histograms.
        /// </summary>
        private void ForgetOutdatedStatus(string outdated)
        {
            if (status.Phase.IsTerminal())
            {
                status = status with { StepCanaryLatency = null, StableLatencyReference = null };
                Event(EventSeverity.Normal, DecisionReasons.StatusOutdated, $"{outdated}; the rollout is {status.Phase}, so only the histograms were dropped.");
                return;
            }

            status = new CanaryStatus { ObservedGeneration = input.Generation, Conditions = status.Conditions };
            Event(EventSeverity.Warning, DecisionReasons.StatusOutdated, $"{outdated}; its evidence cannot be carried over, so the analysis restarts from Initializing.");
        }

        private bool WasInvalidAndIsFixed() =>
            status.Phase == CanaryPhase.Failed
            && status.Conditions.Any(c => c.Type == CanaryConditionTypes.Valid && c.Status == ConditionStatus.False)
            && CanaryValidator.Validate(spec, input.Mesh).Count == 0;

        private bool IsValid()
        {
            var errors = CanaryValidator.Validate(spec, input.Mesh);
            if (errors.Count == 0)
            {
                SetCondition(CanaryConditionTypes.Valid, ConditionStatus.True, "Valid", "The spec and the VirtualService/DestinationRule it names are usable.");
                return true;
            }

            var message = string.Join("; ", errors);
            var reason = errors[0].Reason;
            var alreadyReported = status.Phase == CanaryPhase.Failed && status.LastDecision?.Reason == reason;
            status = status with { Phase = CanaryPhase.Failed };
            SetCondition(CanaryConditionTypes.Valid, ConditionStatus.False, reason, message);
            SetCondition(CanaryConditionTypes.Complete, ConditionStatus.True, reason, "Stopped: the Canary is invalid. Traffic was not changed.");
            Decide(DecisionOutcome.Reject, reason, $"Invalid Canary, traffic not changed: {message}", Evidence());
            if (!alreadyReported)
            {
                Event(EventSeverity.Warning, reason, message);
            }

            return false;
        }

        private void ApplyCommand(CanaryCommand command)
        {
            var phase = status.Phase;
            if (!command.AppliesIn(phase))
            {
                var applicable = CanaryCommandRules.ApplyingIn(phase).Select(CanaryCommandRules.WordOf);
                Decide(DecisionOutcome.Hold, DecisionReasons.CommandNotApplicable,
                    $"Command {CanaryCommandRules.WordOf(command)} does not apply in phase {phase} (what applies: {string.Join(", ", applicable)}); nothing changed.", Evidence());
                Event(EventSeverity.Warning, DecisionReasons.CommandNotApplicable, decision!.Message);
                return;
            }

            switch (command)
            {
                case CanaryCommand.Pause:
                    status = status with { Phase = CanaryPhase.Paused, PausedFrom = phase };
                    SetCondition(CanaryConditionTypes.Analysing, ConditionStatus.False, DecisionReasons.ManualPause, "Paused by an operator; a canary found worse is still rolled back.");
                    Transition(DecisionReasons.ManualPause, $"Paused at {Weights(status.CanaryWeight)}. Analysis continues; the ramp does not move until resumed.");
                    return;
                case CanaryCommand.Resume:
                    // The step's deadline counts from the resume: time spent paused was a person's choice, not missing data.
                    status = status with { Phase = status.PausedFrom ?? CanaryPhase.Progressing, PausedFrom = null, StepStartedAt = now, MetricsLastSeenAt = now };
                    SetCondition(CanaryConditionTypes.Analysing, ConditionStatus.True, DecisionReasons.ManualResume, "Resumed by an operator.");
                    Transition(DecisionReasons.ManualResume, $"Resumed at {Weights(status.CanaryWeight)}.");
                    return;
                case CanaryCommand.PromoteNow:
                    Promote(DecisionReasons.ManualPromotion, "Promoted by an operator, skipping the remaining steps.", Evidence());
                    return;
                case CanaryCommand.Abort:
                    RollBack(DecisionReasons.ManualAbort, "Aborted by an operator.", Evidence());
                    return;
            }
        }

        private void Initialize()
        {
            if (spec.Rollback.DuringAnalysis is { } tightened)
            {
                // Tighten before the canary sees any traffic.
                actions.Add(new SetSubsetOutlierDetection(Target.Namespace, Target.DestinationRule, Target.CanarySubset, tightened));
            }

            status = status with
            {
                AnalysisStartedAt = now,
                ObservedUntil = now,
                MetricsLastSeenAt = now,
                Counters = new AnalysisCounters(),
                AnalysisTests = SequentialTests.Fresh,
                StepTests = SequentialTests.Fresh,
                StepCanaryLatency = null,
                StableLatencyReference = null,
            };
            SetCondition(CanaryConditionTypes.Complete, ConditionStatus.False, DecisionReasons.Initialized, "Rollout in progress.");

            if (spec.HeaderProbe.Enabled)
            {
                EnterStep(CanaryPhase.HeaderProbe, -1, 0);
                Transition(DecisionReasons.Initialized,
                    $"Initialized: {Weights(0)}; only requests with {spec.HeaderProbe.HeaderName}: {spec.HeaderProbe.HeaderValue} reach {Target.CanarySubset} until {spec.HeaderProbe.MinRequests} of them pass.");
            }
            else
            {
                EnterStep(CanaryPhase.Progressing, 0, Ladder[0]);
                Transition(DecisionReasons.Initialized, $"Initialized without a header probe: {Weights(Ladder[0])}.");
            }
        }

        private void Analyse()
        {
            var drift = RepairWeightDrift();

            switch (input.Observation)
            {
                case null:
                    return;
                case MetricsUnavailable unavailable:
                    HoldForMetrics(unavailable);
                    return;
                case TrafficWindow window when window.Problem() is { } problem:
                    // Counts that cannot be true say the source is broken, not that the canary is: hold like "unavailable".
                    HoldForMetrics(new MetricsUnavailable($"the traffic summary is inconsistent: {problem}"));
                    return;
                case TrafficWindow window:
                    AnalyseWindow(window, drift);
                    return;
            }
        }

        private void AnalyseWindow(TrafficWindow window, bool drift)
        {
            var observedUntil = status.ObservedUntil ?? status.StepStartedAt ?? now;
            if (window.WindowEnd <= observedUntil || window.WindowStart < observedUntil - WindowSlack)
            {
                // Counting a request twice would break the tests' error guarantees.
                Hold(DecisionReasons.StaleWindow,
                    $"Ignored traffic window {Time(window.WindowStart)}..{Time(window.WindowEnd)}: it overlaps traffic already analysed up to {Time(observedUntil)}.",
                    Evidence(), analysing: false);
                return;
            }

            var countsForStep = !drift && window.WindowStart >= (status.WeightsWrittenAt ?? status.StepStartedAt ?? now) - WindowSlack;
            var result = CanaryAnalyzer.Analyse(spec, status, window, countsForStep);
            status = result.RecordedIn(status) with { ObservedUntil = window.WindowEnd, MetricsLastSeenAt = now };

            if (result.Regression is { } regression)
            {
                RollBack(regression.Reason, regression.Message, result.Evidence);
                return;
            }

            if (status.Phase == CanaryPhase.Paused)
            {
                Hold(DecisionReasons.ManualPause, $"Paused at {Weights(status.CanaryWeight)}; no regression found so far.", result.Evidence, analysing: false);
                return;
            }

            if (drift)
            {
                Hold(DecisionReasons.WeightDrift, $"The VirtualService did not carry {Weights(status.CanaryWeight)}; rewrote it and did not count this window towards the step.", result.Evidence, analysing: false);
                return;
            }

            DecideStep(result);
        }

        private void DecideStep(AnalysisResult result)
        {
            var evidence = result.Evidence;
            var counters = status.Counters;
            var inProbe = status.Phase == CanaryPhase.HeaderProbe;
            var isLastStep = !inProbe && status.StepIndex >= Ladder.Count - 1; // >= : the spec may have lost steps mid-rollout
            var stepNeed = inProbe ? spec.HeaderProbe.MinRequests : spec.Analysis.MinRequestsPerStep;

            // The sample for the requested power is collected in the first, least exposed step (see RequiredSampleSize).
            long? required = !inProbe && status.StepIndex == 0
                ? RequiredSampleSize.CanaryRequests(spec.Test.Alpha * CanaryAnalyzer.ErrorRateAlphaShare / CanaryAnalyzer.MonitoredProcesses(spec), spec.Test.Beta, spec.Test.MinimumDetectableEffectPercent / 100, counters.StableErrors, counters.StableRequests, Ladder[0] / 100.0)
                : null;
            // A weighted step needs the p99 guards to have judged (see LatencySamples); the header probe is a smoke test
            // before any weighted traffic, so it passes on its own minimum.
            var latency = result.LatencySamples;
            var latencyNeed = inProbe ? 0 : latency.Needed;
            var remaining = Math.Max(
                Math.Max(stepNeed - counters.StepCanaryRequests, latencyNeed - latency.Canary),
                required is { } r ? r - counters.CanaryRequests : 0);
            var stableShort = !inProbe && latency.Stable < latency.Needed;

            var stepSeconds = (now - (status.StepStartedAt ?? now)).TotalSeconds;
            var rate = stepSeconds > 0 ? counters.StepCanaryRequests / stepSeconds : 0;
            var stableRate = stepSeconds > 0 ? counters.StepStableRequests / stepSeconds : 0;
            var canaryEta = remaining <= 0 ? 0 : rate > 0 ? Math.Ceiling(remaining / rate) : (double?)null;
            var stableEta = !stableShort ? 0 : stableRate > 0 ? Math.Ceiling((latency.Needed - latency.Stable) / stableRate) : (double?)null;
            evidence = evidence with
            {
                RequiredCanaryRequests = required,
                ExpectedSecondsToDecision = canaryEta is { } c && stableEta is { } s ? Math.Max(c, s) : null,
            };

            if (remaining > 0 || stableShort)
            {
                // Name the counts that hold the decision first: the message lists every count, met or not.
                List<string> waitingFor = [];
                if (counters.StepCanaryRequests < stepNeed)
                {
                    waitingFor.Add("canary requests");
                }

                if (latency.Canary < latencyNeed)
                {
                    waitingFor.Add("canary latency samples");
                }

                if (stableShort)
                {
                    waitingFor.Add("stable latency samples");
                }

                if (required is { } power && counters.CanaryRequests < power)
                {
                    waitingFor.Add("requests for the error test's power");
                }

                var message = $"Not enough data at {Weights(status.CanaryWeight)}, waiting for {string.Join(" and ", waitingFor)}: {counters.StepCanaryRequests} of {stepNeed} canary requests this {(inProbe ? "header probe" : "step")}"
                    + (inProbe ? "" : $", {latency.Canary} of {latency.Needed} canary latency samples this step and {latency.Stable} of {latency.Needed} stable ones in the analysis for the p99 guards")
                    + (required is { } need ? $", {counters.CanaryRequests} of {need} in the analysis before the canary gets more traffic (power {1 - spec.Test.Beta:0.##} against +{spec.Test.MinimumDetectableEffectPercent} pp errors)" : "")
                    + (evidence.ExpectedSecondsToDecision is { } eta
                        ? $"; about {eta:0} s to a decision at the current {rate:0.##} canary req/s."
                        : rate > 0 ? $"; stable has no traffic in this step, so no decision will come at the current rate." : "; no canary traffic in this step, so no decision will come at the current rate.");
                var deadline = (status.StepStartedAt ?? now) + spec.Deadline.NotEnoughData;
                if (evidence.ExpectedSecondsToDecision is not { } expected || expected > (deadline - now).TotalSeconds)
                {
                    message += $" That is past the deadline: send more traffic, or raise deadline.notEnoughData{(required is null ? "" : " or test.minimumDetectableEffectPercent")}.";
                }

                HoldOrFailSafe(DecisionReasons.NotEnoughData, message, evidence);
                return;
            }

            if (result.LeaningWorse is { } leaningWorse)
            {
                HoldOrFailSafe(DecisionReasons.EvidenceLeansWorse,
                    $"Holding at {Weights(status.CanaryWeight)}: this {(inProbe ? "header probe" : "step")}'s evidence leans towards a regression ({leaningWorse}); "
                    + "waiting for more data before giving the canary more traffic.",
                    evidence);
                return;
            }

            if (!inProbe && !spec.DryRun) // a dry run wrote no weights, so there is no split to verify
            {
                // Only the weighted route follows the weights: requests the header route sent are left out.
                var split = TrafficSplitCheck.Evaluate(
                    status.CanaryWeight,
                    counters.StepCanaryRequests - counters.StepCanaryProbeRequests,
                    counters.StepStableRequests - counters.StepStableProbeRequests,
                    spec.Traffic.SplitTolerancePercent);
                evidence = evidence with { ObservedCanarySharePercent = split.ObservedPercent, AllowedShareDeviationPercent = split.AllowedDeviationPercent };
                if (!split.Agrees)
                {
                    HoldOrFailSafe(DecisionReasons.TrafficSplitMismatch,
                        $"Observed canary share {split.ObservedPercent:0.#}% does not match the written weight {status.CanaryWeight}% (allowed +/- {split.AllowedDeviationPercent:0.#} points): "
                        + "routing is not what the VirtualService says, so the step cannot pass. Check for another writer of the VirtualService or a mislabelled subset.",
                        evidence);
                    return;
                }
            }

            var numbers = $"{counters.StepCanaryRequests} canary requests this step, e-values: error rate {evidence.ErrorRateEValue:0.##} (rollback at {evidence.ErrorRateThreshold:0}), "
                + $"success rate {evidence.SuccessRateEValue:0.##} (at {evidence.SuccessRateThreshold:0}), latency tail {evidence.LatencyTailEValue:0.##} (at {evidence.LatencyTailThreshold:0}); "
                + $"p99 canary {Ms(evidence.CanaryP99Ms)} ({latency.Canary} samples this step), stable {Ms(evidence.StableP99Ms)} ({latency.Stable} in the analysis)";
            if (inProbe)
            {
                EnterStep(CanaryPhase.Progressing, 0, Ladder[0]);
                Decide(DecisionOutcome.Advance, DecisionReasons.HeaderProbePassed, $"Header probe passed ({numbers}); now {Weights(Ladder[0])}.", evidence);
                Event(EventSeverity.Normal, DecisionReasons.HeaderProbePassed, decision!.Message);
            }
            else if (isLastStep)
            {
                Promote(DecisionReasons.Promoted, $"All steps passed ({numbers}, {counters.CanaryRequests} canary requests in total).", evidence);
            }
            else
            {
                var next = status.StepIndex + 1;
                var from = status.CanaryWeight;
                EnterStep(CanaryPhase.Progressing, next, Ladder[next]);
                Decide(DecisionOutcome.Advance, DecisionReasons.StepPassed, $"Step at {from}% passed ({numbers}); now {Weights(Ladder[next])}.", evidence);
                Event(EventSeverity.Normal, DecisionReasons.StepPassed, decision!.Message);
            }
        }

        private void HoldForMetrics(MetricsUnavailable unavailable)
        {
            var since = status.MetricsLastSeenAt ?? status.StepStartedAt ?? now;
            var deadline = since + spec.Deadline.MetricsUnavailable;
            var message = $"Metrics source unavailable ({unavailable.Reason}) since {Time(since)}";
            if (status.Phase != CanaryPhase.Paused && now >= deadline)
            {
                FailSafe(DecisionReasons.MetricsUnavailableDeadlineExceeded, $"{message}, longer than the {spec.Deadline.MetricsUnavailable.TotalSeconds:0} s deadline.", Evidence());
                return;
            }

            Hold(DecisionReasons.MetricsUnavailable,
                $"{message}; holding at {Weights(status.CanaryWeight)}" + (status.Phase == CanaryPhase.Paused ? "." : $", fails safe at {Time(deadline)}."),
                Evidence(), analysing: false);
        }

        private void HoldOrFailSafe(string reason, string message, DecisionEvidence evidence)
        {
            var deadline = (status.StepStartedAt ?? now) + spec.Deadline.NotEnoughData;
            if (now >= deadline)
            {
                FailSafe(reason == DecisionReasons.NotEnoughData ? DecisionReasons.NotEnoughDataDeadlineExceeded : reason,
                    $"{message} The step has waited longer than the {spec.Deadline.NotEnoughData.TotalSeconds:0} s deadline.", evidence);
                return;
            }

            Hold(reason, $"{message} Deadline {Time(deadline)}.", evidence, analysing: reason == DecisionReasons.NotEnoughData);
        }

        private void ConfirmRollback()
        {
            if (spec.DryRun)
            {
                status = status with { Phase = CanaryPhase.RolledBack };
                SetCondition(CanaryConditionTypes.Complete, ConditionStatus.True, DecisionReasons.RolledBack, status.LastDecision?.Message ?? "Rolled back (dry run).");
                Transition(DecisionReasons.RolledBack, "Dry run: the rollback would be complete; traffic was never changed.");
                return;
            }

            var route = input.Mesh.FindVirtualService(Target.Namespace, Target.VirtualService)
                ?.FindWeightedRoute(Target.Service, Target.Namespace, Target.StableSubset, Target.CanarySubset);
            if (route?.WeightOf(Target.CanarySubset) == 0 && route.WeightOf(Target.StableSubset) == 100)
            {
                status = status with { Phase = CanaryPhase.RolledBack };
                SetCondition(CanaryConditionTypes.Complete, ConditionStatus.True, DecisionReasons.RolledBack, status.LastDecision?.Message ?? "Rolled back.");
                Transition(DecisionReasons.RolledBack, $"Rollback confirmed: the VirtualService carries {Weights(0)}.");
                return;
            }

            SetWeights(0);
            Event(EventSeverity.Warning, DecisionReasons.WeightDrift, $"Rollback not yet visible in the VirtualService; rewrote {Weights(0)}.");
        }

        private bool RepairWeightDrift()
        {
            if (spec.DryRun)
            {
                return false; // the VirtualService belongs to someone else during a dry run
            }

            var route = input.Mesh.FindVirtualService(Target.Namespace, Target.VirtualService)
                ?.FindWeightedRoute(Target.Service, Target.Namespace, Target.StableSubset, Target.CanarySubset);
            var canary = route?.WeightOf(Target.CanarySubset);
            var stable = route?.WeightOf(Target.StableSubset);
            if (canary == status.CanaryWeight && stable == status.StableWeight)
            {
                return false;
            }

            SetWeights(status.CanaryWeight);
            status = status with { WeightsWrittenAt = now };
            Event(EventSeverity.Warning, DecisionReasons.WeightDrift,
                $"The VirtualService carries {Target.StableSubset} {stable} / {Target.CanarySubset} {canary}, not {Weights(status.CanaryWeight)} from status; rewrote it.");
            return true;
        }

        private void EnterStep(CanaryPhase phase, int stepIndex, int canaryWeight)
        {
            status = status with
            {
                Phase = phase,
                StepIndex = stepIndex,
                CanaryWeight = canaryWeight,
                StepStartedAt = now,
                WeightsWrittenAt = now,
                Counters = status.Counters.StartStep(),
                StepTests = SequentialTests.Fresh,
                StepCanaryLatency = null,
            };
            SetCondition(CanaryConditionTypes.Analysing, ConditionStatus.True, phase.ToString(), $"Analysing at {Weights(canaryWeight)}.");
            SetWeights(canaryWeight);
        }

        private void Promote(string reason, string message, DecisionEvidence evidence)
        {
            status = status with { Phase = CanaryPhase.Promoted, CanaryWeight = 100, PausedFrom = null };
            SetWeights(100);
            if (spec.Rollback.DuringAnalysis is not null)
            {
                actions.Add(new RestoreSubsetOutlierDetection(Target.Namespace, Target.DestinationRule, Target.CanarySubset));
            }

            SetCondition(CanaryConditionTypes.Analysing, ConditionStatus.False, reason, "Rollout finished.");
            SetCondition(CanaryConditionTypes.Complete, ConditionStatus.True, reason, $"Promoted: {Weights(100)}.");
            Decide(DecisionOutcome.Promote, reason, $"{message} Promoted: {Weights(100)}.", evidence);
            Event(EventSeverity.Normal, reason, decision!.Message);
        }

        private void RollBack(string reason, string message, DecisionEvidence evidence)
        {
            // Weight 0 in this same tick: a worse canary does not keep its share while counters fill up.
            status = status with { Phase = CanaryPhase.RollingBack, CanaryWeight = 0, PausedFrom = null };
            SetWeights(0);
            if (spec.Rollback.AfterRollback is { } eject)
            {
                actions.Add(new SetSubsetOutlierDetection(Target.Namespace, Target.DestinationRule, Target.CanarySubset, eject));
            }

            SetCondition(CanaryConditionTypes.Analysing, ConditionStatus.False, reason, message);
            Decide(DecisionOutcome.RollBack, reason, $"Rolling back to {Weights(0)}: {message}", evidence with { CanaryWeight = 0 });
            Event(EventSeverity.Warning, reason, decision!.Message);
        }

        private void FailSafe(string reason, string message, DecisionEvidence evidence)
        {
            var routeToStable = spec.Deadline.OnExpiry == FailSafeAction.RouteToStable;
            status = status with { Phase = CanaryPhase.Failed, PausedFrom = null };
            var outcome = routeToStable ? $"failed safe to {Weights(0)}" : $"frozen at {Weights(status.CanaryWeight)} for a person to decide";
            if (routeToStable)
            {
                status = status with { CanaryWeight = 0 };
                SetWeights(0);
            }

            SetCondition(CanaryConditionTypes.Analysing, ConditionStatus.False, reason, message);
            SetCondition(CanaryConditionTypes.Complete, ConditionStatus.True, reason, $"Failed: {outcome}.");
            Decide(DecisionOutcome.FailSafe, reason, $"{message} No verdict on the canary; {outcome}.", evidence with { CanaryWeight = status.CanaryWeight });
            Event(EventSeverity.Warning, reason, decision!.Message);
        }

        private void Hold(string reason, string message, DecisionEvidence evidence, bool analysing)
        {
            var repeated = status.LastDecision?.Reason == reason;
            SetCondition(CanaryConditionTypes.Analysing, analysing ? ConditionStatus.True : ConditionStatus.False, reason, message);
            Decide(DecisionOutcome.Hold, reason, message, evidence);
            if (!repeated)
            {
                Event(reason == DecisionReasons.NotEnoughData ? EventSeverity.Normal : EventSeverity.Warning, reason, message);
            }
        }

        private void Transition(string reason, string message)
        {
            Decide(DecisionOutcome.Transition, reason, message, Evidence());
            Event(EventSeverity.Normal, reason, message);
        }

        private void SetWeights(int canaryWeight) =>
            actions.Add(new SetRouteWeights(Target.Namespace, Target.VirtualService, new RouteWeights(Target.StableSubset, Target.CanarySubset, canaryWeight)));

        private void Decide(DecisionOutcome outcome, string reason, string message, DecisionEvidence evidence) =>
            decision = new CanaryDecision(now, outcome, reason, message, evidence);

        private void Event(EventSeverity severity, string reason, string message) => actions.Add(new EmitEvent(severity, reason, message));

        /// <summary>The numbers status holds, for decisions that analysed no window (commands, transitions, holds for metrics).</summary>
        private DecisionEvidence Evidence()
        {
            var c = status.Counters;
            var canaryP99 = status.StepCanaryLatency?.QuantileMs(0.99);
            var stableP99 = status.StableLatencyReference?.QuantileMs(0.99);
            return new DecisionEvidence
            {
                CanaryWeight = status.CanaryWeight,
                TotalCanaryRequests = c.CanaryRequests,
                TotalCanaryErrors = c.CanaryErrors,
                TotalStableRequests = c.StableRequests,
                TotalStableErrors = c.StableErrors,
                StepCanaryRequests = c.StepCanaryRequests,
                ErrorRateEValue = Math.Max(status.AnalysisTests.ErrorRate.EValue(), status.StepTests.ErrorRate.EValue()),
                SuccessRateEValue = Math.Max(status.AnalysisTests.SuccessRate.EValue(), status.StepTests.SuccessRate.EValue()),
                LatencyTailEValue = Math.Max(status.AnalysisTests.LatencyTail.EValue(), status.StepTests.LatencyTail.EValue()),
                LatencyTailSlowRequests = status.AnalysisTests.LatencyTail.Events,
                CanaryP99Ms = canaryP99,
                StableP99Ms = stableP99,
                P99Ratio = canaryP99 is { } canary && stableP99 is > 0 and var stable ? canary / stable : null,
                CanaryLatencySamples = status.StepCanaryLatency?.Total ?? 0,
                StableLatencySamples = status.StableLatencyReference?.Total ?? 0,
                MinLatencySamples = spec.Guards.MinLatencySamples,
            };
        }

        private void SetCondition(string type, ConditionStatus conditionStatus, string reason, string message)
        {
            var existing = status.Conditions.FirstOrDefault(c => c.Type == type);
            var since = existing is not null && existing.Status == conditionStatus ? existing.LastTransitionTime : now;
            var updated = new CanaryCondition(type, conditionStatus, reason, message, since);
            status = status with { Conditions = [.. status.Conditions.Where(c => c.Type != type), updated] };
        }

        /// <summary>The weighted steps below 100; reaching 100 is promotion.</summary>
        private IReadOnlyList<int> Ladder => field ??= [.. spec.Traffic.Ladder().Where(weight => weight < 100)];

        private string Weights(int canaryWeight) => new RouteWeights(Target.StableSubset, Target.CanarySubset, canaryWeight).ToString();

        private static string Ms(double? milliseconds) => milliseconds is { } ms ? $"{ms:0.#} ms" : "n/a";

        private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("HH:mm:ss'Z'", CultureInfo.InvariantCulture);

        /// <summary>Windows are cut by the metrics source's clock; a second of disagreement is not an overlap.</summary>
        private static readonly TimeSpan WindowSlack = TimeSpan.FromSeconds(1);
    }
}
