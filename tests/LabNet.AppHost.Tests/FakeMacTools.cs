namespace LabNet.AppHost.Tests;

/// <summary>
/// Stand-ins for the Mac's tart, sshpass, ssh, helm and a SUID softnet, so that real mode's app model can be built on
/// a machine that is not a Mac. They only need to exist and be executable: nothing here runs them.
/// </summary>
internal sealed class FakeMacTools : IDisposable
{
    private FakeMacTools(string directory) => Directory = directory;

    public string Directory { get; }

    public string[] Settings =>
    [
        $"LabNet:Real:Tart={Path.Combine(Directory, "tart")}",
        $"LabNet:Real:SshPass={Path.Combine(Directory, "sshpass")}",
        $"LabNet:Real:Ssh={Path.Combine(Directory, "ssh")}",
        $"LabNet:Real:Helm={Path.Combine(Directory, "helm")}",
        $"LabNet:Real:SoftNet={Path.Combine(Directory, "softnet")}",
    ];

    public static FakeMacTools Create()
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("labnet-mac-tools-").FullName;
        foreach (var tool in new[] { "tart", "sshpass", "ssh", "helm", "softnet" })
        {
            var path = Path.Combine(directory, tool);
            File.WriteAllText(path, "#!/bin/sh\nexit 0\n");
            var mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, tool == "softnet" ? mode | UnixFileMode.SetUser : mode);
            }
        }

        return new FakeMacTools(directory);
    }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
