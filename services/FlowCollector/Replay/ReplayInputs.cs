namespace LabNet.FlowCollector.Replay;

/// <summary>Resolves the replay argument: a file, every file of a directory (sorted by name), or <c>-</c> for stdin.</summary>
public static class ReplayInputs
{
    public const string StandardInput = "-";

    /// <summary>The files to read, or an error that says what is wrong with the argument.</summary>
    public static (IReadOnlyList<string> Files, string? Error) Resolve(string argument)
    {
        if (argument == StandardInput)
        {
            return ([StandardInput], null);
        }

        // `dotnet run --project` starts the app in the project directory; the shell's PWD is where the user typed the path.
        argument = Path.GetFullPath(argument, InvocationDirectory());
        if (File.Exists(argument))
        {
            return ([argument], null);
        }

        if (Directory.Exists(argument))
        {
            var files = Directory.EnumerateFiles(argument)
                .Where(f => !Path.GetFileName(f).StartsWith('.'))
                .Order(StringComparer.Ordinal)
                .ToList();
            return files.Count == 0
                ? ([], $"cannot open '{argument}': the directory has no files (expected `hubble observe -o json` captures)")
                : (files, null);
        }

        return ([], $"cannot open '{argument}': no such file or directory");
    }

    private static string InvocationDirectory() =>
        Environment.GetEnvironmentVariable("PWD") is { Length: > 0 } pwd && Path.IsPathFullyQualified(pwd) && Directory.Exists(pwd)
            ? pwd
            : Directory.GetCurrentDirectory();
}
