using System.Globalization;

namespace LabNet.Simulator.Kubernetes;

/// <summary>
/// The names and uids an apiserver and its controllers make up, from seeded sources: the same seed and the same
/// requests give the same names. Uids come from a stream of their own, so background work (a namespace's default
/// ServiceAccount) never shifts the names a given sequence of requests gets.
/// </summary>
internal sealed class GeneratedNames(int seed, TimeProvider time)
{
    private const string NameAlphabet = "bcdfghjklmnpqrstvwxz2456789";

    private readonly Random _uidRandom = new(unchecked(seed * 31 + 7));
    private long _lastEventNanos;

    /// <summary>The cluster's seeded source for generated names (pods, generateName).</summary>
    public Random Random { get; } = new(seed);

    /// <summary>Suffixes like the apiserver's name generator (5 characters, no vowels).</summary>
    public string RandomSuffix(int length)
    {
        lock (Random)
        {
            return string.Create(length, Random, (span, random) =>
            {
                for (var i = 0; i < span.Length; i++)
                {
                    span[i] = NameAlphabet[random.Next(NameAlphabet.Length)];
                }
            });
        }
    }

    /// <summary>Event names end in the time in hex nanoseconds, as client-go's recorder makes them, so they sort in time order.</summary>
    public string NextEventSuffix()
    {
        var now = (time.GetUtcNow() - DateTimeOffset.UnixEpoch).Ticks * 100;
        long next, last;
        do
        {
            last = Interlocked.Read(ref _lastEventNanos);
            next = Math.Max(now, last + 1);
        }
        while (Interlocked.CompareExchange(ref _lastEventNanos, next, last) != last);

        return next.ToString("x", CultureInfo.InvariantCulture);
    }

    /// <summary>A version-4 UUID.</summary>
    public string NewUid()
    {
        var bytes = new byte[16];
        lock (_uidRandom)
        {
            _uidRandom.NextBytes(bytes);
        }

        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true).ToString();
    }
}
