namespace LabNet.Provisioner.Provisioning.Steps;

/// <summary>Waits until every node of the spec is registered and its Ready condition is True.</summary>
public sealed class NodesReadyStep(string cluster, IReadOnlyList<string> nodes) : IProvisioningStep
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    public StepId Id { get; } = new(cluster, null, "nodes.ready");

    public string Description => $"wait until {nodes.Count} nodes are Ready";

    public TimeSpan ExpectedDuration => TimeSpan.FromSeconds(30);

    public bool ChangesWorld => false;

    public Task<bool> IsDoneAsync(ClusterContext context, CancellationToken cancellationToken) => Task.FromResult(false);

    public async Task RunAsync(ClusterContext context, CancellationToken cancellationToken)
    {
        var deadline = context.Tools.Time.GetUtcNow() + Timeout;
        while (true)
        {
            string waitingFor;
            try
            {
                var ready = await context.Tools.Clusters.NodesAsync(cluster, cancellationToken);
                var missing = nodes.Where(n => !ready.Any(r => r.Name == n && r.Ready)).ToList();
                if (missing.Count == 0)
                {
                    return;
                }

                waitingFor = string.Join("; ", missing.Select(n => ready.FirstOrDefault(r => r.Name == n) is { } node
                    ? $"{n}: {node.Reason ?? "not Ready"}"
                    : $"{n}: not registered"));
            }
            catch (Exception ex) when (ex is HttpRequestException or k8s.Autorest.HttpOperationException or IOException)
            {
                waitingFor = $"the API server of {cluster} does not answer ({ex.Message})";
            }

            if (context.Tools.Time.GetUtcNow() > deadline)
            {
                throw new PermanentStepException($"Nodes of {cluster} not Ready after {Timeout.TotalMinutes:0} minutes: {waitingFor}");
            }

            await Task.Delay(TimeSpan.FromSeconds(1), context.Tools.Time, cancellationToken);
        }
    }
}
