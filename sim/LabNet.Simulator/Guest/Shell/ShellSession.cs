using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using LabNet.Simulator.Clock;
using LabNet.Simulator.Host;

namespace LabNet.Simulator.Guest.Shell;

/// <summary>
/// A bash process inside a guest: its variables, working directory, options (<c>set -e</c>, <c>pipefail</c>,
/// <c>-u</c>) and whether it runs as root. Runs parsed scripts; programs come from <see cref="GuestCommandRegistry"/>.
/// </summary>
public sealed class ShellSession
{
    private readonly GuestCommandRegistry _commands;
    private int _suppressErrExit;
    private bool _finalOfAndOrRan;

    public ShellSession(TartVm vm, MacHost host, GuestCommandRegistry commands, SimulationClock clock, bool isRoot, CancellationToken cancellation)
    {
        Vm = vm;
        Host = host;
        _commands = commands;
        Clock = clock;
        IsRoot = isRoot;
        Cancellation = cancellation;
        var home = isRoot ? "/root" : GuestOs.AdminHome;
        Variables["HOME"] = home;
        Variables["USER"] = isRoot ? "root" : host.Options.GuestUser;
        Variables["LOGNAME"] = Variables["USER"];
        Variables["PATH"] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
        Variables["SHELL"] = "/bin/bash";
        Variables["IFS"] = " \t\n";
        WorkingDirectory = home;
    }

    private ShellSession(ShellSession parent, bool isRoot)
        : this(parent.Vm, parent.Host, parent._commands, parent.Clock, isRoot, parent.Cancellation)
    {
        foreach (var (key, value) in parent.Variables)
        {
            if (key is not ("HOME" or "USER" or "LOGNAME") || isRoot == parent.IsRoot)
            {
                Variables[key] = value;
            }
        }

        WorkingDirectory = isRoot == parent.IsRoot ? parent.WorkingDirectory : Variables["HOME"];
    }

    public TartVm Vm { get; }

    public GuestOs Guest => Vm.Guest;

    public MacHost Host { get; }

    public SimulationClock Clock { get; }

    public ModeledDurations Durations => Host.Durations;

    public bool IsRoot { get; }

    public CancellationToken Cancellation { get; }

    public Dictionary<string, string> Variables { get; } = new(StringComparer.Ordinal);

    public string WorkingDirectory { get; set; }

    public bool ErrExit { get; set; }

    public bool PipeFail { get; set; }

    public bool NoUnset { get; set; }

    public int LastExitCode { get; private set; }

    /// <summary>A child bash: same variables (exported or not: the twin does not tell them apart), optionally as root.</summary>
    public ShellSession Fork(bool? asRoot = null) => new(this, asRoot ?? IsRoot);

    /// <summary>Runs a script as <c>bash</c> would (<c>bash -c</c> or <c>bash -s</c>) and returns its exit status.</summary>
    public async Task<int> RunScriptAsync(string script, string stdin, TextWriter stdout, TextWriter stderr)
    {
        SequenceNode tree;
        try
        {
            tree = ShellParser.Parse(script);
        }
        catch (ShellSyntaxException ex)
        {
            await stderr.WriteLineAsync($"bash: {ex.Message}");
            return 2;
        }

        try
        {
            return LastExitCode = await ExecAsync(tree, new Io(stdin, stdout, stderr));
        }
        catch (ShellExit exit)
        {
            return LastExitCode = exit.Code;
        }
        catch (LoopControl)
        {
            return LastExitCode = 0;
        }
    }

    /// <summary>The error prefix bash uses for a script read from -c or stdin.</summary>
    public static string Where(int line) => $"bash: line {line}";

    private sealed record Io(string Stdin, TextWriter Out, TextWriter Err);

    private sealed class ShellExit(int code) : Exception
    {
        public int Code { get; } = code;
    }

    private sealed class LoopControl(bool isBreak) : Exception
    {
        public bool IsBreak { get; } = isBreak;
    }

    private void CheckErrExit(int code)
    {
        if (code != 0 && ErrExit && _suppressErrExit == 0)
        {
            throw new ShellExit(code);
        }
    }

    private async Task<int> ExecAsync(ShellNode node, Io io)
    {
        Cancellation.ThrowIfCancellationRequested();
        switch (node)
        {
            case SequenceNode sequence:
            {
                var code = 0;
                foreach (var item in sequence.Items)
                {
                    _finalOfAndOrRan = true;
                    code = await ExecAsync(item, io);
                    LastExitCode = code;
                    if (item is not AndOrNode || _finalOfAndOrRan)
                    {
                        CheckErrExit(code);
                    }
                }

                return code;
            }

            case AndOrNode andOr:
            {
                _suppressErrExit++;
                int code;
                try
                {
                    code = await ExecAsync(andOr.First, io);
                }
                finally
                {
                    _suppressErrExit--;
                }

                LastExitCode = code;
                var finalRan = andOr.Rest.Count == 0;
                for (var i = 0; i < andOr.Rest.Count; i++)
                {
                    var (op, next) = andOr.Rest[i];
                    if ((op == "&&" && code != 0) || (op == "||" && code == 0))
                    {
                        continue;
                    }

                    var isLast = i == andOr.Rest.Count - 1;
                    if (!isLast)
                    {
                        _suppressErrExit++;
                    }

                    try
                    {
                        code = await ExecAsync(next, io);
                    }
                    finally
                    {
                        if (!isLast)
                        {
                            _suppressErrExit--;
                        }
                    }

                    LastExitCode = code;
                    finalRan = isLast;
                }

                _finalOfAndOrRan = finalRan;
                return code;
            }

            case PipelineNode pipeline:
            {
                if (pipeline.Negated)
                {
                    _suppressErrExit++;
                }

                try
                {
                    var input = io.Stdin;
                    var codes = new List<int>();
                    for (var i = 0; i < pipeline.Commands.Count; i++)
                    {
                        var last = i == pipeline.Commands.Count - 1;
                        var capture = last ? null : new StringWriter();
                        _suppressErrExit++;
                        try
                        {
                            codes.Add(await ExecAsync(pipeline.Commands[i], new Io(input, capture ?? io.Out, io.Err)));
                        }
                        finally
                        {
                            _suppressErrExit--;
                        }

                        input = capture?.ToString() ?? "";
                    }

                    var code = PipeFail ? codes.LastOrDefault(c => c != 0) : codes[^1];
                    return pipeline.Negated ? (code == 0 ? 1 : 0) : code;
                }
                finally
                {
                    if (pipeline.Negated)
                    {
                        _suppressErrExit--;
                    }
                }
            }

            case IfNode ifNode:
            {
                foreach (var (condition, body) in ifNode.Branches)
                {
                    int test;
                    _suppressErrExit++;
                    try
                    {
                        test = await ExecAsync(condition, io);
                    }
                    finally
                    {
                        _suppressErrExit--;
                    }

                    if (test == 0)
                    {
                        return await ExecAsync(body, io);
                    }
                }

                return ifNode.Else is null ? 0 : await ExecAsync(ifNode.Else, io);
            }

            case ForNode forNode:
            {
                var items = await ExpandWordsAsync(forNode.Items, io);
                var code = 0;
                foreach (var item in items)
                {
                    Variables[forNode.Variable] = item;
                    try
                    {
                        code = await ExecAsync(forNode.Body, io);
                    }
                    catch (LoopControl control)
                    {
                        if (control.IsBreak)
                        {
                            break;
                        }
                    }
                }

                return code;
            }

            case WhileNode whileNode:
            {
                var code = 0;
                for (var guard = 0; guard < 10_000; guard++)
                {
                    int test;
                    _suppressErrExit++;
                    try
                    {
                        test = await ExecAsync(whileNode.Condition, io);
                    }
                    finally
                    {
                        _suppressErrExit--;
                    }

                    if ((test == 0) == whileNode.Until)
                    {
                        break;
                    }

                    try
                    {
                        code = await ExecAsync(whileNode.Body, io);
                    }
                    catch (LoopControl control)
                    {
                        if (control.IsBreak)
                        {
                            break;
                        }
                    }
                }

                return code;
            }

            case GroupNode group:
            {
                var redirected = await RedirectAsync(group.Redirections, io, group.Line);
                if (redirected is null)
                {
                    return 1;
                }

                int code;
                if (group.Subshell)
                {
                    var child = Fork();
                    child.ErrExit = ErrExit;
                    child.PipeFail = PipeFail;
                    try
                    {
                        code = await child.ExecAsync(group.Body, redirected.Io);
                    }
                    catch (ShellExit exit)
                    {
                        code = exit.Code;
                    }
                }
                else
                {
                    code = await ExecAsync(group.Body, redirected.Io);
                }

                redirected.Commit();
                return code;
            }

            case SimpleCommandNode command:
                return await ExecSimpleAsync(command, io);

            default:
                throw new InvalidOperationException($"Unknown shell node {node.GetType().Name}");
        }
    }

    private async Task<int> ExecSimpleAsync(SimpleCommandNode command, Io io)
    {
        var fields = await ExpandWordsAsync(command.Words, io);
        var values = new List<(string, string)>();
        foreach (var (name, value) in command.Assignments)
        {
            values.Add((name, await ExpandSingleAsync(value, io)));
        }

        if (fields.Count == 0)
        {
            foreach (var (name, value) in values)
            {
                Variables[name] = value;
            }

            var onlyRedirect = await RedirectAsync(command.Redirections, io, command.Line);
            onlyRedirect?.Commit();
            return onlyRedirect is null ? 1 : LastExitCode;
        }

        foreach (var (name, value) in values)
        {
            Variables[name] = value;
        }

        var redirected = await RedirectAsync(command.Redirections, io, command.Line);
        if (redirected is null)
        {
            return 1;
        }

        var code = await RunCommandAsync(fields[0], fields.Skip(1).ToList(), redirected.Io, command.Line);
        redirected.Commit();
        return code;
    }

    /// <summary>Runs one program or builtin by name, as a simple command would.</summary>
    public async Task<int> RunCommandAsync(string name, IReadOnlyList<string> args, string stdin, TextWriter stdout, TextWriter stderr, int line) =>
        await RunCommandAsync(name, args, new Io(stdin, stdout, stderr), line);

    private async Task<int> RunCommandAsync(string name, IReadOnlyList<string> args, Io io, int line)
    {
        switch (name)
        {
            case ":" or "true":
                return 0;
            case "false":
                return 1;
            case "exit":
                throw new ShellExit(args.Count > 0 && int.TryParse(args[0], out var exitCode) ? exitCode & 0xFF : LastExitCode);
            case "continue":
                throw new LoopControl(false);
            case "break":
                throw new LoopControl(true);
            case "set":
                return Set(args, io, line);
            case "export" or "local" or "readonly" or "declare":
                foreach (var arg in args.Where(a => !a.StartsWith('-')))
                {
                    var eq = arg.IndexOf('=');
                    if (eq > 0)
                    {
                        Variables[arg[..eq]] = arg[(eq + 1)..];
                    }
                }

                return 0;
            case "unset":
                foreach (var arg in args.Where(a => !a.StartsWith('-')))
                {
                    Variables.Remove(arg);
                }

                return 0;
            case "cd":
            {
                var target = args.Count == 0 ? Variables["HOME"] : args[0];
                var path = GuestOs.Normalize(target.StartsWith('/') ? target : WorkingDirectory + "/" + target);
                if (!Guest.DirectoryExists(path))
                {
                    await io.Err.WriteLineAsync($"{Where(line)}: cd: {target}: No such file or directory");
                    return 1;
                }

                WorkingDirectory = path;
                return 0;
            }

            case "echo":
                return Echo(args, io);
            case "printf":
                return Printf(args, io);
            case "test" or "[" or "[[":
                return TestCommand.Evaluate(name, args, this, io.Err, line);
            case "eval":
                return await Fork().RunScriptAsync(string.Join(' ', args), io.Stdin, io.Out, io.Err);
            case "command":
                if (args.Count >= 2 && args[0] == "-v")
                {
                    var known = IsKnown(args[1]);
                    if (known)
                    {
                        await io.Out.WriteLineAsync(IsBuiltin(args[1]) ? args[1] : "/usr/bin/" + args[1]);
                    }

                    return known ? 0 : 1;
                }

                return args.Count == 0 ? 0 : await RunCommandAsync(args[0], args.Skip(1).ToList(), io, line);
            case "exec":
                return args.Count == 0 ? 0 : await RunCommandAsync(args[0], args.Skip(1).ToList(), io, line);
            case "bash" or "sh":
                return await RunShellCommandAsync(name, args, io, line);
            case "sudo":
                return await SudoAsync(args, io, line);
        }

        var program = name.Contains('/') ? name[(name.LastIndexOf('/') + 1)..] : name;
        if (_commands.Find(program) is { } command && Guest.HasCommand(program))
        {
            return await command.RunAsync(new CommandCall(program, args, io.Stdin, io.Out, io.Err, this));
        }

        await io.Err.WriteLineAsync(name.Contains('/')
            ? $"{Where(line)}: {name}: No such file or directory"
            : $"{Where(line)}: {name}: command not found");
        return 127;
    }

    private static bool IsBuiltin(string name) =>
        name is ":" or "true" or "false" or "exit" or "continue" or "break" or "set" or "export" or "local" or "readonly"
            or "declare" or "unset" or "cd" or "echo" or "printf" or "test" or "[" or "[[" or "eval" or "command" or "exec";

    private bool IsKnown(string name) =>
        IsBuiltin(name) || name is "bash" or "sh" or "sudo" || (_commands.Find(name) is not null && Guest.HasCommand(name));

    private int Set(IReadOnlyList<string> args, Io io, int line)
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
                        ErrExit = on;
                        break;
                    case 'u':
                        NoUnset = on;
                        break;
                    case 'o':
                        if (i + 1 < args.Count)
                        {
                            var option = args[++i];
                            if (option == "pipefail")
                            {
                                PipeFail = on;
                            }
                            else if (option == "errexit")
                            {
                                ErrExit = on;
                            }
                            else if (option == "nounset")
                            {
                                NoUnset = on;
                            }
                        }

                        break;
                    case 'x' or 'v':
                        break;
                    default:
                        io.Err.WriteLine($"{Where(line)}: set: {arg[0]}{flag}: invalid option");
                        return 2;
                }
            }
        }

        return 0;
    }

    private static int Echo(IReadOnlyList<string> args, Io io)
    {
        var newline = true;
        var escapes = false;
        var i = 0;
        while (i < args.Count && args[i] is "-n" or "-e" or "-ne" or "-en" or "-E")
        {
            newline &= !args[i].Contains('n');
            escapes |= args[i].Contains('e');
            i++;
        }

        var text = string.Join(' ', args.Skip(i));
        if (escapes)
        {
            text = text.Replace("\\n", "\n").Replace("\\t", "\t");
        }

        io.Out.Write(newline ? text + "\n" : text);
        return 0;
    }

    private static int Printf(IReadOnlyList<string> args, Io io)
    {
        if (args.Count == 0)
        {
            io.Err.WriteLine("printf: usage: printf [-v var] format [arguments]");
            return 2;
        }

        var format = args[0].Replace("\\n", "\n").Replace("\\t", "\t");
        var values = new Queue<string>(args.Skip(1));
        var result = Regex.Replace(format, "%[sd%]", m => m.Value == "%%" ? "%" : values.Count > 0 ? values.Dequeue() : "");
        io.Out.Write(result);
        return 0;
    }

    private async Task<int> RunShellCommandAsync(string name, IReadOnlyList<string> args, Io io, int line)
    {
        var child = Fork();
        string? script = null;
        var fromStdin = false;
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "-c" when i + 1 < args.Count:
                    script = args[++i];
                    i = args.Count;
                    break;
                case "-s":
                    fromStdin = true;
                    break;
                case "-e":
                    child.ErrExit = true;
                    break;
                case "-x" or "-l" or "-i" or "--login" or "--norc" or "--noprofile":
                    break;
                case "-o" when i + 1 < args.Count:
                    if (args[++i] == "pipefail")
                    {
                        child.PipeFail = true;
                    }

                    break;
                case "-eo" or "-euo" when i + 1 < args.Count:
                    child.ErrExit = true;
                    child.NoUnset = args[i] == "-euo";
                    child.PipeFail = args[++i] == "pipefail";
                    break;
                default:
                    if (!args[i].StartsWith('-') && script is null && !fromStdin)
                    {
                        var path = GuestOs.Normalize(args[i].StartsWith('/') ? args[i] : WorkingDirectory + "/" + args[i]);
                        var content = Guest.ReadFile(path);
                        if (content is null)
                        {
                            await io.Err.WriteLineAsync($"{name}: {args[i]}: No such file or directory");
                            return 127;
                        }

                        script = content;
                        i = args.Count;
                    }

                    break;
            }
        }

        if (script is not null)
        {
            return await child.RunScriptAsync(script, io.Stdin, io.Out, io.Err);
        }

        // bash -s (or bare bash with a script piped in): the script is stdin.
        return await child.RunScriptAsync(io.Stdin, "", io.Out, io.Err);
    }

    private async Task<int> SudoAsync(IReadOnlyList<string> args, Io io, int line)
    {
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
            await io.Err.WriteLineAsync("usage: sudo -h | -K | -k | -V\nusage: sudo -v [-ABkNnS] [-g group] [-h host] [-p prompt] [-u user]");
            return 1;
        }

        // cirruslabs images give admin passwordless sudo.
        var root = Fork(asRoot: true);
        var name = args[i];
        var rest = args.Skip(i + 1).ToList();
        if (!root.IsKnown(name) && !name.Contains('/'))
        {
            await io.Err.WriteLineAsync($"sudo: {name}: command not found");
            return 1;
        }

        return await root.RunCommandAsync(name, rest, io, line);
    }

    // ---------------------------------------------------------------- redirections

    private sealed class Redirected(Io io, List<(string Path, StringWriter Content, bool Append)> files, GuestOs guest)
    {
        public Io Io { get; } = io;

        public void Commit()
        {
            foreach (var (path, content, append) in files)
            {
                var text = content.ToString();
                lock (guest.Sync)
                {
                    guest.WriteFile(path, append ? (guest.ReadFile(path) ?? "") + text : text);
                }
            }
        }
    }

    private async Task<Redirected?> RedirectAsync(IReadOnlyList<Redirection> redirections, Io io, int line)
    {
        var files = new List<(string, StringWriter, bool)>();
        var stdin = io.Stdin;
        var writers = new Dictionary<int, TextWriter> { [1] = io.Out, [2] = io.Err };
        foreach (var redirection in redirections)
        {
            if (redirection.HereDocument is { } doc)
            {
                stdin = doc.Expand ? await ExpandSingleAsync(ShellParser.ParseHereDocumentBody(doc.Body), io) : doc.Body;
                continue;
            }

            var target = redirection.Target is null ? "" : await ExpandSingleAsync(redirection.Target, io);
            switch (redirection.Operator)
            {
                case "<<<":
                    stdin = target + "\n";
                    break;
                case "<":
                {
                    var path = PathOf(target);
                    var content = path == "/dev/null" ? "" : Guest.ReadFile(path);
                    if (content is null)
                    {
                        await io.Err.WriteLineAsync($"{Where(line)}: {target}: No such file or directory");
                        return null;
                    }

                    stdin = content;
                    break;
                }

                case ">&" when int.TryParse(target, out var other):
                    writers[redirection.Fd] = writers.GetValueOrDefault(other, io.Out);
                    break;
                case ">" or ">>" or ">|" or "&>" or ">&":
                {
                    var path = PathOf(target);
                    TextWriter writer;
                    if (path == "/dev/null")
                    {
                        writer = TextWriter.Null;
                    }
                    else if (path == "/dev/stderr")
                    {
                        writer = io.Err;
                    }
                    else if (path == "/dev/stdout")
                    {
                        writer = io.Out;
                    }
                    else
                    {
                        if (!Guest.ParentExists(path))
                        {
                            await io.Err.WriteLineAsync($"{Where(line)}: {target}: No such file or directory");
                            return null;
                        }

                        if (!CanWrite(path))
                        {
                            await io.Err.WriteLineAsync($"{Where(line)}: {target}: Permission denied");
                            return null;
                        }

                        var capture = new StringWriter();
                        files.Add((path, capture, redirection.Operator == ">>"));
                        writer = capture;
                    }

                    if (redirection.Operator is "&>" || (redirection.Operator == ">&" && redirection.Fd == 1))
                    {
                        writers[1] = writer;
                        writers[2] = writer;
                    }
                    else
                    {
                        writers[redirection.Fd] = writer;
                    }

                    break;
                }
            }
        }

        return new Redirected(new Io(stdin, writers[1], writers[2]), files, Guest);
    }

    public string PathOf(string path) => GuestOs.Normalize(path.StartsWith('/') ? path : WorkingDirectory + "/" + path);

    /// <summary>A user who is not root may only write under their home and /tmp.</summary>
    public bool CanWrite(string path) =>
        IsRoot || path.StartsWith(GuestOs.AdminHome + "/", StringComparison.Ordinal) || path.StartsWith("/tmp/", StringComparison.Ordinal);

    /// <summary>Files only root may read: kubeconfigs and private keys that kubeadm writes 0600.</summary>
    public bool CanRead(string path) =>
        IsRoot || !(path.StartsWith("/etc/kubernetes/", StringComparison.Ordinal) &&
                    (path.EndsWith(".conf", StringComparison.Ordinal) || path.EndsWith(".key", StringComparison.Ordinal)));

    // ---------------------------------------------------------------- expansion

    private sealed class Field
    {
        public StringBuilder Text { get; } = new();

        public StringBuilder Pattern { get; } = new();

        public bool HasGlob { get; set; }

        public bool Touched { get; set; }

        public void Append(string text, bool quoted)
        {
            Touched = true;
            Text.Append(text);
            foreach (var c in text)
            {
                if (!quoted && c is '*' or '?')
                {
                    HasGlob = true;
                    Pattern.Append(c == '*' ? "[^/]*" : "[^/]");
                }
                else
                {
                    Pattern.Append(Regex.Escape(c.ToString()));
                }
            }
        }
    }

    private async Task<string> ExpandSingleAsync(ShellWord word, Io io)
    {
        var sb = new StringBuilder();
        foreach (var part in word.Parts)
        {
            sb.Append(await ValueOfAsync(part, io, isFirst: sb.Length == 0));
        }

        return sb.ToString();
    }

    private async Task<string> ValueOfAsync(WordPart part, Io io, bool isFirst)
    {
        switch (part)
        {
            case LiteralPart literal:
                if (!literal.Quoted && isFirst && (literal.Text == "~" || literal.Text.StartsWith("~/", StringComparison.Ordinal)))
                {
                    return Variables["HOME"] + literal.Text[1..];
                }

                return literal.Text;
            case ParameterPart parameter:
                return Parameter(parameter, io);
            case CommandSubstitutionPart substitution:
            {
                var output = new StringWriter();
                var child = Fork();
                LastExitCode = await child.RunScriptAsync(substitution.Script, "", output, io.Err);
                return output.ToString().TrimEnd('\n');
            }

            default:
                return "";
        }
    }

    private string Parameter(ParameterPart parameter, Io io)
    {
        var value = parameter.Name switch
        {
            "?" => LastExitCode.ToString(CultureInfo.InvariantCulture),
            "$" => "4242",
            "#" => "0",
            "@" or "*" => "",
            _ when char.IsAsciiDigit(parameter.Name[0]) => parameter.Name == "0" ? "bash" : "",
            _ => Variables.GetValueOrDefault(parameter.Name),
        };

        if (string.IsNullOrEmpty(value) && parameter.Default is not null)
        {
            return parameter.Default;
        }

        if (value is null && NoUnset)
        {
            io.Err.WriteLine($"bash: {parameter.Name}: unbound variable");
            throw new ShellExit(1);
        }

        return value ?? "";
    }

    private async Task<List<string>> ExpandWordsAsync(IEnumerable<ShellWord> words, Io io)
    {
        var result = new List<string>();
        foreach (var word in words)
        {
            var fields = new List<Field>();
            var current = new Field();
            var first = true;
            foreach (var part in word.Parts)
            {
                var value = await ValueOfAsync(part, io, first);
                first = false;
                if (part.Quoted || part is LiteralPart)
                {
                    current.Append(value, part.Quoted);
                    continue;
                }

                // Unquoted expansion: split on whitespace.
                var pieces = value.Split([' ', '\t', '\n'], StringSplitOptions.None);
                for (var i = 0; i < pieces.Length; i++)
                {
                    if (i > 0)
                    {
                        if (current.Touched)
                        {
                            fields.Add(current);
                        }

                        current = new Field();
                    }

                    if (pieces[i].Length > 0)
                    {
                        current.Append(pieces[i], false);
                    }
                }
            }

            if (current.Touched)
            {
                fields.Add(current);
            }

            foreach (var field in fields)
            {
                if (field.HasGlob && Glob(field) is { Count: > 0 } matches)
                {
                    result.AddRange(matches);
                }
                else
                {
                    result.Add(field.Text.ToString());
                }
            }
        }

        return result;
    }

    private List<string> Glob(Field field)
    {
        var pattern = field.Pattern.ToString();
        var relative = !field.Text.ToString().StartsWith('/');
        var prefix = relative ? Regex.Escape(WorkingDirectory.TrimEnd('/') + "/") : "";
        var regex = new Regex("^" + prefix + pattern + "$");
        lock (Guest.Sync)
        {
            return Guest.AllPaths
                .Where(p => regex.IsMatch(p))
                .Order(StringComparer.Ordinal)
                .Select(p => relative ? p[(WorkingDirectory.TrimEnd('/').Length + 1)..] : p)
                .ToList();
        }
    }
}
