using System.Text;
using LabNet.Simulator.Guest.Shell;

namespace LabNet.Simulator.Pods;

/// <summary>
/// <c>sh -c</c> / <c>bash -c</c> inside a container: the guest shell's parser, and a small evaluator for what people
/// type into pods (pipes, <c>&amp;&amp;</c>/<c>||</c>, <c>;</c>, loops, variables, command substitution, redirections).
/// Error messages follow the image's shell: busybox ash, dash or bash.
/// </summary>
internal sealed class PodShell(PodCommandInterpreter interpreter) : IPodCommand
{
    private const int MaxLoopIterations = 100_000;

    public IReadOnlyList<string> Names { get; } = ["sh", "bash", "ash", "dash"];

    public async Task<int> RunAsync(PodCommandCall call)
    {
        var args = call.Args;
        if (args.Count == 0)
        {
            // An interactive shell without a terminal reads commands from stdin.
            return await RunScriptAsync(call, call.Stdin, "");
        }

        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "-c" when i + 1 < args.Count:
                    return await RunScriptAsync(call, args[i + 1], call.Stdin);
                case "-c":
                    await call.Stderr.WriteLineAsync($"{call.Name}: -c: option requires an argument");
                    return 2;
                case "-e" or "-x" or "-l" or "-i" or "-eu" or "-ex":
                    continue;
                default:
                    await call.Stderr.WriteLineAsync($"{call.Name}: can't open '{args[i]}': No such file or directory");
                    return 127;
            }
        }

        return await RunScriptAsync(call, call.Stdin, "");
    }

    private async Task<int> RunScriptAsync(PodCommandCall call, string script, string stdin)
    {
        SequenceNode tree;
        try
        {
            tree = ShellParser.Parse(script);
        }
        catch (ShellSyntaxException e)
        {
            await call.Stderr.WriteLineAsync($"{call.Name}: {e.Message}");
            return 2;
        }

        var state = new State(call, new Dictionary<string, string>(call.Environment, StringComparer.Ordinal));
        try
        {
            return await RunAsync(state, tree, new Io(stdin, call.Stdout, call.Stderr));
        }
        catch (ExitException exit)
        {
            return exit.Code;
        }
    }

    private async Task<int> RunAsync(State state, ShellNode node, Io io)
    {
        state.Call.Cancellation.ThrowIfCancellationRequested();
        switch (node)
        {
            case SequenceNode sequence:
            {
                var code = 0;
                foreach (var item in sequence.Items)
                {
                    code = await RunAsync(state, item, io);
                }

                return code;
            }

            case AndOrNode andOr:
            {
                var code = await RunAsync(state, andOr.First, io);
                foreach (var (op, next) in andOr.Rest)
                {
                    if ((op == "&&" && code == 0) || (op == "||" && code != 0))
                    {
                        code = await RunAsync(state, next, io);
                    }
                }

                return code;
            }

            case PipelineNode pipeline:
            {
                var input = io.Stdin;
                var code = 0;
                for (var i = 0; i < pipeline.Commands.Count; i++)
                {
                    var last = i == pipeline.Commands.Count - 1;
                    var capture = last ? null : new StringWriter();
                    code = await RunAsync(state, pipeline.Commands[i], io with { Stdin = input, Stdout = capture ?? io.Stdout });
                    input = capture?.ToString() ?? "";
                }

                return pipeline.Negated ? (code == 0 ? 1 : 0) : code;
            }

            case GroupNode group:
            {
                var redirected = await RedirectAsync(state, group.Redirections, io);
                if (redirected is null)
                {
                    return 1;
                }

                var inner = group.Subshell ? state with { Variables = new Dictionary<string, string>(state.Variables, StringComparer.Ordinal) } : state;
                try
                {
                    return await RunAsync(inner, group.Body, redirected);
                }
                catch (ExitException exit) when (group.Subshell)
                {
                    return exit.Code;
                }
            }

            case IfNode conditional:
            {
                foreach (var (condition, body) in conditional.Branches)
                {
                    if (await RunAsync(state, condition, io) == 0)
                    {
                        return await RunAsync(state, body, io);
                    }
                }

                return conditional.Else is null ? 0 : await RunAsync(state, conditional.Else, io);
            }

            case ForNode loop:
            {
                var code = 0;
                var items = new List<string>();
                foreach (var word in loop.Items)
                {
                    items.AddRange(await ExpandAsync(state, word));
                }

                foreach (var item in items)
                {
                    state.Variables[loop.Variable] = item;
                    code = await RunAsync(state, loop.Body, io);
                }

                return code;
            }

            case WhileNode loop:
            {
                var code = 0;
                for (var i = 0; i < MaxLoopIterations; i++)
                {
                    var condition = await RunAsync(state, loop.Condition, io);
                    if ((condition == 0) == loop.Until)
                    {
                        return code;
                    }

                    code = await RunAsync(state, loop.Body, io);
                }

                return code;
            }

            case SimpleCommandNode simple:
                return state.LastCode = await RunSimpleAsync(state, simple, io);
        }

        return 0;
    }

    private async Task<int> RunSimpleAsync(State state, SimpleCommandNode command, Io io)
    {
        var words = new List<string>();
        foreach (var word in command.Words)
        {
            words.AddRange(await ExpandAsync(state, word));
        }

        var assignments = new List<(string Name, string Value)>();
        foreach (var (name, value) in command.Assignments)
        {
            assignments.Add((name, string.Join(' ', await ExpandAsync(state, value, split: false))));
        }

        if (words.Count == 0)
        {
            foreach (var (name, value) in assignments)
            {
                state.Variables[name] = value;
            }

            return 0;
        }

        var redirected = await RedirectAsync(state, command.Redirections, io);
        if (redirected is null)
        {
            return 1;
        }

        var env = new Dictionary<string, string>(state.Variables, StringComparer.Ordinal);
        foreach (var (name, value) in assignments)
        {
            env[name] = value;
        }

        var shellName = state.Call.Name;
        switch (words[0])
        {
            case ":" or "true":
                return 0;
            case "false":
                return 1;
            case "exit":
                throw new ExitException(words.Count > 1 && int.TryParse(words[1], out var exitCode) ? exitCode & 0xFF : state.LastCode);
            case "export":
                foreach (var item in words.Skip(1))
                {
                    var eq = item.IndexOf('=');
                    if (eq > 0)
                    {
                        state.Variables[item[..eq]] = item[(eq + 1)..];
                    }
                }

                return 0;
            case "cd":
                return 0;
            case "echo":
                return await EchoCommand.EchoAsync(words.Skip(1).ToList(), redirected.Stdout);
        }

        var program = words[0];
        if (!state.Call.Process.Image.Has(program))
        {
            await redirected.Stderr.WriteLineAsync(NotFound(state.Call, shellName, command.Line, program));
            return 127;
        }

        return await interpreter.RunAsync(new PodCommandCall(state.Call.Process, words, redirected.Stdin, redirected.Stdout, redirected.Stderr, env, state.Call.Cancellation));
    }

    /// <summary>What each shell says for a command it cannot find.</summary>
    private static string NotFound(PodCommandCall call, string shell, int line, string name) => shell switch
    {
        "bash" => $"bash: line {line}: {name}: command not found",
        _ when call.Process.Image.Has("ash") => $"{shell}: {name}: not found",
        _ => $"{shell}: {line}: {name}: not found",
    };

    private async Task<Io?> RedirectAsync(State state, IReadOnlyList<Redirection> redirections, Io io)
    {
        foreach (var redirection in redirections)
        {
            var target = redirection.Target is null ? "" : string.Join(' ', await ExpandAsync(state, redirection.Target, split: false));
            switch (redirection.Operator)
            {
                case "<<" or "<<-":
                    io = io with { Stdin = redirection.HereDocument?.Body ?? "" };
                    break;
                case "<<<":
                    io = io with { Stdin = target + "\n" };
                    break;
                case "<" when target == "/dev/null":
                    io = io with { Stdin = "" };
                    break;
                case "<":
                    if (!state.Files.TryGetValue(target, out var content))
                    {
                        await io.Stderr.WriteLineAsync($"{state.Call.Name}: can't open {target}: no such file");
                        return null;
                    }

                    io = io with { Stdin = content };
                    break;
                case ">&" when target == "1":
                    io = redirection.Fd == 2 ? io with { Stderr = io.Stdout } : io;
                    break;
                case ">&" when target == "2":
                    io = redirection.Fd == 1 ? io with { Stdout = io.Stderr } : io;
                    break;
                case ">" or ">>" or ">|" or "&>" or ">&":
                {
                    TextWriter writer = target == "/dev/null" ? TextWriter.Null : new FileWriter(state.Files, target, redirection.Operator == ">>");
                    if (redirection.Operator is "&>" or ">&")
                    {
                        io = io with { Stdout = writer, Stderr = writer };
                    }
                    else if (redirection.Fd == 2)
                    {
                        io = io with { Stderr = writer };
                    }
                    else
                    {
                        io = io with { Stdout = writer };
                    }

                    break;
                }
            }
        }

        return io;
    }

    private async Task<List<string>> ExpandAsync(State state, ShellWord word, bool split = true)
    {
        var fields = new List<string>();
        var current = new StringBuilder();
        var hasText = false;

        void AddSplit(string value)
        {
            var pieces = value.Split([' ', '\t', '\n'], StringSplitOptions.None);
            for (var i = 0; i < pieces.Length; i++)
            {
                if (i > 0 && (hasText || current.Length > 0))
                {
                    fields.Add(current.ToString());
                    current.Clear();
                    hasText = false;
                }

                if (pieces[i].Length > 0)
                {
                    current.Append(pieces[i]);
                    hasText = true;
                }
            }
        }

        foreach (var part in word.Parts)
        {
            string value;
            switch (part)
            {
                case LiteralPart literal:
                    current.Append(literal.Text);
                    hasText = true;
                    continue;
                case ParameterPart parameter:
                    value = parameter.Name switch
                    {
                        "?" => state.LastCode.ToString(System.Globalization.CultureInfo.InvariantCulture),
                        "$" => "1",
                        "#" => "0",
                        _ => state.Variables.TryGetValue(parameter.Name, out var v) && v.Length > 0 ? v : parameter.Default ?? (state.Variables.GetValueOrDefault(parameter.Name) ?? ""),
                    };
                    break;
                case CommandSubstitutionPart substitution:
                {
                    var output = new StringWriter();
                    try
                    {
                        state.LastCode = await RunAsync(state with { }, ShellParser.Parse(substitution.Script), new Io("", output, state.Call.Stderr));
                    }
                    catch (ShellSyntaxException e)
                    {
                        await state.Call.Stderr.WriteLineAsync($"{state.Call.Name}: {e.Message}");
                    }

                    value = output.ToString().TrimEnd('\n');
                    break;
                }

                default:
                    continue;
            }

            if (part.Quoted || !split)
            {
                current.Append(value);
                hasText = true;
            }
            else
            {
                AddSplit(value);
            }
        }

        if (hasText || current.Length > 0)
        {
            fields.Add(current.ToString());
        }

        return fields;
    }

    private sealed record State(PodCommandCall Call, Dictionary<string, string> Variables)
    {
        public int LastCode { get; set; }

        /// <summary>Files written by redirections during this shell's run (the container's writable layer, for this process).</summary>
        public Dictionary<string, string> Files { get; init; } = new(StringComparer.Ordinal);
    }

    private sealed record Io(string Stdin, TextWriter Stdout, TextWriter Stderr);

    private sealed class ExitException(int code) : Exception
    {
        public int Code { get; } = code;
    }

    private sealed class FileWriter(Dictionary<string, string> files, string path, bool append) : StringWriter
    {
        private bool _started;

        public override void Write(char value)
        {
            Start();
            base.Write(value);
            files[path] = ToString();
        }

        public override void Write(string? value)
        {
            Start();
            base.Write(value);
            files[path] = ToString();
        }

        private void Start()
        {
            if (_started)
            {
                return;
            }

            _started = true;
            if (append && files.TryGetValue(path, out var existing))
            {
                base.Write(existing);
            }
        }
    }
}
