using System.Text;

namespace LabNet.Simulator.Pods;

/// <summary>
/// The log of one run of one container (what <c>kubectl logs</c> reads; a restart starts a new one and keeps the
/// previous for <c>--previous</c>). Bounded like the kubelet's rotated log: the oldest lines go first. Thread-safe.
/// </summary>
public sealed class ContainerLog(int capacity)
{
    private readonly Lock _sync = new();
    private readonly LinkedList<ContainerLogLine> _lines = new();
    private readonly StringBuilder _partial = new();
    private DateTimeOffset _partialAt;
    private long _written;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>True once the process has exited: followers stop after the last line.</summary>
    public bool Ended { get; private set; }

    /// <summary>Lines written so far (including ones rotated out), so a follower knows where it is.</summary>
    public long Written
    {
        get
        {
            lock (_sync)
            {
                return _written;
            }
        }
    }

    /// <summary>Appends output; text without a final newline waits for the rest of its line (or the end).</summary>
    public void Write(DateTimeOffset at, string text)
    {
        TaskCompletionSource changed;
        lock (_sync)
        {
            foreach (var c in text)
            {
                if (_partial.Length == 0)
                {
                    _partialAt = at;
                }

                if (c == '\n')
                {
                    AddLine(new ContainerLogLine(_partialAt, _partial.ToString(), true));
                    _partial.Clear();
                }
                else
                {
                    _partial.Append(c);
                }
            }

            changed = SwapSignal();
        }

        changed.TrySetResult();
    }

    public void WriteLine(DateTimeOffset at, string line) => Write(at, line + "\n");

    /// <summary>The process exited: a pending partial line is kept as is (no newline), as the runtime's log does.</summary>
    public void End()
    {
        TaskCompletionSource changed;
        lock (_sync)
        {
            if (_partial.Length > 0)
            {
                AddLine(new ContainerLogLine(_partialAt, _partial.ToString(), false));
                _partial.Clear();
            }

            Ended = true;
            changed = SwapSignal();
        }

        changed.TrySetResult();
    }

    /// <summary>The lines from number <paramref name="from"/> on (counting every line ever written), and the next number.</summary>
    public (IReadOnlyList<ContainerLogLine> Lines, long Next, bool Ended, Task Changed) ReadFrom(long from)
    {
        lock (_sync)
        {
            var first = _written - _lines.Count;
            var skip = Math.Max(0, from - first);
            return ([.. _lines.Skip((int)Math.Min(skip, _lines.Count))], _written, Ended, _changed.Task);
        }
    }

    private void AddLine(ContainerLogLine line)
    {
        _lines.AddLast(line);
        _written++;
        while (_lines.Count > capacity)
        {
            _lines.RemoveFirst();
        }
    }

    private TaskCompletionSource SwapSignal()
    {
        var old = _changed;
        _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return old;
    }
}

/// <summary>One log line with the time the runtime received it; <paramref name="Complete"/> is false for a last line without a newline.</summary>
public sealed record ContainerLogLine(DateTimeOffset Time, string Text, bool Complete);
