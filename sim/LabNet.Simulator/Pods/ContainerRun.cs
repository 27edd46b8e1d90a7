namespace LabNet.Simulator.Pods;

/// <summary>
/// One run of a container's main process (the first start or a restart): its log, the streams of whoever is attached
/// (<c>kubectl attach</c>, <c>kubectl run -i</c>), and how it ended. Thread-safe.
/// </summary>
public sealed class ContainerRun(PodProcess process, ContainerLog log, int restartCount, bool server, CancellationToken podGone)
{
    private readonly Lock _sync = new();
    private readonly List<Action<int, string>> _listeners = [];
    private readonly TaskCompletionSource<int> _exit = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _attached = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public PodProcess Process { get; } = process;

    public ContainerLog Log { get; } = log;

    public int RestartCount { get; } = restartCount;

    /// <summary>A daemon (nginx, Envoy...) that runs until the pod is deleted; otherwise a process that ends.</summary>
    public bool IsServer { get; } = server;

    public CancellationToken PodGone { get; } = podGone;

    /// <summary>The exit code, once the process has ended.</summary>
    public Task<int> Exited => _exit.Task;

    /// <summary>Completes when the first client attaches (a <c>stdin: true</c> container waits for it, within a grace).</summary>
    public Task Attached => _attached.Task;

    /// <summary>Streams the process's output to <paramref name="listener"/> (channel 1 stdout, 2 stderr) from now on; dispose to stop.</summary>
    public IDisposable Listen(Action<int, string> listener)
    {
        lock (_sync)
        {
            _listeners.Add(listener);
        }

        _attached.TrySetResult();
        return new Unsubscribe(this, listener);
    }

    public TextWriter Stdout => new RunWriter(this, 1);

    public TextWriter Stderr => new RunWriter(this, Process.Tty ? 1 : 2);

    internal void Emit(int channel, string text)
    {
        if (Process.Tty)
        {
            // The container's terminal (onlcr) ends lines with \r\n: attach and the log both see it.
            text = text.Replace("\n", "\r\n", StringComparison.Ordinal);
        }

        Log.Write(Process.Services.Now, text);
        Action<int, string>[] listeners;
        lock (_sync)
        {
            listeners = [.. _listeners];
        }

        foreach (var listener in listeners)
        {
            listener(channel, text);
        }
    }

    internal void Exit(int code)
    {
        Log.End();
        _exit.TrySetResult(code);
    }

    private sealed class Unsubscribe(ContainerRun run, Action<int, string> listener) : IDisposable
    {
        public void Dispose()
        {
            lock (run._sync)
            {
                run._listeners.Remove(listener);
            }
        }
    }

    private sealed class RunWriter(ContainerRun run, int channel) : TextWriter
    {
        public override System.Text.Encoding Encoding => System.Text.Encoding.UTF8;

        public override void Write(char value) => run.Emit(channel, value.ToString());

        public override void Write(string? value)
        {
            if (!string.IsNullOrEmpty(value))
            {
                run.Emit(channel, value);
            }
        }

        public override void Write(char[] buffer, int index, int count) => Write(new string(buffer, index, count));

        public override Task WriteAsync(string? value)
        {
            Write(value);
            return Task.CompletedTask;
        }

        public override Task WriteLineAsync(string? value)
        {
            Write(value + "\n");
            return Task.CompletedTask;
        }

        public override void WriteLine(string? value) => Write(value + "\n");
    }
}
