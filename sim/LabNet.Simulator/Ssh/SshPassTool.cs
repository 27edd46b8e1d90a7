using LabNet.Simulator.Tools;

namespace LabNet.Simulator.Ssh;

/// <summary>
/// <c>sshpass</c>, as the original lab (and LabNet's Provisioner) wraps ssh: <c>sshpass -e ssh ...</c> reads the password
/// from <c>SSHPASS</c>, <c>-p PASSWORD</c> takes it from argv, <c>-f FILE</c> from a file; then it runs the ssh command
/// line and answers its password prompt. Exit codes are sshpass's own: 1 bad arguments, 2 conflicting arguments,
/// 3 runtime error, 5 wrong password; otherwise the program's exit code.
/// </summary>
public sealed class SshPassTool(SshTool ssh) : ITool
{
    public string Name => "sshpass";

    public async Task<int> RunAsync(ToolInvocation invocation, ToolOutput output, CancellationToken callerGone)
    {
        var argv = invocation.Argv;
        string? password = null;
        var sources = 0;
        var index = 0;
        for (; index < argv.Count && argv[index].StartsWith('-'); index++)
        {
            switch (argv[index])
            {
                case "-e":
                    password = invocation.Env("SSHPASS");
                    sources++;
                    if (password is null)
                    {
                        output.Error.WriteLine("sshpass: -e option given but SSHPASS environment variable not set");
                        return 3;
                    }

                    break;
                case "-p" when index + 1 < argv.Count:
                    password = argv[++index];
                    sources++;
                    break;
                case "-f" when index + 1 < argv.Count:
                    var file = invocation.ResolvePath(argv[++index]);
                    sources++;
                    if (!File.Exists(file))
                    {
                        output.Error.WriteLine($"sshpass: Failed to open password file \"{argv[index]}\": No such file or directory");
                        return 3;
                    }

                    password = File.ReadLines(file).FirstOrDefault() ?? "";
                    break;
                case "-v":
                    break;
                case "-h":
                    output.Out.Write(Usage);
                    return 0;
                default:
                    output.Error.Write(Usage);
                    return 1;
            }
        }

        if (sources > 1)
        {
            output.Error.WriteLine("sshpass: Conflicting password source");
            output.Error.Write(Usage);
            return 2;
        }

        if (index >= argv.Count)
        {
            output.Error.Write(Usage);
            return 1;
        }

        var program = argv[index];
        if (Path.GetFileName(program) != "ssh")
        {
            // Inside the twin only ssh prompts for a password; anything else is a program this Mac does not have.
            output.Error.WriteLine($"sshpass: Failed to run command: No such file or directory");
            return 3;
        }

        var environment = invocation.Environment.Where(e => e.Key != "SSHPASS").ToDictionary(e => e.Key, e => e.Value);
        if (password is not null)
        {
            environment["SSHPASS"] = password;
        }

        var errors = new System.Text.StringBuilder();
        var capture = new ToolOutput((stream, text) =>
        {
            if (stream is ToolStream.Stderr)
            {
                errors.Append(text);
            }
            else
            {
                output.Out.Write(text);
            }
        });

        var exitCode = await ssh.RunAsync(invocation with { Argv = argv.Skip(index + 1).ToList(), Environment = environment }, capture, callerGone);
        var stderr = errors.ToString();

        // sshpass answers the password prompt once; a second prompt means the password was wrong, and it says nothing more.
        if (exitCode == 255 && stderr.Contains("Permission denied", StringComparison.Ordinal))
        {
            return 5;
        }

        output.Error.Write(stderr);
        return exitCode;
    }

    private const string Usage =
        "Usage: sshpass [-f|-d|-p|-e[env_var]] [-hV] command parameters\n" +
        "   -f filename   Take password to use from file\n" +
        "   -d number     Use number as file descriptor for getting password\n" +
        "   -p password   Provide password as argument (security unwise)\n" +
        "   -e            Password is passed as env-var \"SSHPASS\"\n" +
        "   With no parameters - password will be taken from stdin\n\n" +
        "   -P prompt     Which string should sshpass search for to detect a password prompt\n" +
        "   -v            Be verbose about what you're doing\n" +
        "   -h            Show help (this screen)\n" +
        "   -V            Print version information\n" +
        "At most one of -f, -d, -p or -e should be used\n";
}
