using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace LabNet.Simulator.Tests.LabWorld;

/// <summary>Calls the simulator's tools endpoint exactly as a shim does (POST /tools/{tool}, NDJSON frames back).</summary>
public sealed class ToolClient(HttpClient http)
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public Dictionary<string, string> Environment { get; } = new() { ["SSHPASS"] = "admin" };

    public string WorkingDirectory { get; set; } = Path.GetTempPath();

    public Task<ToolResult> Tart(params string[] argv) => RunAsync("tart", argv);

    public Task<ToolResult> Helm(params string[] argv) => RunAsync("helm", argv);

    public Task<ToolResult> Ssh(string address, string command, string stdin = "") =>
        RunAsync("ssh", ["-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR", "-o", "ConnectTimeout=10", $"admin@{address}", command], stdin);

    /// <summary>The original lab's <c>ssh_exec_sudo</c>: the script goes to <c>sudo bash -s</c> on stdin.</summary>
    public Task<ToolResult> SshSudo(string address, string script) => Ssh(address, "sudo bash -s", script + "\n");

    public async Task<ToolResult> RunAsync(string tool, IReadOnlyList<string> argv, string stdin = "", CancellationToken cancellationToken = default)
    {
        var request = new { argv, stdin, env = Environment, cwd = WorkingDirectory };
        using var response = await http.PostAsJsonAsync($"/tools/{tool}", request, cancellationToken).WaitAsync(Timeout, cancellationToken);
        response.EnsureSuccessStatusCode();
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        var body = await response.Content.ReadAsStringAsync(cancellationToken).WaitAsync(Timeout, cancellationToken);
        foreach (var line in body.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var frame = JsonDocument.Parse(line).RootElement;
            foreach (var property in frame.EnumerateObject())
            {
                switch (property.Name)
                {
                    case "o":
                        stdout.Append(property.Value.GetString());
                        break;
                    case "e":
                        stderr.Append(property.Value.GetString());
                        break;
                    case "x":
                        return new ToolResult(stdout.ToString(), stderr.ToString(), property.Value.GetInt32());
                }
            }
        }

        throw new InvalidOperationException($"The simulator closed the {tool} call without an exit code. Output so far:\n{stdout}\n{stderr}");
    }

    /// <summary>Starts <c>tart run</c> as the long-lived call it is; the returned task completes when the VM stops.</summary>
    public Task<ToolResult> StartRun(string vm, params string[] flags) => RunAsync("tart", ["run", vm, .. flags], cancellationToken: CancellationToken.None);
}
