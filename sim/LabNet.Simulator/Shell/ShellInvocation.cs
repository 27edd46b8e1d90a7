namespace LabNet.Simulator.Shell;

/// <summary>
/// A shell run as a program (<c>bash -c '...'</c>, <c>sh -s</c>, <c>sh script.sh</c>, or a bare <c>sh</c> reading its
/// script from stdin): its options (<c>-e</c>, <c>-u</c>, <c>-o pipefail</c>, <c>-x</c>...) and where the script comes from.
/// </summary>
public static class ShellInvocation
{
    /// <summary>Runs <paramref name="args"/> (the shell's arguments, without its name) in <paramref name="shell"/>, a fresh shell.</summary>
    public static async Task<int> RunAsync(ShellInterpreter shell, IReadOnlyList<string> args, ShellIo io)
    {
        string? script = null;
        var fromStdin = false;
        for (var i = 0; i < args.Count && script is null; i++)
        {
            var arg = args[i];
            switch (arg)
            {
                case "-c" when i + 1 < args.Count:
                    script = args[i + 1];
                    break;
                case "-c":
                    await io.Err.WriteLineAsync($"{shell.Dialect.Name}: -c: option requires an argument");
                    return 2;
                case "-s":
                    fromStdin = true;
                    break;
                case "-o" or "+o" when i + 1 < args.Count:
                    SetOption(shell, args[++i], arg[0] == '-');
                    break;
                case "--login" or "--norc" or "--noprofile":
                    break;
                case ['-' or '+', _, ..]:
                    foreach (var flag in arg[1..])
                    {
                        switch (flag)
                        {
                            case 'e':
                                shell.ErrExit = arg[0] == '-';
                                break;
                            case 'u':
                                shell.NoUnset = arg[0] == '-';
                                break;
                            case 'o' when i + 1 < args.Count:
                                SetOption(shell, args[++i], arg[0] == '-');
                                break;
                            case 'c' when i + 1 < args.Count:
                                script = args[i + 1];
                                break;
                        }
                    }

                    break;
                default:
                    if (fromStdin)
                    {
                        // bash -s ARG...: the rest are the script's positional parameters.
                        i = args.Count;
                        break;
                    }

                    var path = ShellPaths.Resolve(shell.WorkingDirectory, arg);
                    string? content;
                    lock (shell.Host.Files.Sync)
                    {
                        content = shell.Host.Files.CanRead(path) ? shell.Host.Files.ReadFile(path) : null;
                    }

                    if (content is null)
                    {
                        var (message, code) = shell.Dialect.ScriptNotFound(arg);
                        await io.Err.WriteLineAsync(message);
                        return code;
                    }

                    script = content;
                    break;
            }
        }

        // With -c or a file the script is that; otherwise (-s, or no script at all) it is stdin.
        return script is not null
            ? await shell.RunScriptAsync(script, io.Stdin, io.Out, io.Err)
            : await shell.RunScriptAsync(io.Stdin, "", io.Out, io.Err);
    }

    /// <summary>A named option, as <c>set -o name</c> and <c>bash -o name</c> take it.</summary>
    internal static void SetOption(ShellInterpreter shell, string option, bool on)
    {
        switch (option)
        {
            case "pipefail":
                shell.PipeFail = on;
                break;
            case "errexit":
                shell.ErrExit = on;
                break;
            case "nounset":
                shell.NoUnset = on;
                break;
        }
    }
}
