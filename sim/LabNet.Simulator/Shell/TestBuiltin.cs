namespace LabNet.Simulator.Shell;

/// <summary><c>test</c>, <c>[ ]</c> and <c>[[ ]]</c> for the tests scripts use: files, strings, integers, <c>!</c>, <c>-a</c>/<c>-o</c>.</summary>
public static class TestBuiltin
{
    /// <summary>Evaluates the expression; 0 true, 1 false, 2 (after an error prefixed by <paramref name="where"/>) malformed.</summary>
    public static int Evaluate(string name, IReadOnlyList<string> args, IShellFileSystem files, string workingDirectory, TextWriter error, string where)
    {
        var list = args.ToList();
        if (name is "[" or "[[")
        {
            var closing = name == "[" ? "]" : "]]";
            if (list.Count == 0 || list[^1] != closing)
            {
                error.WriteLine($"{where}: {name}: missing `{closing}'");
                return 2;
            }

            list.RemoveAt(list.Count - 1);
        }

        try
        {
            var position = 0;
            var result = Or(list, ref position, new Context(files, workingDirectory));
            return result ? 0 : 1;
        }
        catch (FormatException ex)
        {
            error.WriteLine($"{where}: {name}: {ex.Message}");
            return 2;
        }
    }

    private static bool Or(List<string> args, ref int i, Context context)
    {
        var value = And(args, ref i, context);
        while (i < args.Count && args[i] is "-o" or "||")
        {
            i++;
            value = And(args, ref i, context) || value;
        }

        return value;
    }

    private static bool And(List<string> args, ref int i, Context context)
    {
        var value = Unary(args, ref i, context);
        while (i < args.Count && args[i] is "-a" or "&&")
        {
            i++;
            value = Unary(args, ref i, context) && value;
        }

        return value;
    }

    private static bool Unary(List<string> args, ref int i, Context context)
    {
        if (i >= args.Count)
        {
            return false;
        }

        if (args[i] == "!")
        {
            i++;
            return !Unary(args, ref i, context);
        }

        if (i + 2 < args.Count && IsBinary(args[i + 1]))
        {
            var (left, op, right) = (args[i], args[i + 1], args[i + 2]);
            i += 3;
            return Binary(left, op, right);
        }

        if (args[i].Length == 2 && args[i][0] == '-' && i + 1 < args.Count)
        {
            var (op, operand) = (args[i], args[i + 1]);
            i += 2;
            var path = ShellPaths.Resolve(context.WorkingDirectory, operand);
            var files = context.Files;
            lock (files.Sync)
            {
                return op switch
                {
                    "-f" => files.FileExists(path),
                    "-d" => files.DirectoryExists(path),
                    "-e" or "-a" => files.Exists(path),
                    "-s" => (files.ReadFile(path) ?? "").Length > 0,
                    "-r" or "-w" => files.Exists(path) && files.CanRead(path),
                    "-x" => files.Exists(path),
                    "-n" => operand.Length > 0,
                    "-z" => operand.Length == 0,
                    _ => throw new FormatException($"{op}: unary operator expected"),
                };
            }
        }

        return args[i++].Length > 0;
    }

    private static bool IsBinary(string op) => op is "=" or "==" or "!=" or "-eq" or "-ne" or "-lt" or "-le" or "-gt" or "-ge";

    private static bool Binary(string left, string op, string right)
    {
        if (op is "=" or "==")
        {
            return left == right;
        }

        if (op == "!=")
        {
            return left != right;
        }

        if (!long.TryParse(left.Trim(), out var l))
        {
            throw new FormatException($"{left}: integer expression expected");
        }

        if (!long.TryParse(right.Trim(), out var r))
        {
            throw new FormatException($"{right}: integer expression expected");
        }

        return op switch
        {
            "-eq" => l == r,
            "-ne" => l != r,
            "-lt" => l < r,
            "-le" => l <= r,
            "-gt" => l > r,
            _ => l >= r,
        };
    }

    private sealed record Context(IShellFileSystem Files, string WorkingDirectory);
}
