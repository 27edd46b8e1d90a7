namespace LabNet.Simulator.Shell;

/// <summary>
/// A command's redirections: <c>&lt; file</c>, here-documents and here-strings, <c>&gt;</c>/<c>&gt;&gt;</c>/<c>&gt;|</c>,
/// <c>&amp;&gt;</c>, <c>2&gt;&amp;1</c>, <c>/dev/null</c>, <c>/dev/stdout</c>, <c>/dev/stderr</c>. Output to a file is
/// collected and written when the command has run (<see cref="Redirected.Commit"/>).
/// </summary>
internal static class Redirections
{
    /// <summary>The command's streams with its redirections applied; null (after the shell's error) when one fails.</summary>
    public static async Task<Redirected?> ApplyAsync(ShellInterpreter shell, IReadOnlyList<Redirection> redirections, ShellIo io, int line)
    {
        var files = shell.Host.Files;
        var captures = new List<(string Path, StringWriter Content, bool Append)>();
        var stdin = io.Stdin;
        var writers = new Dictionary<int, TextWriter> { [1] = io.Out, [2] = io.Err };
        foreach (var redirection in redirections)
        {
            if (redirection.HereDocument is { } doc)
            {
                stdin = doc.Expand ? await shell.Expander.ExpandSingleAsync(ShellParser.ParseHereDocumentBody(doc.Body), io) : doc.Body;
                continue;
            }

            var target = redirection.Target is null ? "" : await shell.Expander.ExpandSingleAsync(redirection.Target, io);
            switch (redirection.Operator)
            {
                case "<<<":
                    stdin = target + "\n";
                    break;
                case "<":
                {
                    var path = ShellPaths.Resolve(shell.WorkingDirectory, target);
                    string? content;
                    lock (files.Sync)
                    {
                        content = path == "/dev/null" ? "" : files.ReadFile(path);
                    }

                    if (content is null)
                    {
                        await io.Err.WriteLineAsync(shell.Dialect.CannotOpen(target, line));
                        return null;
                    }

                    stdin = content;
                    break;
                }

                case ">&" or "<&" when int.TryParse(target, out var other):
                    writers[redirection.Fd] = writers.GetValueOrDefault(other, io.Out);
                    break;
                case ">" or ">>" or ">|" or "&>" or ">&":
                {
                    var path = ShellPaths.Resolve(shell.WorkingDirectory, target);
                    TextWriter writer;
                    switch (path)
                    {
                        case "/dev/null":
                            writer = TextWriter.Null;
                            break;
                        case "/dev/stderr":
                            writer = io.Err;
                            break;
                        case "/dev/stdout":
                            writer = io.Out;
                            break;
                        default:
                            bool parentExists, writable;
                            lock (files.Sync)
                            {
                                parentExists = files.ParentExists(path);
                                writable = files.CanWrite(path);
                            }

                            if (!parentExists || !writable)
                            {
                                await io.Err.WriteLineAsync(shell.Dialect.CannotCreate(target, permission: parentExists, line));
                                return null;
                            }

                            var capture = new StringWriter();
                            captures.Add((path, capture, redirection.Operator == ">>"));
                            writer = capture;
                            break;
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

        return new Redirected(new ShellIo(stdin, writers[1], writers[2]), captures, files);
    }

    /// <summary>The streams a command runs with, and the files its output goes to once it has run.</summary>
    public sealed class Redirected(ShellIo io, List<(string Path, StringWriter Content, bool Append)> captures, IShellFileSystem files)
    {
        public ShellIo Io { get; } = io;

        public void Commit()
        {
            foreach (var (path, content, append) in captures)
            {
                var text = content.ToString();
                lock (files.Sync)
                {
                    files.WriteFile(path, append ? (files.ReadFile(path) ?? "") + text : text);
                }
            }
        }
    }
}
