using LabNet.Provisioner.Provisioning;

namespace LabNet.Provisioner.Tests.Provisioning;

/// <summary>A step whose world is a flag: done or not, failing a set number of times first, recording what ran.</summary>
internal sealed class RecordingStep(string cluster, string? node, string name, List<string> log) : IProvisioningStep
{
    public StepId Id { get; } = new(cluster, node, name);

    public bool Done { get; set; }

    public int TransientFailures { get; set; }

    public string? PermanentFailure { get; set; }

    public TimeSpan ExpectedDuration { get; init; } = TimeSpan.FromSeconds(10);

    public string Description => $"test step {name}";

    public int Runs { get; private set; }

    public Task<bool> IsDoneAsync(ClusterContext context, CancellationToken cancellationToken) => Task.FromResult(Done);

    public Task RunAsync(ClusterContext context, CancellationToken cancellationToken)
    {
        Runs++;
        lock (log)
        {
            log.Add(Id.ToString());
        }

        if (PermanentFailure is not null)
        {
            throw new PermanentStepException(PermanentFailure);
        }

        if (TransientFailures-- > 0)
        {
            throw new TransientStepException($"{name} not ready yet");
        }

        Done = true;
        return Task.CompletedTask;
    }
}
