namespace LabNet.Simulator.Mesh;

/// <summary>Looks for seam findings on the twin's clock (every 10 s), so they are logged even if nobody asks for them.</summary>
public sealed class SeamFindingsMonitor(SeamFindings findings, TimeProvider time, ILogger<SeamFindingsMonitor> logger) : BackgroundService
{
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Period, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    findings.Current();
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogError(e, "Looking for Cilium/Istio seam findings failed; the next period tries again");
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
