namespace LabNet.Simulator.Shell;

/// <summary>Which shell program a script runs in; only the wording of its errors differs.</summary>
public enum ShellFlavor
{
    /// <summary>GNU bash: <c>bash: line 3: x: command not found</c>.</summary>
    Bash,

    /// <summary>Debian's dash as <c>sh</c>: <c>sh: 3: x: not found</c>.</summary>
    Dash,

    /// <summary>BusyBox ash (Alpine, busybox, curlimages): <c>sh: x: not found</c>.</summary>
    Ash,
}

/// <summary>How a shell invoked as <paramref name="Name"/> words its errors.</summary>
public sealed record ShellDialect(string Name, ShellFlavor Flavor)
{
    public static ShellDialect Bash { get; } = new("bash", ShellFlavor.Bash);

    /// <summary>The prefix of an error at a line of a script read from <c>-c</c> or stdin.</summary>
    public string Where(int line) => Flavor switch
    {
        ShellFlavor.Bash => $"{Name}: line {line}",
        ShellFlavor.Dash => $"{Name}: {line}",
        _ => Name,
    };

    public string CommandNotFound(string command, int line) => Flavor switch
    {
        ShellFlavor.Bash when command.Contains('/') => $"{Where(line)}: {command}: No such file or directory",
        ShellFlavor.Bash => $"{Where(line)}: {command}: command not found",
        _ => $"{Where(line)}: {command}: not found",
    };

    /// <summary>A <c>&lt; file</c> that does not exist.</summary>
    public string CannotOpen(string target, int line) => Flavor switch
    {
        ShellFlavor.Bash => $"{Where(line)}: {target}: No such file or directory",
        ShellFlavor.Dash => $"{Where(line)}: cannot open {target}: No such file",
        _ => $"{Where(line)}: can't open {target}: no such file",
    };

    /// <summary>A <c>&gt; file</c> that cannot be created (<paramref name="permission"/>: denied; else its directory is missing).</summary>
    public string CannotCreate(string target, bool permission, int line) => Flavor switch
    {
        ShellFlavor.Bash => $"{Where(line)}: {target}: {(permission ? "Permission denied" : "No such file or directory")}",
        ShellFlavor.Dash => $"{Where(line)}: cannot create {target}: {(permission ? "Permission denied" : "Directory nonexistent")}",
        _ => $"{Where(line)}: can't create {target}: {(permission ? "Permission denied" : "nonexistent directory")}",
    };

    public string CannotCd(string target, int line) => Flavor switch
    {
        ShellFlavor.Bash => $"{Where(line)}: cd: {target}: No such file or directory",
        ShellFlavor.Dash => $"{Where(line)}: cd: can't cd to {target}",
        _ => $"{Where(line)}: cd: can't cd to {target}: No such file or directory",
    };

    /// <summary><c>sh FILE</c> of a file that does not exist, and the exit status the shell then gives.</summary>
    public (string Message, int ExitCode) ScriptNotFound(string path) => Flavor switch
    {
        ShellFlavor.Bash => ($"{Name}: {path}: No such file or directory", 127),
        ShellFlavor.Dash => ($"{Name}: 0: cannot open {path}: No such file", 2),
        _ => ($"{Name}: can't open '{path}': No such file or directory", 127),
    };

    public string UnboundVariable(string variable, int line) => Flavor switch
    {
        ShellFlavor.Bash => $"{Where(line)}: {variable}: unbound variable",
        _ => $"{Where(line)}: {variable}: parameter not set",
    };

    /// <summary>A script the parser could not read (the parser's message names the line).</summary>
    public string SyntaxError(string message) => $"{Name}: {message}";
}
