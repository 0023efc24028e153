namespace Corral.TestModels;

/// <summary>Tiny deterministic PRNG: fast, and the same sequence on every platform and .NET version.</summary>
internal struct SplitMix64(ulong seed)
{
    private ulong _state = seed;

    public ulong Next()
    {
        ulong z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [-1, 1).</summary>
    public float NextSigned() => (float)((long)(Next() >> 11) * (1.0 / (1L << 52)) - 1.0);

    /// <summary>A seed that depends on a base seed and a tensor name, so tensors don't depend on write order.</summary>
    public static ulong Derive(ulong seed, string name)
    {
        ulong h = seed ^ 0xCBF29CE484222325UL;
        foreach (char c in name)
        {
            h = (h ^ c) * 0x100000001B3UL;
        }

        return h;
    }
}
