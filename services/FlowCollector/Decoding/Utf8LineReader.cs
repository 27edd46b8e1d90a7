using System.Buffers;

namespace LabNet.FlowCollector.Decoding;

/// <summary>Receives one line (without its <c>\n</c> or <c>\r\n</c>) and its 1-based number.</summary>
public delegate void LineHandler(ReadOnlySpan<byte> line, long lineNumber);

/// <summary>
/// Reads a stream line by line into a pooled buffer, never holding more than the longest line, so a capture of any
/// size streams through in constant memory. A line longer than <see cref="MaxLineBytes"/> is reported to
/// <c>onLineTooLong</c> with its number and skipped.
/// </summary>
public sealed class Utf8LineReader
{
    public const int MaxLineBytes = 16 * 1024 * 1024;

    public static async Task<long> ReadAllAsync(
        Stream stream, LineHandler handler, Action<long> onLineTooLong, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        var start = 0;
        var end = 0;
        long lineNumber = 0;
        var skippingLongLine = false;
        try
        {
            while (true)
            {
                if (end == buffer.Length)
                {
                    if (start > 0)
                    {
                        Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
                        end -= start;
                        start = 0;
                    }
                    else if (buffer.Length >= MaxLineBytes)
                    {
                        // Drop what we have of the over-long line and keep scanning for its end.
                        if (!skippingLongLine)
                        {
                            onLineTooLong(lineNumber + 1);
                        }

                        skippingLongLine = true;
                        end = 0;
                    }
                    else
                    {
                        var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                        Buffer.BlockCopy(buffer, 0, larger, 0, end);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = larger;
                    }
                }

                var read = await stream.ReadAsync(buffer.AsMemory(end), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                var scanFrom = end;
                end += read;
                (start, lineNumber, skippingLongLine) = Dispatch(buffer, start, scanFrom, end, lineNumber, skippingLongLine, handler);
            }

            if (end > start)
            {
                lineNumber++;
                if (!skippingLongLine)
                {
                    handler(TrimCarriageReturn(buffer.AsSpan(start, end - start)), lineNumber);
                }
            }

            return lineNumber;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static (int Start, long LineNumber, bool Skipping) Dispatch(
        byte[] buffer, int start, int scanFrom, int end, long lineNumber, bool skipping, LineHandler handler)
    {
        while (true)
        {
            var newline = buffer.AsSpan(scanFrom, end - scanFrom).IndexOf((byte)'\n');
            if (newline < 0)
            {
                return (start, lineNumber, skipping);
            }

            var lineEnd = scanFrom + newline;
            lineNumber++;
            if (!skipping)
            {
                handler(TrimCarriageReturn(buffer.AsSpan(start, lineEnd - start)), lineNumber);
            }

            skipping = false;
            start = lineEnd + 1;
            scanFrom = start;
        }
    }

    private static ReadOnlySpan<byte> TrimCarriageReturn(ReadOnlySpan<byte> line) =>
        line.Length > 0 && line[^1] == '\r' ? line[..^1] : line;
}
