using System.Text.RegularExpressions;

namespace LabNet.Simulator.Shell;

/// <summary>
/// The commands the shell runs itself: <c>:</c>, <c>true</c>, <c>false</c>, <c>exit</c>, <c>break</c>,
/// <c>continue</c>, <c>set</c>, <c>export</c>/<c>local</c>/<c>readonly</c>/<c>declare</c>, <c>unset</c>, <c>cd</c>,
/// <c>pwd</c>, <c>echo</c>, <c>printf</c>, <c>test</c>/<c>[</c>/<c>[[</c>, <c>eval</c>, <c>command</c>, <c>exec</c>.
/// </summary>
internal static class ShellBuiltins
{
    private static readonly HashSet<string> Names =
    [
        ":", "true", "false", "exit", "continue", "break", "set", "export", "local", "readonly", "declare", "unset", "cd",
        "pwd", "echo", "printf", "test", "[", "[[", "eval", "command", "exec",
    ];

    public static bool Has(string name) => Names.Contains(name);

    public static async Task<int> RunAsync(ShellInterpreter shell, string name, IReadOnlyList<string> args, ShellIo io, int line)
    {
        switch (name)
        {
            case ":" or "true":
                return 0;
            case "false":
                return 1;
            case "exit":
                shell.Exit(args.Count > 0 && int.TryParse(args[0], out var exitCode) ? exitCode & 0xFF : shell.LastExitCode);
                return 0;
            case "continue" or "break":
                shell.EndLoopRound(isBreak: name == "break");
                return 0;
            case "set":
                return Set(shell, args, io, line);
            case "export" or "local" or "readonly" or "declare":
                foreach (var arg in args.Where(a => !a.StartsWith('-')))
                {
                    var eq = arg.IndexOf('=');
                    if (eq > 0)
                    {
                        shell.Variables[arg[..eq]] = arg[(eq + 1)..];
                    }
                }

                return 0;
            case "unset":
                foreach (var arg in args.Where(a => !a.StartsWith('-')))
                {
                    shell.Variables.Remove(arg);
                }

                return 0;
            case "cd":
                return await CdAsync(shell, args, io, line);
            case "pwd":
                await io.Out.WriteLineAsync(shell.WorkingDirectory);
                return 0;
            case "echo":
                await io.Out.WriteAsync(Echo(args));
                return 0;
            case "printf":
                return Printf(args, io);
            case "test" or "[" or "[[":
                return TestBuiltin.Evaluate(name, args, shell.Host.Files, shell.WorkingDirectory, io.Err, shell.Dialect.Where(line));
            case "eval":
                return await EvalAsync(shell, string.Join(' ', args), io);
            case "command" when args is ["-v", var program, ..]:
            {
                if (shell.Locate(program) is { } found)
                {
                    await io.Out.WriteLineAsync(found);
                    return 0;
                }

                return 1;
            }

            case "command":
                return args.Count == 0 ? 0 : await shell.RunCommandAsync(args[0], args.Skip(1).ToList(), null, io, line);
            default: // exec: the command takes the shell's place, so the script ends with it.
                if (args.Count == 0)
                {
                    return 0;
                }

                shell.Exit(await shell.RunCommandAsync(args[0], args.Skip(1).ToList(), null, io, line));
                return 0;
        }
    }

    /// <summary>What <c>echo</c> prints: the arguments joined by spaces; <c>-n</c> drops the newline, <c>-e</c> reads escapes.</summary>
    public static string Echo(IReadOnlyList<string> args)
    {
        var newline = true;
        var escapes = false;
        var i = 0;
        for (; i < args.Count && args[i] is "-n" or "-e" or "-ne" or "-en" or "-E"; i++)
        {
            newline &= !args[i].Contains('n', StringComparison.Ordinal);
            escapes |= args[i].Contains('e', StringComparison.Ordinal);
        }

        var text = string.Join(' ', args.Skip(i));
        if (escapes)
        {
            text = text.Replace("\\n", "\n", StringComparison.Ordinal).Replace("\\t", "\t", StringComparison.Ordinal);
        }

        return newline ? text + "\n" : text;
    }

    /// <summary><c>eval</c> runs its arguments as a script in this shell: its variables stay, its <c>exit</c> ends the shell.</summary>
    private static async Task<int> EvalAsync(ShellInterpreter shell, string script, ShellIo io)
    {
        SequenceNode tree;
        try
        {
            tree = ShellParser.Parse(script);
        }
        catch (ShellSyntaxException ex)
        {
            await io.Err.WriteLineAsync(shell.Dialect.SyntaxError(ex.Message));
            return 2;
        }

        return await shell.ExecAsync(tree, io);
    }

    private static async Task<int> CdAsync(ShellInterpreter shell, IReadOnlyList<string> args, ShellIo io, int line)
    {
        var target = args.Count == 0 ? shell.Variables.GetValueOrDefault("HOME", "/") : args[0];
        var path = ShellPaths.Resolve(shell.WorkingDirectory, target);
        bool exists;
        lock (shell.Host.Files.Sync)
        {
            exists = shell.Host.Files.DirectoryExists(path);
        }

        if (!exists)
        {
            await io.Err.WriteLineAsync(shell.Dialect.CannotCd(target, line));
            return shell.Dialect.Flavor is ShellFlavor.Dash ? 2 : 1;
        }

        shell.WorkingDirectory = path;
        shell.Variables["PWD"] = path;
        return 0;
    }

    private static int Set(ShellInterpreter shell, IReadOnlyList<string> args, ShellIo io, int line)
    {
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg.Length < 2 || arg[0] is not ('-' or '+'))
            {
                continue;
            }

            var on = arg[0] == '-';
            foreach (var flag in arg[1..])
            {
                switch (flag)
                {
                    case 'e':
                        shell.ErrExit = on;
                        break;
                    case 'u':
                        shell.NoUnset = on;
                        break;
                    case 'o' when i + 1 < args.Count:
                        ShellInvocation.SetOption(shell, args[++i], on);
                        break;
                    case 'o' or 'x' or 'v':
                        break;
                    default:
                        io.Err.WriteLine($"{shell.Dialect.Where(line)}: set: {arg[0]}{flag}: invalid option");
                        return 2;
                }
            }
        }

        return 0;
    }

    private static int Printf(IReadOnlyList<string> args, ShellIo io)
    {
        if (args.Count == 0)
        {
            io.Err.WriteLine("printf: usage: printf [-v var] format [arguments]");
            return 2;
        }

        var format = args[0].Replace("\\n", "\n", StringComparison.Ordinal).Replace("\\t", "\t", StringComparison.Ordinal);
        var values = new Queue<string>(args.Skip(1));
        io.Out.Write(Regex.Replace(format, "%[sd%]", m => m.Value == "%%" ? "%" : values.Count > 0 ? values.Dequeue() : ""));
        return 0;
    }
}
