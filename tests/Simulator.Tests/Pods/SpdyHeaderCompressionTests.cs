using LabNet.Simulator.Pods.PortForward;

namespace LabNet.Simulator.Tests.Pods;

/// <summary>SPDY/3 header blocks as a Go peer (zlib with the SPDY dictionary, sync-flushed per frame) sends them.</summary>
public sealed class SpdyHeaderCompressionTests
{
    [Fact]
    public void The_dictionary_is_the_spdy3_one()
    {
        Assert.Equal(1423, SpdyHeaderCompression.Dictionary.Length);
    }

    [Fact]
    public void Consecutive_blocks_of_one_compression_stream_decode_to_their_headers()
    {
        // Produced by zlib (level 9, the SPDY/3 dictionary), one sync flush per block, as spdystream's framer does.
        var first = Convert.FromHexString("78f9e3c6a7c202253a703a2b294a4dcc851625aca9a0808614cb45e01c606264022a84388b20d198094ade8c0600000000ffff");
        var second = Convert.FromHexString("c2aa19540e2512d60b000000ffff");
        var codec = new SpdyHeaderCompression();

        var error = codec.Decompress(first);
        var data = codec.Decompress(second);

        Assert.Equal([new("streamtype", "error"), new("port", "4245"), new("requestid", "0")], error);
        Assert.Equal([new("streamtype", "data"), new("port", "4245"), new("requestid", "0")], data);
    }
}
