using k8s;

namespace LabNet.FlowCollector.Relay.PortForward;

/// <summary>
/// One Kubernetes client for one cluster's kubeconfig file, built on first use and rebuilt when the file is rewritten
/// (a repair that moved the API server rewrites it): a new port-forward always goes to the address the file names now.
/// Clients that were replaced stay alive until this is disposed, as connections opened through them may still run.
/// </summary>
public sealed class KubeconfigClient(string path) : IDisposable
{
    private readonly Lock _gate = new();
    private readonly List<IKubernetes> _replaced = [];
    private IKubernetes? _current;
    private (DateTime WrittenAt, long Length) _stamp;

    public string Path { get; } = path;

    /// <summary>The client for the file as it is now; throws <see cref="k8s.Exceptions.KubeConfigException"/> or an IO error when it cannot be read.</summary>
    public IKubernetes Current
    {
        get
        {
            var file = new FileInfo(Path);
            var stamp = (file.LastWriteTimeUtc, file.Length);
            lock (_gate)
            {
                if (_current is not null && stamp == _stamp)
                {
                    return _current;
                }

                var client = new k8s.Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(Path));
                if (_current is not null)
                {
                    _replaced.Add(_current);
                }

                _current = client;
                _stamp = stamp;
                return client;
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _current?.Dispose();
            _replaced.ForEach(c => c.Dispose());
        }
    }
}
