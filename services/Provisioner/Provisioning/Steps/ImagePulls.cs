using System.Collections.Concurrent;

namespace LabNet.Provisioner.Provisioning.Steps;

/// <summary>Clusters provision in parallel from one base image: this makes them pull it once, not once each.</summary>
public sealed class ImagePulls
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _locks = new(StringComparer.Ordinal);

    public async Task<T> OneAtATimeAsync<T>(string image, Func<Task<T>> action, CancellationToken cancellationToken)
    {
        var gate = _locks.GetOrAdd(image, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            return await action();
        }
        finally
        {
            gate.Release();
        }
    }
}
