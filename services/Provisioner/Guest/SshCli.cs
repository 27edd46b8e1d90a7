using LabNet.Provisioner.Tools;
using Microsoft.Extensions.Options;

namespace LabNet.Provisioner.Guest;

/// <summary>
/// Runs commands in a VM over ssh, as the original lab does (<c>sshpass ... ssh -o StrictHostKeyChecking=no ...</c>),
/// except that the password travels in <c>SSHPASS</c> (<c>sshpass -e</c>) instead of argv, and is redacted everywhere.
/// Root work goes as a script on stdin to <c>sudo bash -s</c>, which avoids the quoting traps of <c>bash -c</c>.
/// </summary>
public sealed class SshCli(IToolRunner runner, IOptions<ToolPathsOptions> tools)
{
    public const int ConnectTimeoutSeconds = 10;

    /// <summary>Runs one command line as the login user.</summary>
    public Task<ToolResult> RunAsync(SshTarget target, string command, CancellationToken cancellationToken) =>
        runner.RunAsync(Invocation(target, command, standardInput: null), cancellationToken);

    /// <summary>Runs a multi-line script as root (<c>sudo bash -s</c> reading the script from stdin).</summary>
    public Task<ToolResult> RunAsRootAsync(SshTarget target, string script, CancellationToken cancellationToken) =>
        runner.RunAsync(Invocation(target, "sudo bash -s", script), cancellationToken);

    private ToolInvocation Invocation(SshTarget target, string command, string? standardInput)
    {
        var password = target.Password.Reveal();
        return new ToolInvocation(
            tools.Value.SshPass,
            [
                "-e", tools.Value.Ssh,
                "-o", "StrictHostKeyChecking=no",
                "-o", "UserKnownHostsFile=/dev/null",
                "-o", "LogLevel=ERROR",
                // Straight to the password: an agent holding a few keys would otherwise use up sshd's MaxAuthTries
                // ("Too many authentication failures") before sshpass ever sees the prompt.
                "-o", "PubkeyAuthentication=no",
                "-o", "PreferredAuthentications=password",
                "-o", $"ConnectTimeout={ConnectTimeoutSeconds}",
                $"{target.User}@{target.Address}",
                command,
            ],
            standardInput,
            new Dictionary<string, string> { ["SSHPASS"] = password },
            [password]);
    }
}
