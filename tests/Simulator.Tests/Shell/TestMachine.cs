using LabNet.Simulator.Programs;
using LabNet.Simulator.Shell;

namespace LabNet.Simulator.Tests.Shell;

/// <summary>
/// A machine for the shell's unit tests: files in memory, the shared programs of the lab, a user who may write only
/// under /home/u and /tmp, and a record of the modeled time its programs let pass.
/// </summary>
public sealed class TestMachine : IShellHost
{
    private readonly Dictionary<string, IShellProgram> _programs = new IShellProgram[]
    {
        new EchoProgram(), new TrueFalseProgram(), new EnvProgram(), new SleepProgram(), new FilePrograms(), new TextPrograms(), new SedProgram(),
    }.SelectMany(p => p.Names.Select(n => (n, p))).ToDictionary(x => x.n, x => x.p, StringComparer.Ordinal);

    public TestMachine(ShellFlavor flavor = ShellFlavor.Bash, int processId = 4242)
    {
        Flavor = flavor;
        ProcessId = processId;
        Memory.CreateDirectory("/home/u");
        Memory.CreateDirectory("/tmp");
        Memory.CreateDirectory("/etc");
    }

    public ShellFlavor Flavor { get; }

    public MemoryFiles Memory { get; } = new();

    public TimeSpan Elapsed { get; private set; }

    public int ProcessId { get; }

    public IReadOnlyDictionary<string, string> Environment { get; } = new Dictionary<string, string> { ["HOME"] = "/home/u", ["PATH"] = "/usr/bin:/bin" };

    public string WorkingDirectory => "/home/u";

    public string Hostname => "machine";

    public string? Address => "192.0.2.7";

    public bool BusyBox => Flavor is ShellFlavor.Ash;

    public bool Terminal => false;

    public IShellFileSystem Files => Memory;

    public CancellationToken Cancellation => CancellationToken.None;

    public ShellDialect? Shell(string name) => name switch
    {
        "bash" => ShellDialect.Bash,
        "sh" => new ShellDialect("sh", Flavor is ShellFlavor.Bash ? ShellFlavor.Dash : Flavor),
        _ => null,
    };

    public bool HasProgram(string name) => _programs.ContainsKey(name);

    public async Task<int?> RunProgramAsync(ProgramCall call) =>
        _programs.TryGetValue(call.Name, out var program) ? await program.RunAsync(call) : null;

    public Task Elapse(TimeSpan modeled, bool networkWait)
    {
        Elapsed += modeled;
        return Task.CompletedTask;
    }

    /// <summary>Runs a script in a fresh shell of the machine's flavor; returns stdout, stderr and the status.</summary>
    public async Task<(string Out, string Err, int Code)> RunAsync(string script, string stdin = "")
    {
        var shell = new ShellInterpreter(this, Flavor is ShellFlavor.Bash ? ShellDialect.Bash : Shell("sh")!);
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await shell.RunScriptAsync(script, stdin, stdout, stderr);
        return (stdout.ToString(), stderr.ToString(), code);
    }
}

/// <summary>Files and directories in memory; writable only under /home/u and /tmp.</summary>
public sealed class MemoryFiles : IShellFileSystem
{
    private readonly Dictionary<string, string> _files = new(StringComparer.Ordinal);
    private readonly HashSet<string> _directories = new(StringComparer.Ordinal) { "/" };

    public Lock Sync { get; } = new();

    public IEnumerable<string> AllPaths => _files.Keys.Concat(_directories);

    public string? ReadFile(string path) => _files.GetValueOrDefault(path);

    public bool FileExists(string path) => _files.ContainsKey(path);

    public bool DirectoryExists(string path) => _directories.Contains(path);

    public void WriteFile(string path, string content)
    {
        _files[path] = content;
        CreateDirectory(ShellPaths.Parent(path));
    }

    public void CreateDirectory(string path)
    {
        while (_directories.Add(path))
        {
            path = ShellPaths.Parent(path);
        }
    }

    public bool DeleteFile(string path) => _files.Remove(path);

    public void DeleteTree(string path)
    {
        foreach (var file in _files.Keys.Where(f => f == path || f.StartsWith(path + "/", StringComparison.Ordinal)).ToList())
        {
            _files.Remove(file);
        }

        _directories.RemoveWhere(d => d == path || d.StartsWith(path + "/", StringComparison.Ordinal));
    }

    public IEnumerable<string> Children(string directory) =>
        AllPaths.Where(p => p != directory && ShellPaths.Parent(p) == directory).Distinct().Order(StringComparer.Ordinal);

    public bool CanRead(string path) => true;

    public bool CanWrite(string path) =>
        path.StartsWith("/home/u/", StringComparison.Ordinal) || path.StartsWith("/tmp/", StringComparison.Ordinal) || path == "/home/u";
}
