using System.Diagnostics;
using System.Text;
using LabNet.Simulator.Tests.Kubernetes;

namespace LabNet.Simulator.Tests.Pods;

/// <summary>Interactive and streaming use: a shell on a terminal, piped stdin, <c>logs -f</c> and <c>logs --previous</c>.</summary>
[Collection(PodLabCollection.Name)]
public sealed class KubectlInteractiveTests(PodLab lab)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private static async Task<TestCluster> WithPodAsync(PodLab lab, string name, params string[] runArgs)
    {
        var cluster = lab.CreateCluster();
        Assert.Equal(0, (await cluster.Kubectl.RunAsync(["run", name, .. runArgs])).ExitCode);
        var phase = await Eventually.WaitForAsync(
            async () => (await cluster.Kubectl.RunAsync("get", "pod", name, "-o", "jsonpath={.status.phase}")).Stdout, p => p == "Running");
        Assert.Equal("Running", phase);
        return cluster;
    }

    [Fact]
    public async Task A_shell_on_a_terminal_echoes_runs_each_line_and_exits_with_its_code()
    {
        var cluster = await WithPodAsync(lab, "shell", "--image=nginx:alpine");
        // script(1) gives kubectl a pseudo-terminal, as a person's terminal would.
        var start = new ProcessStartInfo("/usr/bin/script")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
        };
        foreach (var arg in new[] { "-qec", $"{Kubectl.Executable} exec -it shell -- sh", "/dev/null" })
        {
            start.ArgumentList.Add(arg);
        }

        cluster.Kubectl.Isolate(start);
        using var process = Process.Start(start)!;
        var seen = new StringBuilder();
        var reader = Task.Run(async () =>
        {
            var buffer = new char[256];
            int read;
            while ((read = await process.StandardOutput.ReadAsync(buffer)) > 0)
            {
                lock (seen)
                {
                    seen.Append(buffer, 0, read);
                }
            }
        });
        async Task WaitForAsync(string text)
        {
            var deadline = DateTime.UtcNow + Timeout;
            while (DateTime.UtcNow < deadline)
            {
                lock (seen)
                {
                    if (seen.ToString().Contains(text, StringComparison.Ordinal))
                    {
                        return;
                    }
                }

                await Task.Delay(50);
            }
        }

        // Type only once the shell's prompt is on the screen (kubectl has put the terminal in raw mode by then).
        await WaitForAsync("/ # ");
        await process.StandardInput.WriteAsync("hostname\r");
        await process.StandardInput.FlushAsync();
        await WaitForAsync("shell\r\n/ # ");
        await process.StandardInput.WriteAsync("exit 4\r");
        await process.StandardInput.FlushAsync();
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
        }

        await reader.WaitAsync(Timeout);
        var output = seen.ToString();
        Assert.Contains("/ # hostname\r\nshell\r\n/ # exit 4\r\n", output);
        Assert.Contains("command terminated with exit code 4", output);
        Assert.Equal(4, process.ExitCode);
    }

    [Fact]
    public async Task Piped_stdin_reaches_a_shell_without_a_terminal()
    {
        var cluster = await WithPodAsync(lab, "piped", "--image=nginx:alpine");
        using var process = cluster.Kubectl.Start("exec", "-i", "piped", "--", "sh");
        var stdout = process.StandardOutput.ReadToEndAsync();
        await process.StandardInput.WriteAsync("echo $HOSTNAME\nexit 0\n");
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(Timeout);
        await process.WaitForExitAsync(timeout.Token);

        Assert.Equal("piped\n", await stdout);
        Assert.Equal(0, process.ExitCode);
    }

    [Fact]
    public async Task Logs_follow_streams_until_the_process_ends_and_previous_shows_the_last_run()
    {
        var cluster = lab.CreateCluster();
        // restartPolicy Always (kubectl run's default): the finished container restarts, keeping its last run's log.
        Assert.Equal(0, (await cluster.Kubectl.RunAsync("run", "ticker", "--image=busybox", "--", "sh", "-c", "echo one; sleep 1; echo two; exit 1")).ExitCode);
        await Eventually.WaitForAsync(async () => (await cluster.Kubectl.RunAsync("get", "pod", "ticker", "-o", "jsonpath={.status.phase}")).Stdout, p => p == "Running");

        var follow = await cluster.Kubectl.RunAsync("logs", "-f", "ticker");
        var restarted = await Eventually.WaitForAsync(
            async () => (await cluster.Kubectl.RunAsync("get", "pod", "ticker", "-o", "jsonpath={.status.containerStatuses[0].restartCount} {.status.containerStatuses[0].lastState.terminated.exitCode}")).Stdout,
            s => s.StartsWith("1 ", StringComparison.Ordinal) || s.StartsWith("2 ", StringComparison.Ordinal));
        var previous = await cluster.Kubectl.RunAsync("logs", "ticker", "--previous");

        Assert.Equal("one\ntwo\n", follow.Stdout);
        Assert.EndsWith(" 1", restarted);
        Assert.Equal("one\ntwo\n", previous.Stdout);
    }

    [Fact]
    public async Task The_seeds_mtls_check_on_a_terminal_shows_curls_error_and_deletes_the_pod()
    {
        var cluster = lab.CreateCluster();
        lab.Http.Answer("http://httpbin.demo/get", ScriptedHttp.Failed(LabNet.Simulator.Mesh.PodHttpOutcome.ConnectionReset, TimeSpan.FromMilliseconds(5)));
        var start = new ProcessStartInfo("/usr/bin/script")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
        };
        foreach (var arg in new[] { "-qec", $"{Kubectl.Executable} run test --rm -it --image=curlimages/curl -- curl http://httpbin.demo/get", "/dev/null" })
        {
            start.ArgumentList.Add(arg);
        }

        cluster.Kubectl.Isolate(start);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Timeout);
        await process.WaitForExitAsync(timeout.Token);
        var output = await stdout;

        Assert.Contains("If you don't see a command prompt, try pressing enter.", output);
        Assert.Contains("curl: (56) Recv failure: Connection reset by peer\r\n", output);
        Assert.Contains("Session ended, resume using 'kubectl attach test -c test -i -t' command when the pod is running\r\npod \"test\" deleted", output);
        Assert.Equal(0, process.ExitCode);
    }
}
