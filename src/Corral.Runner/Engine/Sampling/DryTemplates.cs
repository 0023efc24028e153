using Corral.Llama;

namespace Corral.Runner.Engine.Sampling;

/// <summary>
/// DRY samplers by their settings, built once per model and copied into each request's chain: building one walks the
/// whole vocabulary once per sequence breaker, which on a 128k-token vocabulary costs every request with DRY on
/// milliseconds before its first token. Clients send the same few settings again and again; the last
/// <see cref="Capacity"/> distinct ones are kept. Used from the admission threads, so every use holds the lock.
/// </summary>
internal sealed class DryTemplates(LlamaVocab vocab) : IDisposable
{
    public const int Capacity = 8;

    // Most recently used first.
    private readonly List<(Key Settings, LlamaDrySampler Sampler)> _entries = [];

    /// <summary>Adds DRY with these settings to <paramref name="chain"/>, from a kept template when one matches.</summary>
    /// <exception cref="ArgumentException">A breaker holds a NUL character.</exception>
    public void AddTo(LlamaSamplerChain chain, float multiplier, float @base, int allowedLength, int window, IReadOnlyList<string> breakers)
    {
        // Breakers cannot hold NUL (llama.cpp would cut them there), so joined with NUL after their count they name one list.
        var key = new Key(multiplier, @base, allowedLength, window, $"{breakers.Count}\0{string.Join('\0', breakers)}");
        lock (_entries)
        {
            var index = _entries.FindIndex(e => e.Settings == key);
            LlamaDrySampler template;
            if (index >= 0)
            {
                template = _entries[index].Sampler;
                _entries.RemoveAt(index);
            }
            else
            {
                template = new LlamaDrySampler(vocab, multiplier, @base, allowedLength, window, breakers);
                if (_entries.Count == Capacity)
                {
                    _entries[^1].Sampler.Dispose();
                    _entries.RemoveAt(_entries.Count - 1);
                }
            }

            _entries.Insert(0, (key, template));
            chain.AddDry(template);
        }
    }

    /// <summary>How many templates are kept (for tests).</summary>
    public int Count
    {
        get
        {
            lock (_entries)
            {
                return _entries.Count;
            }
        }
    }

    public void Dispose()
    {
        lock (_entries)
        {
            foreach (var (_, sampler) in _entries)
            {
                sampler.Dispose();
            }

            _entries.Clear();
        }
    }

    private readonly record struct Key(float Multiplier, float Base, int AllowedLength, int Window, string Breakers);
}
