namespace LabNet.Simulator.Shell;

/// <summary>Paths as a shell resolves them: absolute, with <c>.</c>, <c>..</c> and repeated slashes taken out.</summary>
public static class ShellPaths
{
    /// <summary><paramref name="path"/> relative to <paramref name="workingDirectory"/> (unless it is absolute), normalized.</summary>
    public static string Resolve(string workingDirectory, string path) =>
        Normalize(path.StartsWith('/') ? path : workingDirectory + "/" + path);

    public static string Normalize(string path)
    {
        if (path.Length == 0)
        {
            return "/";
        }

        var parts = new List<string>();
        foreach (var part in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                if (parts.Count > 0)
                {
                    parts.RemoveAt(parts.Count - 1);
                }

                continue;
            }

            parts.Add(part);
        }

        return "/" + string.Join('/', parts);
    }

    /// <summary>The directory that holds <paramref name="path"/> ("/" for "/").</summary>
    public static string Parent(string path) => Path.GetDirectoryName(Normalize(path))?.Replace('\\', '/') ?? "/";

    /// <summary>The last part of a path: what a program named <c>/usr/bin/curl</c> is called.</summary>
    public static string FileName(string path) => path[(path.LastIndexOf('/') + 1)..];
}
