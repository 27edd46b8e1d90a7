using Microsoft.Extensions.Options;

namespace LabNet.Simulator.Clock;

/// <summary>The twin's single source of randomness, seeded by <c>Simulator:Seed</c>; safe to share between requests.</summary>
public sealed class SimulationRandom(IOptions<SimulatorOptions> options)
{
    private readonly Random _random = new(options.Value.Seed);
    private readonly Lock _sync = new();

    public int Next(int maxExclusive)
    {
        lock (_sync)
        {
            return _random.Next(maxExclusive);
        }
    }

    public double NextDouble()
    {
        lock (_sync)
        {
            return _random.NextDouble();
        }
    }

    /// <summary>A duration drawn uniformly between two bounds.</summary>
    public TimeSpan Between(TimeSpan min, TimeSpan max) =>
        max <= min ? min : min + TimeSpan.FromTicks((long)((max - min).Ticks * NextDouble()));

    public void Fill(Span<byte> bytes)
    {
        lock (_sync)
        {
            _random.NextBytes(bytes);
        }
    }

    /// <summary>Lowercase letters and digits, as kubeadm tokens use.</summary>
    public string Token(int length)
    {
        const string alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        var chars = new char[length];
        lock (_sync)
        {
            for (var i = 0; i < length; i++)
            {
                chars[i] = alphabet[_random.Next(alphabet.Length)];
            }
        }

        return new string(chars);
    }
}
