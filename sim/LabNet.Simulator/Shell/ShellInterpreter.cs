namespace LabNet.Simulator.Shell;

/// <summary>
/// A shell process: its variables, working directory and options (<c>set -e</c>, <c>-o pipefail</c>, <c>-u</c>), on a
/// machine (<see cref="IShellHost"/>). Runs parsed scripts: lists, pipelines, <c>&amp;&amp;</c>/<c>||</c>, <c>if</c>,
/// <c>for</c>, <c>while</c>/<c>until</c>, groups and subshells, with redirections; simple commands are builtins
/// (<see cref="ShellBuiltins"/>), shells (<see cref="ShellInvocation"/>) or the host's programs. A command that is none
/// of these fails with the dialect's "not found" and status 127.
/// </summary>
public sealed class ShellInterpreter
{
    /// <summary>Loops end after this many rounds: a script that never ends must not hang the twin.</summary>
    private const int MaxLoopIterations = 100_000;

    private int _suppressErrExit;
    private bool _finalOfAndOrRan;

    public ShellInterpreter(IShellHost host, ShellDialect dialect, IReadOnlyDictionary<string, string>? variables = null, string? workingDirectory = null)
    {
        Host = host;
        Dialect = dialect;
        foreach (var (name, value) in variables ?? host.Environment)
        {
            Variables[name] = value;
        }

        WorkingDirectory = workingDirectory ?? host.WorkingDirectory;
        Expander = new WordExpander(this);
    }

    public IShellHost Host { get; }

    public ShellDialect Dialect { get; }

    public Dictionary<string, string> Variables { get; } = new(StringComparer.Ordinal);

    public string WorkingDirectory { get; set; }

    public bool ErrExit { get; set; }

    public bool PipeFail { get; set; }

    public bool NoUnset { get; set; }

    public int LastExitCode { get; internal set; }

    /// <summary>The script ran <c>exit</c> (an interactive session ends).</summary>
    public bool Exited { get; private set; }

    internal WordExpander Expander { get; }

    /// <summary>
    /// A child shell for a command substitution: a copy of the variables, the working directory and <c>$?</c>, without
    /// the options (bash does not pass <c>set -e</c> into <c>$(...)</c>).
    /// </summary>
    public ShellInterpreter Fork() => new(Host, Dialect, Variables, WorkingDirectory) { LastExitCode = LastExitCode };

    /// <summary>A subshell, <c>( ... )</c>: a copy of everything, options included.</summary>
    private ShellInterpreter Subshell()
    {
        var child = Fork();
        child.ErrExit = ErrExit;
        child.PipeFail = PipeFail;
        child.NoUnset = NoUnset;
        return child;
    }

    /// <summary>Runs a script as <c>sh -c</c> does (or a line typed at a prompt) and returns its exit status.</summary>
    public async Task<int> RunScriptAsync(string script, string stdin, TextWriter stdout, TextWriter stderr)
    {
        SequenceNode tree;
        try
        {
            tree = ShellParser.Parse(script);
        }
        catch (ShellSyntaxException ex)
        {
            await stderr.WriteLineAsync(Dialect.SyntaxError(ex.Message));
            return LastExitCode = 2;
        }

        return await RunAsync(tree, new ShellIo(stdin, stdout, stderr));
    }

    /// <summary>Runs one command by name (a builtin, a shell or a program) as a simple command would.</summary>
    public async Task<int> RunCommandAsync(string name, IReadOnlyList<string> args, string stdin, TextWriter stdout, TextWriter stderr, int line = 1)
    {
        try
        {
            return LastExitCode = await RunCommandAsync(name, args, null, new ShellIo(stdin, stdout, stderr), line);
        }
        catch (ShellExit exit)
        {
            Exited = true;
            return LastExitCode = exit.Code;
        }
        catch (LoopControl)
        {
            return LastExitCode = 0;
        }
    }

    internal async Task<int> RunAsync(ShellNode tree, ShellIo io)
    {
        try
        {
            return LastExitCode = await ExecAsync(tree, io);
        }
        catch (ShellExit exit)
        {
            Exited = true;
            return LastExitCode = exit.Code;
        }
        catch (LoopControl)
        {
            return LastExitCode = 0;
        }
    }

    private void CheckErrExit(int code)
    {
        if (code != 0 && ErrExit && _suppressErrExit == 0)
        {
            throw new ShellExit(code);
        }
    }

    /// <summary>Runs <paramref name="node"/> where a failure does not end a <c>set -e</c> script (conditions, all but the last of an and-or list).</summary>
    private async Task<int> ExecTestedAsync(ShellNode node, ShellIo io)
    {
        _suppressErrExit++;
        try
        {
            return await ExecAsync(node, io);
        }
        finally
        {
            _suppressErrExit--;
        }
    }

    internal async Task<int> ExecAsync(ShellNode node, ShellIo io)
    {
        Host.Cancellation.ThrowIfCancellationRequested();
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
                    // An and-or list fails the script only through its last command; a negated pipeline never does.
                    if ((item is not AndOrNode || _finalOfAndOrRan) && item is not PipelineNode { Negated: true })
                    {
                        CheckErrExit(code);
                    }
                }

                return code;
            }

            case AndOrNode andOr:
                return await ExecAndOrAsync(andOr, io);

            case PipelineNode pipeline:
                return await ExecPipelineAsync(pipeline, io);

            case IfNode ifNode:
            {
                foreach (var (condition, body) in ifNode.Branches)
                {
                    if (await ExecTestedAsync(condition, io) == 0)
                    {
                        return await ExecAsync(body, io);
                    }
                }

                return ifNode.Else is null ? 0 : await ExecAsync(ifNode.Else, io);
            }

            case ForNode forNode:
            {
                var code = 0;
                foreach (var item in await Expander.ExpandWordsAsync(forNode.Items, io))
                {
                    Variables[forNode.Variable] = item;
                    try
                    {
                        code = await ExecAsync(forNode.Body, io);
                    }
                    catch (LoopControl control) when (control.IsBreak)
                    {
                        break;
                    }
                    catch (LoopControl)
                    {
                    }
                }

                return code;
            }

            case WhileNode whileNode:
            {
                var code = 0;
                for (var round = 0; round < MaxLoopIterations; round++)
                {
                    if ((await ExecTestedAsync(whileNode.Condition, io) == 0) == whileNode.Until)
                    {
                        break;
                    }

                    try
                    {
                        code = await ExecAsync(whileNode.Body, io);
                    }
                    catch (LoopControl control) when (control.IsBreak)
                    {
                        break;
                    }
                    catch (LoopControl)
                    {
                    }
                }

                return code;
            }

            case GroupNode group:
            {
                var redirected = await Redirections.ApplyAsync(this, group.Redirections, io, group.Line);
                if (redirected is null)
                {
                    return 1;
                }

                int code;
                if (group.Subshell)
                {
                    try
                    {
                        code = await Subshell().ExecAsync(group.Body, redirected.Io);
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

    private async Task<int> ExecAndOrAsync(AndOrNode andOr, ShellIo io)
    {
        var code = await ExecTestedAsync(andOr.First, io);
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
            code = isLast ? await ExecAsync(next, io) : await ExecTestedAsync(next, io);
            LastExitCode = code;
            finalRan = isLast;
        }

        _finalOfAndOrRan = finalRan;
        return code;
    }

    /// <summary>The stages run one after the other, each reading what the one before wrote (the twin's programs are not streams).</summary>
    private async Task<int> ExecPipelineAsync(PipelineNode pipeline, ShellIo io)
    {
        var input = io.Stdin;
        var codes = new List<int>();
        for (var i = 0; i < pipeline.Commands.Count; i++)
        {
            var last = i == pipeline.Commands.Count - 1;
            var capture = last ? null : new StringWriter();
            codes.Add(await ExecTestedAsync(pipeline.Commands[i], io with { Stdin = input, Out = capture ?? io.Out }));
            input = capture?.ToString() ?? "";
        }

        var code = PipeFail ? codes.LastOrDefault(c => c != 0) : codes[^1];
        return pipeline.Negated ? (code == 0 ? 1 : 0) : code;
    }

    private async Task<int> ExecSimpleAsync(SimpleCommandNode command, ShellIo io)
    {
        var fields = await Expander.ExpandWordsAsync(command.Words, io);
        var assignments = new List<(string Name, string Value)>();
        foreach (var (name, value) in command.Assignments)
        {
            assignments.Add((name, await Expander.ExpandSingleAsync(value, io)));
        }

        var redirected = await Redirections.ApplyAsync(this, command.Redirections, io, command.Line);
        if (fields.Count == 0)
        {
            // Assignments alone set the shell's variables; the status is that of the last command substitution.
            foreach (var (name, value) in assignments)
            {
                Variables[name] = value;
            }

            redirected?.Commit();
            return redirected is null ? 1 : LastExitCode;
        }

        if (redirected is null)
        {
            return 1;
        }

        var code = await RunCommandAsync(fields[0], fields.Skip(1).ToList(), assignments, redirected.Io, command.Line);
        redirected.Commit();
        return code;
    }

    /// <summary>
    /// A builtin, a shell or a program. <c>NAME=value command</c> puts the assignments in the program's environment
    /// only; before a builtin they stay, as before POSIX's special builtins.
    /// </summary>
    internal async Task<int> RunCommandAsync(string name, IReadOnlyList<string> args, IReadOnlyList<(string Name, string Value)>? assignments, ShellIo io, int line)
    {
        if (ShellBuiltins.Has(name))
        {
            foreach (var (variable, value) in assignments ?? [])
            {
                Variables[variable] = value;
            }

            return await ShellBuiltins.RunAsync(this, name, args, io, line);
        }

        var environment = new Dictionary<string, string>(Variables, StringComparer.Ordinal);
        foreach (var (variable, value) in assignments ?? [])
        {
            environment[variable] = value;
        }

        if (Host.Shell(ShellPaths.FileName(name)) is { } dialect)
        {
            var child = new ShellInterpreter(Host, dialect, environment, WorkingDirectory);
            return await ShellInvocation.RunAsync(child, args, io);
        }

        var call = new ProgramCall(name, args, io.Stdin, io.Out, io.Err, environment, WorkingDirectory, Host);
        if (await Host.RunProgramAsync(call) is { } code)
        {
            return code;
        }

        await io.Err.WriteLineAsync(Dialect.CommandNotFound(name, line));
        return 127;
    }

    /// <summary>Whether <c>command -v</c> finds <paramref name="name"/>, and how it names it.</summary>
    internal string? Locate(string name) =>
        ShellBuiltins.Has(name) ? name
        : Host.Shell(name) is not null || Host.HasProgram(name) ? "/usr/bin/" + name
        : null;

    internal void Exit(int code) => throw new ShellExit(code);

    internal void EndLoopRound(bool isBreak) => throw new LoopControl(isBreak);

    private sealed class ShellExit(int code) : Exception
    {
        public int Code { get; } = code;
    }

    private sealed class LoopControl(bool isBreak) : Exception
    {
        public bool IsBreak { get; } = isBreak;
    }
}

/// <summary>A command's standard streams: stdin as text (the twin's programs read it whole), stdout and stderr.</summary>
public sealed record ShellIo(string Stdin, TextWriter Out, TextWriter Err);
