using System.Diagnostics;
using LabNet.Provisioner.Spec;
using Microsoft.Extensions.Options;

namespace LabNet.Provisioner.Provisioning;

/// <summary>
/// Converges the whole lab: every cluster in parallel within the host's CPU budget, each on its own (one cluster
/// failing never stops the others). One lab operation runs at a time.
/// </summary>
public sealed partial class LabApplier(
    LabSpecSource specSource,
    ClusterPlanBuilder planBuilder,
    ClusterProvisioner clusterProvisioner,
    ProvisioningToolsFactory toolsFactory,
    LabProgress progress,
    ProvisionerTelemetry telemetry,
    IOptions<LabOptions> options,
    ILogger<LabApplier> logger)
{
    /// <summary>Validates the spec, then converges every cluster. Returns the spec problems, or the per-cluster outcome.</summary>
    public async Task<LabOperationResult> ApplyAsync(CancellationToken cancellationToken)
    {
        try
        {
            var specResult = await specSource.ReadAsync(cancellationToken);
            if (!specResult.IsValid)
            {
                return LabOperationResult.InvalidSpec(specResult.Problems);
            }

            var spec = specResult.Spec!;
            var password = SshPasswordFor(spec);
            var plans = spec.Clusters.Select(cluster => planBuilder.Build(spec, cluster)).ToList();
            var budget = new HostCpuBudget(options.Value.Host.ProvisioningVcpus);

            using var labSpan = telemetry.Source.StartActivity("lab apply");
            labSpan?.SetTag("labnet.clusters", spec.Clusters.Count);
            progress.Begin("apply", plans.Select(p => (p.Cluster.Name, p.Steps.Count())));
            LogApplyStarted(specSource.Path, spec.Clusters.Count, spec.AllNodes.Count());

            var outcomes = await Task.WhenAll(plans.Select(async plan =>
            {
                using var lease = await budget.AcquireAsync(plan.Cluster.Nodes.Sum(n => n.Cpu), cancellationToken);
                var context = new ClusterContext(spec, plan.Cluster, password, toolsFactory.Create());
                return new ClusterOutcome(plan.Cluster.Name, await clusterProvisioner.ApplyAsync(plan, context, cancellationToken));
            }));

            if (outcomes.Any(o => o.Error is not null))
            {
                labSpan?.SetStatus(ActivityStatusCode.Error, string.Join("; ", outcomes.Where(o => o.Error is not null).Select(o => o.Cluster)));
            }

            return LabOperationResult.Completed(outcomes);
        }
        finally
        {
            progress.End();
        }
    }

    private SshPassword SshPasswordFor(LabSpec spec) => SshPasswords.For(options.Value, spec);

    [LoggerMessage(Level = LogLevel.Information, Message = "Applying lab {Spec}: {Clusters} clusters, {Vms} VMs")]
    private partial void LogApplyStarted(string spec, int clusters, int vms);
}

public sealed record ClusterOutcome(string Cluster, string? Error)
{
    public bool Succeeded => Error is null;
}

/// <summary>What a lab operation ended with: busy, an invalid spec (nothing ran), or each cluster's outcome.</summary>
public sealed record LabOperationResult(string Status, IReadOnlyList<SpecProblem>? Problems, IReadOnlyList<ClusterOutcome>? Clusters, string? RunningOperation)
{
    /// <summary>The operation this is the result of; for <c>busy</c>, the running operation to wait for instead.</summary>
    public string? OperationId { get; init; }

    public static LabOperationResult Busy(string operation) => new("busy", null, null, operation);


    public static LabOperationResult InvalidSpec(IReadOnlyList<SpecProblem> problems) => new("invalid-spec", problems, null, null);

    public static LabOperationResult Completed(IReadOnlyList<ClusterOutcome> clusters) =>
        new(clusters.All(c => c.Succeeded) ? "succeeded" : "failed", null, clusters, null);
}
