namespace LabNet.FlowCollector.Decoding;

/// <summary>
/// Reads protobuf wire format (varint, 64-bit, length-delimited, 32-bit) from a span; the minimum the Hubble
/// decoder needs. Throws <see cref="FormatException"/> on truncated or invalid input.
/// </summary>
internal ref struct ProtoWireReader(ReadOnlySpan<byte> data)
{
    public const int Varint = 0;
    public const int Fixed64 = 1;
    public const int LengthDelimited = 2;
    public const int Fixed32 = 5;

    private readonly ReadOnlySpan<byte> _data = data;
    private int _position;

    public readonly bool End => _position >= _data.Length;

    /// <summary>Reads the next tag; field number and wire type.</summary>
    public (int Field, int WireType) ReadTag()
    {
        var tag = ReadVarint();
        var field = (int)(tag >> 3);
        if (field == 0)
        {
            throw new FormatException("invalid protobuf tag (field 0)");
        }

        return (field, (int)(tag & 7));
    }

    public ulong ReadVarint()
    {
        ulong result = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (_position >= _data.Length)
            {
                throw new FormatException("truncated protobuf varint");
            }

            var b = _data[_position++];
            result |= (ulong)(b & 0x7f) << shift;
            if (b < 0x80)
            {
                return result;
            }
        }

        throw new FormatException("protobuf varint longer than 10 bytes");
    }

    public ReadOnlySpan<byte> ReadBytes()
    {
        var length = ReadVarint();
        if (length > (ulong)(_data.Length - _position))
        {
            throw new FormatException("truncated protobuf length-delimited field");
        }

        var value = _data.Slice(_position, (int)length);
        _position += (int)length;
        return value;
    }

    public void Skip(int wireType)
    {
        switch (wireType)
        {
            case Varint: ReadVarint(); break;
            case Fixed64: Advance(8); break;
            case LengthDelimited: ReadBytes(); break;
            case Fixed32: Advance(4); break;
            default: throw new FormatException($"unsupported protobuf wire type {wireType}");
        }
    }

    /// <summary>Reads a varint field or skips a field of another wire type (a schema mismatch) and returns 0.</summary>
    public ulong VarintOrSkip(int wireType)
    {
        if (wireType == Varint)
        {
            return ReadVarint();
        }

        Skip(wireType);
        return 0;
    }

    /// <summary>Reads a length-delimited field or skips a field of another wire type and returns empty.</summary>
    public ReadOnlySpan<byte> BytesOrSkip(int wireType)
    {
        if (wireType == LengthDelimited)
        {
            return ReadBytes();
        }

        Skip(wireType);
        return default;
    }

    private void Advance(int count)
    {
        if (count > _data.Length - _position)
        {
            throw new FormatException("truncated protobuf fixed-size field");
        }

        _position += count;
    }
}
