using LabNet.Simulator.Shell;

namespace LabNet.Simulator.Guest.Commands;

/// <summary>
/// A guest's disk as one of its users sees it: root everything; the admin user may write only under its home and
/// /tmp, and may not read the kubeconfigs and private keys kubeadm writes 0600.
/// </summary>
public sealed class GuestFiles(GuestOs guest, bool isRoot) : IShellFileSystem
{
    public Lock Sync => guest.Sync;

    public IEnumerable<string> AllPaths => guest.AllPaths;

    public string? ReadFile(string path) => guest.ReadFile(path);

    public bool FileExists(string path) => guest.FileExists(path);

    public bool DirectoryExists(string path) => guest.DirectoryExists(path);

    public void WriteFile(string path, string content) => guest.WriteFile(path, content);

    public void CreateDirectory(string path) => guest.CreateDirectory(path);

    public bool DeleteFile(string path) => guest.DeleteFile(path);

    public void DeleteTree(string path) => guest.DeleteTree(path);

    public IEnumerable<string> Children(string directory) => guest.Children(directory);

    public bool CanWrite(string path) =>
        isRoot || path.StartsWith(GuestOs.AdminHome + "/", StringComparison.Ordinal) || path.StartsWith("/tmp/", StringComparison.Ordinal);

    public bool CanRead(string path) =>
        isRoot || !(path.StartsWith("/etc/kubernetes/", StringComparison.Ordinal) &&
                    (path.EndsWith(".conf", StringComparison.Ordinal) || path.EndsWith(".key", StringComparison.Ordinal)));
}
