using Microsoft.Extensions.Options;

namespace LabNet.Provisioner.Kubernetes;

/// <summary>
/// <c>kubeconfig/&lt;cluster&gt;.yaml</c>, written atomically with mode 0600 (it holds the cluster-admin credentials),
/// and only when its content changes, so a converged lab sees no write.
/// </summary>
public sealed class KubeconfigStore(IOptions<LabOptions> options)
{
    public string Directory => Path.GetFullPath(options.Value.KubeconfigDirectory);

    public string PathFor(string cluster) => Path.Combine(Directory, $"{cluster}.yaml");

    /// <summary>Writes the kubeconfig; returns false when the file already held exactly this content.</summary>
    public async Task<bool> WriteAsync(string cluster, string content, CancellationToken cancellationToken)
    {
        var path = PathFor(cluster);
        if (File.Exists(path) && await File.ReadAllTextAsync(path, cancellationToken) == content)
        {
            EnsurePrivate(path);
            return false;
        }

        System.IO.Directory.CreateDirectory(Directory);
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        var fileOptions = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            fileOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        await using (var stream = new FileStream(temporary, fileOptions))
        await using (var writer = new StreamWriter(stream))
        {
            await writer.WriteAsync(content.AsMemory(), cancellationToken);
        }

        File.Move(temporary, path, overwrite: true);
        return true;
    }

    public bool Delete(string cluster)
    {
        var path = PathFor(cluster);
        if (!File.Exists(path))
        {
            return false;
        }

        File.Delete(path);
        return true;
    }

    private static void EnsurePrivate(string path)
    {
        if (!OperatingSystem.IsWindows() && File.GetUnixFileMode(path) != (UnixFileMode.UserRead | UnixFileMode.UserWrite))
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }
}
