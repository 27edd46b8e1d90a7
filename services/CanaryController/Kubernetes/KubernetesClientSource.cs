using k8s;
using Microsoft.Extensions.Options;

namespace LabNet.CanaryController.Kubernetes;

/// <summary>
/// The Kubernetes client, built from the configured kubeconfig once that file exists (the Provisioner writes it when the
/// cluster is up, which can be long after this service starts). Until then the controller waits and says so.
/// </summary>
public sealed partial class KubernetesClientSource(
    IOptions<CanaryControllerOptions> options,
    IHostEnvironment environment,
    TimeProvider timeProvider,
    ILogger<KubernetesClientSource> logger) : IDisposable
{
    private readonly TaskCompletionSource<IKubernetes> connected = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The absolute kubeconfig path.</summary>
    public string KubeconfigPath { get; } = Path.GetFullPath(options.Value.Kubeconfig, environment.ContentRootPath);

    /// <summary>The client once connected, else null (the HTTP API answers 503 then).</summary>
    public IKubernetes? Current => connected.Task.IsCompletedSuccessfully ? connected.Task.Result : null;

    /// <summary>Waits until the kubeconfig exists and loads, then returns the client (the same one to every caller).</summary>
    public async Task<IKubernetes> ConnectAsync(CancellationToken cancellationToken)
    {
        if (Current is { } client)
        {
            return client;
        }

        var waitingLogged = false;
        string? lastError = null;
        while (true)
        {
            if (File.Exists(KubeconfigPath))
            {
                try
                {
                    var configuration = KubernetesClientConfiguration.BuildConfigFromConfigFile(KubeconfigPath, currentContext: string.IsNullOrEmpty(options.Value.Context) ? null : options.Value.Context);
                    var created = new k8s.Kubernetes(configuration);
                    if (!connected.TrySetResult(created))
                    {
                        created.Dispose();
                    }

                    LogConnected(KubeconfigPath, configuration.Host);
                    return connected.Task.Result;
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // A file being written, or a broken one: say why once, and keep looking.
                    if (e.Message != lastError)
                    {
                        LogUnusableKubeconfig(KubeconfigPath, e.Message);
                        lastError = e.Message;
                    }
                }
            }
            else if (!waitingLogged)
            {
                LogWaiting(KubeconfigPath);
                waitingLogged = true;
            }

            await Task.Delay(options.Value.KubeconfigPollInterval, timeProvider, cancellationToken);
        }
    }

    public void Dispose()
    {
        Current?.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Waiting for kubeconfig {Path}: the file does not exist yet (the Provisioner writes it when the cluster is up).")]
    private partial void LogWaiting(string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Kubeconfig {Path} cannot be used yet: {Error}. Retrying.")]
    private partial void LogUnusableKubeconfig(string path, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Using kubeconfig {Path}: API server {Server}.")]
    private partial void LogConnected(string path, string server);
}
