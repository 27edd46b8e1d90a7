using System.Buffers.Binary;
using System.Numerics;

namespace LabNet.FlowCollector.Flows;

/// <summary>A small non-cryptographic hash for short UTF-8 keys (field names, label values) in the decoders' tables.</summary>
public static class Utf8Hash
{
    public static int Compute(ReadOnlySpan<byte> bytes) => (int)Compute64(bytes) & int.MaxValue;

    public static ulong Compute64(ReadOnlySpan<byte> bytes)
    {
        // FNV-1a over 8-byte words, then a final avalanche; keys are short (mostly < 32 bytes).
        ulong hash = 14695981039346656037UL ^ (ulong)bytes.Length;
        while (bytes.Length >= 8)
        {
            hash = (hash ^ BinaryPrimitives.ReadUInt64LittleEndian(bytes)) * 1099511628211UL;
            hash = BitOperations.RotateLeft(hash, 29);
            bytes = bytes[8..];
        }

        foreach (var b in bytes)
        {
            hash = (hash ^ b) * 1099511628211UL;
        }

        hash ^= hash >> 33;
        hash *= 0xff51afd7ed558ccdUL;
        hash ^= hash >> 33;
        return hash;
    }
}
