using LabNet.Simulator.Shell;

namespace LabNet.Simulator.Pods;

/// <summary>
/// A container's files as its processes see them: the usual directories of an image, the files the kubelet writes
/// (<see cref="ContainerFiles"/>), and a writable layer for what the process writes. The twin does not model the
/// image's other files, and a layer lives as long as the exec'd process (the next <c>kubectl exec</c> starts afresh).
/// Containers run as root: everything is readable and writable.
/// </summary>
public sealed class ContainerFileSystem(PodProcess process) : IShellFileSystem
{
    private static readonly string[] ImageDirectories =
    [
        "/", "/bin", "/dev", "/etc", "/home", "/lib", "/media", "/mnt", "/opt", "/proc", "/root", "/run", "/sbin", "/srv",
        "/sys", "/tmp", "/usr", "/usr/bin", "/usr/local", "/usr/local/bin", "/usr/sbin", "/var", "/var/run",
        "/var/run/secrets", "/var/run/secrets/kubernetes.io", "/var/run/secrets/kubernetes.io/serviceaccount",
    ];

    private static readonly string[] KubeletFiles =
        ["/etc/resolv.conf", "/etc/hostname", "/etc/hosts", "/etc/os-release", "/var/run/secrets/kubernetes.io/serviceaccount/namespace"];

    private readonly Dictionary<string, string> _written = new(StringComparer.Ordinal);
    private readonly HashSet<string> _directories = new(ImageDirectories, StringComparer.Ordinal);
    private readonly HashSet<string> _deleted = new(StringComparer.Ordinal);

    public Lock Sync { get; } = new();

    public IEnumerable<string> AllPaths => Files.Concat(_directories);

    private IEnumerable<string> Files => KubeletFiles.Where(f => !_deleted.Contains(f)).Concat(_written.Keys).Distinct();

    public string? ReadFile(string path) =>
        _written.TryGetValue(path, out var content) ? content
        : _deleted.Contains(path) ? null
        : ContainerFiles.Read(process, path);

    public bool FileExists(string path) => ReadFile(path) is not null;

    public bool DirectoryExists(string path) => _directories.Contains(path);

    public void WriteFile(string path, string content)
    {
        _written[path] = content;
        _deleted.Remove(path);
        CreateDirectory(ShellPaths.Parent(path));
    }

    public void CreateDirectory(string path)
    {
        while (_directories.Add(path))
        {
            path = ShellPaths.Parent(path);
        }
    }

    public bool DeleteFile(string path)
    {
        var existed = FileExists(path);
        _written.Remove(path);
        _deleted.Add(path);
        return existed;
    }

    public void DeleteTree(string path)
    {
        var prefix = path == "/" ? "/" : path + "/";
        foreach (var file in Files.Where(f => f == path || f.StartsWith(prefix, StringComparison.Ordinal)).ToList())
        {
            DeleteFile(file);
        }

        _directories.RemoveWhere(d => d == path || d.StartsWith(prefix, StringComparison.Ordinal));
    }

    public IEnumerable<string> Children(string directory)
    {
        var prefix = directory.TrimEnd('/') + "/";
        return AllPaths
            .Where(p => p.StartsWith(prefix, StringComparison.Ordinal) && p.Length > prefix.Length && !p[prefix.Length..].Contains('/'))
            .Distinct()
            .Order(StringComparer.Ordinal);
    }

    public bool CanRead(string path) => true;

    public bool CanWrite(string path) => true;
}
