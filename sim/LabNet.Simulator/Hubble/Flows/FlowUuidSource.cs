namespace LabNet.Simulator.Hubble.Flows;

/// <summary>
/// Version-4 style UUIDs for flows, drawn from a seeded generator so that a run with the same seed replays the same
/// identifiers. Thread-safe.
/// </summary>
public sealed class FlowUuidSource(int seed)
{
    private readonly Random _random = new(seed);
    private readonly Lock _sync = new();

    public string Next()
    {
        Span<byte> bytes = stackalloc byte[16];
        lock (_sync)
        {
            _random.NextBytes(bytes);
        }

        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes).ToString();
    }
}
