using LabNet.Simulator.Shell;

namespace LabNet.Simulator.Guest.Commands;

/// <summary><c>sudo [-u USER] [-E] COMMAND...</c>: runs the command as root (the image's user has passwordless sudo).</summary>
public sealed class SudoCommand : IGuestCommand
{
    public IReadOnlyList<string> Names { get; } = ["sudo"];

    public async Task<int> RunAsync(CommandCall call)
    {
        var args = call.Args;
        var i = 0;
        while (i < args.Count && args[i].StartsWith('-'))
        {
            if (args[i] == "--")
            {
                i++;
                break;
            }

            if (args[i] is "-u" or "-g")
            {
                i++;
            }

            i++;
        }

        if (i >= args.Count)
        {
            return call.Fail("usage: sudo -h | -K | -k | -V\nusage: sudo -v [-ABkNnS] [-g group] [-h host] [-p prompt] [-u user]");
        }

        var root = call.Host.AsRoot();
        var environment = new Dictionary<string, string>(call.Environment, StringComparer.Ordinal);
        foreach (var name in new[] { "HOME", "USER", "LOGNAME" })
        {
            environment[name] = root.Environment[name];
        }

        var shell = new ShellInterpreter(root, ShellDialect.Bash, environment, call.Program.WorkingDirectory);
        var program = args[i];
        if (shell.Locate(program) is null && !program.Contains('/'))
        {
            return call.Fail($"sudo: {program}: command not found");
        }

        return await shell.RunCommandAsync(program, args.Skip(i + 1).ToList(), call.Stdin, call.Out, call.Error);
    }
}
