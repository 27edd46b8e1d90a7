using System.Text;

namespace LabNet.Simulator.Tools;

/// <summary>
/// A tool's stdout and stderr as two <see cref="TextWriter"/>s over one ordered channel of frames, so a long-lived tool
/// (<c>tart run</c>) can stream while it runs and a short one can just write.
/// </summary>
public sealed class ToolOutput
{
    private readonly Action<ToolStream, string> _emit;

    public ToolOutput(Action<ToolStream, string> emit)
    {
        _emit = emit;
        Out = new FrameWriter(this, ToolStream.Stdout);
        Error = new FrameWriter(this, ToolStream.Stderr);
    }

    public TextWriter Out { get; }

    public TextWriter Error { get; }

    /// <summary>Collects everything in memory, for tests and for tools called by other tools.</summary>
    public static ToolOutput Buffered(StringBuilder stdout, StringBuilder stderr) =>
        new((stream, text) =>
        {
            lock (stdout)
            {
                (stream is ToolStream.Stdout ? stdout : stderr).Append(text);
            }
        });

    private sealed class FrameWriter(ToolOutput owner, ToolStream stream) : TextWriter
    {
        public override Encoding Encoding => Encoding.UTF8;

        public override void Write(char value) => owner._emit(stream, value.ToString());

        public override void Write(string? value)
        {
            if (!string.IsNullOrEmpty(value))
            {
                owner._emit(stream, value);
            }
        }

        public override void Write(char[] buffer, int index, int count) => Write(new string(buffer, index, count));

        public override void WriteLine(string? value) => Write((value ?? "") + "\n");

        public override void WriteLine() => Write("\n");
    }
}

public enum ToolStream
{
    Stdout,
    Stderr,
}
