using k8s;
using LabNet.CanaryController.Kubernetes;
using Microsoft.Extensions.Options;

namespace LabNet.CanaryController.Controller;

/// <summary>
/// The controller loop: waits for the kubeconfig, keeps the set of Canaries current with list + watch (resuming from
/// the last resourceVersion, re-listing on 410 Gone or errors), and ticks each Canary every
/// <c>spec.analysis.interval</c> (at once on a new spec or a command).
/// </summary>
public sealed partial class CanaryControllerWorker(
    KubernetesClientSource clients,
    CanaryReconciler reconciler,
    IOptions<CanaryControllerOptions> options,
    TimeProvider timeProvider,
    ILogger<CanaryControllerWorker> logger) : BackgroundService
{
    /// <summary>Longest sleep without a due Canary (a lost wake-up costs at most this).</summary>
    private static readonly TimeSpan MaxIdle = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var client = await clients.ConnectAsync(stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            // One session per kubeconfig: when the file is rewritten, the watch and the ticks restart against the new
            // API server; every Canary's state is in its status, so nothing is lost.
            using var session = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            var cluster = new CanaryCluster(client, timeProvider, logger);
            var schedule = new CanarySchedule(timeProvider);
            var watching = WatchAsync(cluster, schedule, session.Token);
            var ticking = TickLoopAsync(cluster, schedule, session.Token);
            var changed = clients.WaitForChangeAsync(client, session.Token);
            await Task.WhenAny(ticking, changed);
            await session.CancelAsync();
            await Task.WhenAll(watching, ticking, changed).ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            if (ticking.IsFaulted)
            {
                await ticking; // not the API server going away (the loop survives that): a bug, let the host see it
            }

            if (changed.IsCompletedSuccessfully)
            {
                client = changed.Result;
            }
        }
    }

    private async Task TickLoopAsync(CanaryCluster cluster, CanarySchedule schedule, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var (due, changed) = schedule.TakeDue();
            foreach (var (key, ns, name) in due)
            {
                try
                {
                    var next = await reconciler.ReconcileAsync(cluster, ns, name, stoppingToken);
                    if (next is { } interval)
                    {
                        schedule.ScheduleIn(key, interval);
                    }
                    else
                    {
                        schedule.Remove(key);
                    }
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    // The API server went away mid-tick: nothing was decided that status does not hold; try again soon.
                    LogTickFailed(key, KubernetesErrors.Describe(e));
                    schedule.ScheduleIn(key, options.Value.WatchRetryDelay);
                }
            }

            var wait = schedule.UntilNext(MaxIdle);
            if (wait > TimeSpan.Zero)
            {
                using var sleep = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                var delay = Task.Delay(wait, timeProvider, sleep.Token);
                await Task.WhenAny(delay, changed);
                await sleep.CancelAsync();
                await delay.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }
        }
    }

    private async Task WatchAsync(CanaryCluster cluster, CanarySchedule schedule, CancellationToken stoppingToken)
    {
        var ns = string.IsNullOrEmpty(options.Value.Namespace) ? null : options.Value.Namespace;
        string? resourceVersion = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (resourceVersion is null)
                {
                    var (items, listVersion) = await cluster.ListCanariesAsync(ns, stoppingToken);
                    schedule.Replace(items);
                    resourceVersion = listVersion;
                    LogListed(items.Count, ns ?? "all namespaces", listVersion);
                }

                var expired = false;
                var events = 0;
                void OnWatchError(Exception e)
                {
                    if (KubernetesErrors.IsExpired(e))
                    {
                        expired = true;
                    }
                    else
                    {
                        LogWatchFailed(KubernetesErrors.Describe(e));
                    }
                }

                await foreach (var (type, item) in cluster.WatchCanariesAsync(ns, resourceVersion, OnWatchError, stoppingToken))
                {
                    events++;
                    resourceVersion = item["metadata"]?["resourceVersion"]?.ToString() ?? resourceVersion;
                    switch (type)
                    {
                        case WatchEventType.Added or WatchEventType.Modified:
                            schedule.Observe(CanaryResource.FromWire(item));
                            break;
                        case WatchEventType.Deleted:
                            schedule.Remove(CanaryResource.FromWire(item).Key);
                            break;
                    }
                }

                if (expired)
                {
                    LogWatchExpired(resourceVersion);
                    resourceVersion = null;
                }
                else if (events == 0)
                {
                    // A server that closes watches at once must not turn this loop into a busy one; the next watch
                    // resumes from the same resourceVersion, so nothing is missed.
                    await Task.Delay(options.Value.WatchRetryDelay, timeProvider, stoppingToken);
                }
            }
            catch (Exception e) when (KubernetesErrors.IsExpired(e))
            {
                LogWatchExpired(resourceVersion);
                resourceVersion = null;
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                LogWatchFailed(KubernetesErrors.Describe(e));
                resourceVersion = null;
                await Task.Delay(options.Value.WatchRetryDelay, timeProvider, stoppingToken);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Listed {Count} Canaries in {Scope} at resourceVersion {ResourceVersion}; watching from there.")]
    private partial void LogListed(int count, string scope, string resourceVersion);

    [LoggerMessage(Level = LogLevel.Information, Message = "Watch from resourceVersion {ResourceVersion} expired (410 Gone); listing again.")]
    private partial void LogWatchExpired(string? resourceVersion);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Watching Canaries failed: {Error}. Listing again shortly.")]
    private partial void LogWatchFailed(string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Canary {Canary}: tick failed: {Error}. Retrying shortly.")]
    private partial void LogTickFailed(string canary, string error);
}
