using k8s;
using Microsoft.Extensions.Options;

namespace LabNet.CanaryController.Kubernetes;

/// <summary>
/// The Kubernetes client, built from the configured kubeconfig once that file exists (the Provisioner writes it when the
/// cluster is up, which can be long after this service starts), and rebuilt when the file is rewritten (a new lab, or a
/// repair that moved the API server): the controller never keeps talking to an address the kubeconfig no longer names.
/// </summary>
public sealed partial class KubernetesClientSource(
    IOptions<CanaryControllerOptions> options,
    IHostEnvironment environment,
    TimeProvider timeProvider,
    ILogger<KubernetesClientSource> logger) : IDisposable
{
    private readonly Lock gate = new();
    private readonly List<IKubernetes> replaced = [];
    private IKubernetes? current;
    private (DateTime WrittenAt, long Length) loadedStamp;
    private string? lastError;

    /// <summary>The absolute kubeconfig path.</summary>
    public string KubeconfigPath { get; } = Path.GetFullPath(options.Value.Kubeconfig, environment.ContentRootPath);

    /// <summary>The client of the kubeconfig as it is now, else null (the HTTP API answers 503 then).</summary>
    public IKubernetes? Current => Load();

    /// <summary>Waits until the kubeconfig exists and loads, then returns the client (the same one to every caller until the file changes).</summary>
    public async Task<IKubernetes> ConnectAsync(CancellationToken cancellationToken)
    {
        var waitingLogged = false;
        while (true)
        {
            if (Load() is { } client)
            {
                return client;
            }

            if (!waitingLogged && !File.Exists(KubeconfigPath))
            {
                LogWaiting(KubeconfigPath);
                waitingLogged = true;
            }

            await Task.Delay(options.Value.KubeconfigPollInterval, timeProvider, cancellationToken);
        }
    }

    /// <summary>Completes with the new client once the kubeconfig was rewritten and loads into a client other than <paramref name="client"/>.</summary>
    public async Task<IKubernetes> WaitForChangeAsync(IKubernetes client, CancellationToken cancellationToken)
    {
        while (true)
        {
            await Task.Delay(options.Value.KubeconfigPollInterval, timeProvider, cancellationToken);
            if (Load() is { } loaded && !ReferenceEquals(loaded, client))
            {
                return loaded;
            }
        }
    }

    public void Dispose()
    {
        lock (gate)
        {
            current?.Dispose();
            replaced.ForEach(c => c.Dispose());
        }
    }

    // The current client, rebuilt first if the file changed since it was loaded. A file that cannot be loaded (being
    // written, or broken) keeps the previous client and is reported once.
    private IKubernetes? Load()
    {
        var file = new FileInfo(KubeconfigPath);
        if (!file.Exists)
        {
            lock (gate)
            {
                return current;
            }
        }

        var stamp = (file.LastWriteTimeUtc, file.Length);
        lock (gate)
        {
            if (current is not null && stamp == loadedStamp)
            {
                return current;
            }

            try
            {
                var configuration = KubernetesClientConfiguration.BuildConfigFromConfigFile(KubeconfigPath, currentContext: string.IsNullOrEmpty(options.Value.Context) ? null : options.Value.Context);
                var created = new k8s.Kubernetes(configuration);
                if (current is not null)
                {
                    // Calls in flight may still use the old client: it is disposed with this source, not now.
                    replaced.Add(current);
                    LogReloaded(KubeconfigPath, configuration.Host);
                }
                else
                {
                    LogConnected(KubeconfigPath, configuration.Host);
                }

                current = created;
                loadedStamp = stamp;
                lastError = null;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                if (e.Message != lastError)
                {
                    LogUnusableKubeconfig(KubeconfigPath, e.Message);
                    lastError = e.Message;
                }
            }

            return current;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Waiting for kubeconfig {Path}: the file does not exist yet (the Provisioner writes it when the cluster is up).")]
    private partial void LogWaiting(string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Kubeconfig {Path} cannot be used yet: {Error}. Retrying.")]
    private partial void LogUnusableKubeconfig(string path, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Using kubeconfig {Path}: API server {Server}.")]
    private partial void LogConnected(string path, string server);

    [LoggerMessage(Level = LogLevel.Information, Message = "Kubeconfig {Path} was rewritten: now API server {Server}; reconnecting.")]
    private partial void LogReloaded(string path, string server);
}
