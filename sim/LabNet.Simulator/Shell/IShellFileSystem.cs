namespace LabNet.Simulator.Shell;

/// <summary>
/// The files a shell and its programs see, with the permissions of the user they run as. Paths are absolute and
/// normalized (<see cref="ShellPaths"/>). Callers hold <see cref="Sync"/> around a read-modify-write.
/// </summary>
public interface IShellFileSystem
{
    Lock Sync { get; }

    /// <summary>Every file and directory (for globs).</summary>
    IEnumerable<string> AllPaths { get; }

    string? ReadFile(string path);

    bool FileExists(string path);

    bool DirectoryExists(string path);

    bool Exists(string path) => FileExists(path) || DirectoryExists(path);

    bool ParentExists(string path) => DirectoryExists(ShellPaths.Parent(path));

    void WriteFile(string path, string content);

    void CreateDirectory(string path);

    bool DeleteFile(string path);

    /// <summary><c>rm -rf</c>: the path and everything under it.</summary>
    void DeleteTree(string path);

    /// <summary>The entries directly in a directory, sorted.</summary>
    IEnumerable<string> Children(string directory);

    bool IsDirectoryEmpty(string path) => !Children(path).Any();

    bool CanRead(string path);

    bool CanWrite(string path);
}
