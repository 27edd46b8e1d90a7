using LabNet.Simulator.Shell;

namespace LabNet.Simulator.Programs;

/// <summary>The file programs of coreutils (and BusyBox): cat, tee, mkdir, rm, rmdir, mv, cp, touch, chown, chmod, ls.</summary>
public sealed class FilePrograms : IShellProgram
{
    public IReadOnlyList<string> Names { get; } = ["cat", "tee", "mkdir", "rm", "rmdir", "mv", "cp", "touch", "chown", "chmod", "ls"];

    public Task<int> RunAsync(ProgramCall call)
    {
        var flags = call.Args.TakeWhile(a => a.StartsWith('-') && a.Length > 1).SelectMany(a => a.TrimStart('-')).ToHashSet();
        var operands = call.Args.SkipWhile(a => a.StartsWith('-') && a.Length > 1).ToList();
        var files = call.Files;
        lock (files.Sync)
        {
            return Task.FromResult(call.Name switch
            {
                "cat" => Cat(call, operands),
                "tee" => Tee(call, operands, flags.Contains('a')),
                "mkdir" => Mkdir(call, operands, flags.Contains('p')),
                "rm" => Rm(call, operands, flags.Contains('r') || flags.Contains('R'), flags.Contains('f')),
                "rmdir" => Rmdir(call, operands),
                "mv" or "cp" => MoveOrCopy(call, operands, call.Name == "mv"),
                "touch" => Touch(call, operands),
                "chown" or "chmod" => Own(call, operands),
                _ => Ls(call, operands),
            });
        }
    }

    private static int Cat(ProgramCall call, List<string> files)
    {
        if (files.Count == 0 || files is ["-"])
        {
            call.Out.Write(call.Stdin);
            return 0;
        }

        var code = 0;
        foreach (var file in files)
        {
            var path = call.PathOf(file);
            if (call.Files.DirectoryExists(path))
            {
                code = call.Fail($"cat: {file}: Is a directory");
            }
            else if (call.Files.ReadFile(path) is not { } content)
            {
                code = call.Fail(call.Host.BusyBox ? $"cat: can't open '{file}': No such file or directory" : $"cat: {file}: No such file or directory");
            }
            else if (!call.Files.CanRead(path))
            {
                code = call.Fail($"cat: {file}: Permission denied");
            }
            else
            {
                call.Out.Write(content);
            }
        }

        return code;
    }

    private static int Tee(ProgramCall call, List<string> files, bool append)
    {
        var code = 0;
        foreach (var file in files)
        {
            var path = call.PathOf(file);
            if (path == "/dev/null")
            {
                continue;
            }

            if (!call.Files.ParentExists(path))
            {
                code = call.Fail($"tee: {file}: No such file or directory");
            }
            else if (!call.Files.CanWrite(path))
            {
                code = call.Fail($"tee: {file}: Permission denied");
            }
            else
            {
                call.Files.WriteFile(path, append ? (call.Files.ReadFile(path) ?? "") + call.Stdin : call.Stdin);
            }
        }

        call.Out.Write(call.Stdin);
        return code;
    }

    private static int Mkdir(ProgramCall call, List<string> dirs, bool parents)
    {
        var code = 0;
        foreach (var dir in dirs)
        {
            var path = call.PathOf(dir);
            if (call.Files.Exists(path))
            {
                if (!parents)
                {
                    code = call.Fail($"mkdir: cannot create directory '{dir}': File exists");
                }

                continue;
            }

            if (!parents && !call.Files.ParentExists(path))
            {
                code = call.Fail($"mkdir: cannot create directory '{dir}': No such file or directory");
            }
            else if (!call.Files.CanWrite(path + "/"))
            {
                code = call.Fail($"mkdir: cannot create directory '{dir}': Permission denied");
            }
            else
            {
                call.Files.CreateDirectory(path);
            }
        }

        return code;
    }

    private static int Rm(ProgramCall call, List<string> targets, bool recursive, bool force)
    {
        var code = 0;
        foreach (var target in targets)
        {
            var path = call.PathOf(target);
            if (!call.Files.Exists(path))
            {
                if (!force)
                {
                    code = call.Fail($"rm: cannot remove '{target}': No such file or directory");
                }

                continue;
            }

            if (!call.Files.CanWrite(path))
            {
                code = call.Fail($"rm: cannot remove '{target}': Permission denied");
                continue;
            }

            if (call.Files.DirectoryExists(path))
            {
                if (!recursive)
                {
                    code = call.Fail($"rm: cannot remove '{target}': Is a directory");
                    continue;
                }

                call.Files.DeleteTree(path);
            }
            else
            {
                call.Files.DeleteFile(path);
            }
        }

        return code;
    }

    private static int Rmdir(ProgramCall call, List<string> dirs)
    {
        var code = 0;
        foreach (var dir in dirs)
        {
            var path = call.PathOf(dir);
            if (!call.Files.DirectoryExists(path))
            {
                code = call.Fail($"rmdir: failed to remove '{dir}': No such file or directory");
            }
            else if (!call.Files.IsDirectoryEmpty(path))
            {
                code = call.Fail($"rmdir: failed to remove '{dir}': Directory not empty");
            }
            else
            {
                call.Files.DeleteTree(path);
            }
        }

        return code;
    }

    private static int MoveOrCopy(ProgramCall call, List<string> operands, bool move)
    {
        var tool = move ? "mv" : "cp";
        if (operands.Count < 2)
        {
            return call.Fail($"{tool}: missing destination file operand after '{operands.FirstOrDefault()}'");
        }

        var destination = call.PathOf(operands[^1]);
        var intoDirectory = call.Files.DirectoryExists(destination);
        if (operands.Count > 2 && !intoDirectory)
        {
            return call.Fail($"{tool}: target '{operands[^1]}' is not a directory");
        }

        var code = 0;
        foreach (var source in operands.SkipLast(1))
        {
            var from = call.PathOf(source);
            var content = call.Files.ReadFile(from);
            if (content is null)
            {
                code = call.Fail($"{tool}: cannot stat '{source}': No such file or directory");
                continue;
            }

            if (!call.Files.CanRead(from))
            {
                code = call.Fail($"{tool}: cannot open '{source}' for reading: Permission denied");
                continue;
            }

            var to = intoDirectory ? destination + "/" + Path.GetFileName(from) : destination;
            if (!call.Files.ParentExists(to))
            {
                code = call.Fail($"{tool}: cannot create regular file '{operands[^1]}': No such file or directory");
                continue;
            }

            if (!call.Files.CanWrite(to) || (move && !call.Files.CanWrite(from)))
            {
                code = call.Fail($"{tool}: cannot create regular file '{operands[^1]}': Permission denied");
                continue;
            }

            call.Files.WriteFile(to, content);
            if (move)
            {
                call.Files.DeleteFile(from);
            }
        }

        return code;
    }

    private static int Touch(ProgramCall call, List<string> files)
    {
        foreach (var file in files)
        {
            var path = call.PathOf(file);
            if (!call.Files.CanWrite(path))
            {
                return call.Fail($"touch: cannot touch '{file}': Permission denied");
            }

            if (!call.Files.Exists(path))
            {
                call.Files.WriteFile(path, "");
            }
        }

        return 0;
    }

    private static int Own(ProgramCall call, List<string> operands)
    {
        foreach (var file in operands.Skip(1))
        {
            var path = call.PathOf(file);
            if (!call.Files.Exists(path))
            {
                return call.Fail($"{call.Name}: cannot access '{file}': No such file or directory");
            }

            if (!call.Files.CanWrite(path))
            {
                return call.Fail($"{call.Name}: changing {(call.Name == "chown" ? "ownership" : "permissions")} of '{file}': Operation not permitted");
            }
        }

        return 0;
    }

    private static int Ls(ProgramCall call, List<string> operands)
    {
        var code = 0;
        foreach (var target in operands.DefaultIfEmpty("."))
        {
            var path = call.PathOf(target);
            if (call.Files.DirectoryExists(path))
            {
                foreach (var child in call.Files.Children(path))
                {
                    call.Out.WriteLine(Path.GetFileName(child));
                }
            }
            else if (call.Files.FileExists(path))
            {
                call.Out.WriteLine(target);
            }
            else
            {
                code = call.Fail($"ls: cannot access '{target}': No such file or directory", 2);
            }
        }

        return code;
    }
}
