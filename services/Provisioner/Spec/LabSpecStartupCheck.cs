namespace LabNet.Provisioner.Spec;

/// <summary>Reads the spec once at start so a broken <c>clusters.json</c> shows in the logs before anyone asks to apply it.</summary>
public sealed partial class LabSpecStartupCheck(LabSpecSource source, ILogger<LabSpecStartupCheck> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var result = await source.ReadAsync(cancellationToken);
        if (result.IsValid)
        {
            LogValid(source.Path, result.Spec!.Clusters.Count, result.Spec.AllNodes.Count());
            return;
        }

        foreach (var problem in result.Problems)
        {
            LogProblem(problem.File, problem.JsonPath, problem.Message, problem.Fix);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Lab spec {File} is valid: {Clusters} clusters, {Vms} VMs.")]
    private partial void LogValid(string file, int clusters, int vms);

    [LoggerMessage(Level = LogLevel.Error, Message = "Lab spec {File}: {JsonPath}: {Problem} Fix: {Fix}")]
    private partial void LogProblem(string file, string jsonPath, string problem, string fix);
}
