using Corral.Llama;

namespace Corral.Runner.Engine.Slots;

/// <summary>
/// Prompts that left the slots, kept in host memory (as llama-server's <c>--cache-ram</c> does): when a slot is taken
/// over by a request that shares little with it, its KV state is saved here with the tokens it holds, and a later
/// request whose prompt starts the same way is restored from here instead of evaluated again. Bounded in bytes,
/// least recently used out first. Engine thread only, except the figures for /health.
/// </summary>
internal sealed class PromptCache(long capacityBytes)
{
    /// <summary>Entries at most; a linear scan per admitted request stays cheap.</summary>
    private const int MaxEntries = 256;

    private readonly List<Entry> _entries = [];
    private long _clock;
    private long _bytes;
    private long _restoredTokens;
    private int _count;

    public long CapacityBytes { get; } = capacityBytes;

    public long Bytes => Interlocked.Read(ref _bytes);

    public int Count => Volatile.Read(ref _count);

    /// <summary>Prompt tokens served from here instead of evaluated (since the runner started).</summary>
    public long RestoredTokens => Interlocked.Read(ref _restoredTokens);

    /// <summary>The entry sharing the longest prefix with <paramref name="prompt"/> (null and 0 when none shares any).</summary>
    public (Entry? Entry, int Length) FindLongestPrefix(ReadOnlySpan<LlamaToken> prompt)
    {
        Entry? best = null;
        var bestLength = 0;
        foreach (var entry in _entries)
        {
            var length = TokenPrefix.CommonLength(prompt, entry.Tokens);
            if (length > bestLength)
            {
                best = entry;
                bestLength = length;
            }
        }

        return (best, bestLength);
    }

    /// <summary>Whether some entry already holds <paramref name="tokens"/> (or more after them): no need to save them again.</summary>
    public bool Holds(ReadOnlySpan<LlamaToken> tokens)
    {
        foreach (var entry in _entries)
        {
            if (TokenPrefix.StartsWith(entry.Tokens, tokens))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Keeps a slot's state; entries it extends are dropped, then the least recently used until it fits.</summary>
    public void Add(LlamaToken[] tokens, byte[] state)
    {
        if (state.Length > CapacityBytes)
        {
            return;
        }

        _entries.RemoveAll(e =>
        {
            var superseded = TokenPrefix.StartsWith(tokens, e.Tokens);
            if (superseded)
            {
                Interlocked.Add(ref _bytes, -e.State.Length);
            }

            return superseded;
        });

        while (_entries.Count > 0 && (Bytes + state.Length > CapacityBytes || _entries.Count >= MaxEntries))
        {
            var oldest = _entries.MinBy(e => e.LastUsed)!;
            _entries.Remove(oldest);
            Interlocked.Add(ref _bytes, -oldest.State.Length);
        }

        _entries.Add(new Entry(tokens, state) { LastUsed = ++_clock });
        Interlocked.Add(ref _bytes, state.Length);
        Volatile.Write(ref _count, _entries.Count);
    }

    /// <summary>Marks an entry used (it was restored into a slot) and counts the tokens it saved from evaluation.</summary>
    public void Touch(Entry entry, int reusedTokens)
    {
        entry.LastUsed = ++_clock;
        Interlocked.Add(ref _restoredTokens, reusedTokens);
    }

    /// <summary>A saved sequence: the tokens its KV cells hold, in position order, and llama.cpp's state bytes.</summary>
    internal sealed class Entry(LlamaToken[] tokens, byte[] state)
    {
        public LlamaToken[] Tokens { get; } = tokens;

        public byte[] State { get; } = state;

        public long LastUsed { get; set; }
    }
}
