using System.Text;
using LabNet.FlowCollector.Decoding;

namespace LabNet.FlowCollector.Tests.Decoding;

public sealed class Utf8LineReaderTests
{
    [Fact]
    public async Task Lines_split_across_reads_arrive_whole_with_their_numbers()
    {
        var text = "first\r\nsecond line\n\nfourth without newline";
        var lines = new List<(string, long)>();

        var count = await Utf8LineReader.ReadAllAsync(
            new TrickleStream(Encoding.UTF8.GetBytes(text)),
            (line, number) => lines.Add((Encoding.UTF8.GetString(line), number)),
            _ => Assert.Fail("no line is too long"),
            CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(4, count);
        Assert.Equal([("first", 1L), ("second line", 2), ("", 3), ("fourth without newline", 4)], lines);
    }

    [Fact]
    public async Task Lines_longer_than_the_first_buffer_are_read_whole()
    {
        var longLine = new string('x', 300_000);
        var lines = new List<int>();

        await Utf8LineReader.ReadAllAsync(
            new MemoryStream(Encoding.UTF8.GetBytes($"{longLine}\nshort\n")),
            (line, _) => lines.Add(line.Length),
            _ => Assert.Fail("no line is too long"),
            CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal([300_000, 5], lines);
    }

    /// <summary>Returns at most 3 bytes per read, so every line crosses read boundaries.</summary>
    private sealed class TrickleStream(byte[] data) : MemoryStream(data)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(3, buffer.Length)], cancellationToken);
    }
}
