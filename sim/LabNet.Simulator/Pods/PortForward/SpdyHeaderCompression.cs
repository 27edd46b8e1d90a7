using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace LabNet.Simulator.Pods.PortForward;

/// <summary>
/// SPDY/3 header blocks: name/value pairs, zlib-compressed with the protocol's preset dictionary, one compression
/// context per direction for the whole connection (each block ends with a sync flush). Decompression primes the window
/// with the dictionary by putting it in a stored block in front of the peer's deflate data; compression emits stored
/// blocks, which any inflater reads whatever its dictionary.
/// </summary>
public sealed class SpdyHeaderCompression
{
    private static readonly string[] DictionaryWords =
    [
        "options", "head", "post", "put", "delete", "trace", "accept", "accept-charset", "accept-encoding", "accept-language",
        "accept-ranges", "age", "allow", "authorization", "cache-control", "connection", "content-base", "content-encoding",
        "content-language", "content-length", "content-location", "content-md5", "content-range", "content-type", "date",
        "etag", "expect", "expires", "from", "host", "if-match", "if-modified-since", "if-none-match", "if-range",
        "if-unmodified-since", "last-modified", "location", "max-forwards", "pragma", "proxy-authenticate",
        "proxy-authorization", "range", "referer", "retry-after", "server", "te", "trailer", "transfer-encoding", "upgrade",
        "user-agent", "vary", "via", "warning", "www-authenticate", "method", "get", "status", "200 OK", "version", "HTTP/1.1",
        "url", "public", "set-cookie", "keep-alive", "origin",
    ];

    private const string DictionaryTail =
        "100101201202205206300302303304305306307402405406407408409410411412413414415416417502504505" +
        "203 Non-Authoritative Information204 No Content301 Moved Permanently400 Bad Request401 Unauthorized403 Forbidden" +
        "404 Not Found500 Internal Server Error501 Not Implemented503 Service Unavailable" +
        "Jan Feb Mar Apr May Jun Jul Aug Sept Oct Nov Dec 00:00:00 Mon, Tue, Wed, Thu, Fri, Sat, Sun, GMT" +
        "chunked,text/html,image/png,image/jpg,image/gif,application/xml,application/xhtml+xml,text/plain,text/javascript," +
        "publicprivatemax-age=gzip,deflate,sdchcharset=utf-8charset=iso-8859-1,utf-,*,enq=0.";

    /// <summary>The SPDY/3 zlib dictionary (1423 bytes): length-prefixed header words, then common values.</summary>
    public static readonly byte[] Dictionary = BuildDictionary();

    private readonly MemoryStream _received = new();
    private long _delivered;
    private bool _sentHeader;

    private static byte[] BuildDictionary()
    {
        var bytes = new List<byte>();
        foreach (var word in DictionaryWords)
        {
            var length = new byte[4];
            BinaryPrimitives.WriteInt32BigEndian(length, word.Length);
            bytes.AddRange(length);
            bytes.AddRange(Encoding.ASCII.GetBytes(word));
        }

        bytes.AddRange(Encoding.ASCII.GetBytes(DictionaryTail));
        return [.. bytes];
    }

    /// <summary>Reads one header block the peer sent (its part of the peer's compression stream).</summary>
    public List<KeyValuePair<string, string>> Decompress(ReadOnlySpan<byte> block)
    {
        if (_received.Length == 0)
        {
            // The zlib header (2 bytes) and the dictionary's adler32 (4 bytes) start the stream; deflate data follows.
            if (block.Length < 6)
            {
                throw new InvalidDataException("SPDY header block too short for a zlib header");
            }

            block = block[6..];
        }

        _received.Write(block);
        var raw = new MemoryStream();
        raw.WriteByte(0x00);
        raw.Write(BitConverter.GetBytes((ushort)Dictionary.Length));
        raw.Write(BitConverter.GetBytes((ushort)~Dictionary.Length));
        raw.Write(Dictionary);
        _received.Position = 0;
        _received.CopyTo(raw);
        raw.Position = 0;
        var output = new MemoryStream();
        using (var inflate = new DeflateStream(raw, CompressionMode.Decompress))
        {
            var buffer = new byte[4096];
            try
            {
                int read;
                while ((read = inflate.Read(buffer)) > 0)
                {
                    output.Write(buffer, 0, read);
                }
            }
            catch (InvalidDataException) when (output.Length > 0)
            {
                // The stream has no end yet (every block ends with a sync flush): what came out is complete.
            }
        }

        var all = output.ToArray();
        var start = Dictionary.Length + (int)_delivered;
        var fresh = all.AsSpan(start);
        _delivered += fresh.Length;
        return Parse(fresh);
    }

    /// <summary>A header block for a frame this side sends.</summary>
    public byte[] Compress(IReadOnlyList<KeyValuePair<string, string>> headers)
    {
        var plain = new MemoryStream();
        WriteInt(plain, headers.Count);
        foreach (var (name, value) in headers)
        {
            var n = Encoding.UTF8.GetBytes(name);
            var v = Encoding.UTF8.GetBytes(value);
            WriteInt(plain, n.Length);
            plain.Write(n);
            WriteInt(plain, v.Length);
            plain.Write(v);
        }

        var data = plain.ToArray();
        var block = new MemoryStream();
        if (!_sentHeader)
        {
            _sentHeader = true;
            block.WriteByte(0x78);
            block.WriteByte(0xBB);
            WriteInt(block, (int)Adler32(Dictionary));
        }

        block.WriteByte(0x00);
        block.Write(BitConverter.GetBytes((ushort)data.Length));
        block.Write(BitConverter.GetBytes((ushort)~data.Length));
        block.Write(data);
        // The sync-flush marker (an empty stored block): it makes an inflater hand out the block without waiting for more input.
        block.Write([0x00, 0x00, 0x00, 0xFF, 0xFF]);
        return block.ToArray();
    }

    private static List<KeyValuePair<string, string>> Parse(ReadOnlySpan<byte> data)
    {
        var headers = new List<KeyValuePair<string, string>>();
        if (data.Length < 4)
        {
            return headers;
        }

        var count = BinaryPrimitives.ReadInt32BigEndian(data);
        var at = 4;
        for (var i = 0; i < count && at + 4 <= data.Length; i++)
        {
            var nameLength = BinaryPrimitives.ReadInt32BigEndian(data[at..]);
            var name = Encoding.UTF8.GetString(data.Slice(at + 4, nameLength));
            at += 4 + nameLength;
            var valueLength = BinaryPrimitives.ReadInt32BigEndian(data[at..]);
            var value = Encoding.UTF8.GetString(data.Slice(at + 4, valueLength));
            at += 4 + valueLength;
            foreach (var part in value.Split('\0'))
            {
                headers.Add(new(name, part));
            }
        }

        return headers;
    }

    private static void WriteInt(Stream stream, int value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(bytes, value);
        stream.Write(bytes);
    }

    private static uint Adler32(byte[] data)
    {
        uint a = 1, b = 0;
        foreach (var d in data)
        {
            a = (a + d) % 65521;
            b = (b + a) % 65521;
        }

        return (b << 16) | a;
    }
}
