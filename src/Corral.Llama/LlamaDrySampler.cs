using Corral.Llama.Native;

namespace Corral.Llama;

/// <summary>
/// A DRY sampler kept as a template: building one walks the whole vocabulary once per sequence breaker (to find every
/// token that holds one), which costs milliseconds per request on a large vocabulary; chains get copies of it
/// (<see cref="LlamaSamplerChain.AddDry(LlamaDrySampler)"/>), each with the same settings and breaker table and a history
/// of its own. Copying is thread-safe; disposing while a copy is being made is not.
/// </summary>
public sealed class LlamaDrySampler : IDisposable
{
    private nint _sampler;

    /// <param name="vocab">The vocabulary the breakers are looked up in; the copies serve only models with this vocabulary.</param>
    /// <param name="multiplier">DRY's multiplier (0 is off).</param>
    /// <param name="base">The base of the exponential penalty.</param>
    /// <param name="allowedLength">Repeats up to this long go unpenalised.</param>
    /// <param name="penaltyLastN">How many recent tokens are scanned for repeats.</param>
    /// <param name="sequenceBreakers">Strings a repeat never reaches across.</param>
    /// <exception cref="ArgumentException">A breaker holds a NUL character.</exception>
    public LlamaDrySampler(LlamaVocab vocab, float multiplier, float @base, int allowedLength, int penaltyLastN, IReadOnlyList<string> sequenceBreakers)
    {
        LlamaBackend.EnsureInitialized();
        _sampler = LlamaSamplerChain.CreateDry(vocab, multiplier, @base, allowedLength, penaltyLastN, sequenceBreakers);
        if (_sampler == 0)
        {
            throw new LlamaException("llama_sampler_init_dry failed");
        }
    }

    /// <summary>A copy the caller owns (a chain takes it over).</summary>
    internal nint CreateCopy()
    {
        ObjectDisposedException.ThrowIf(_sampler == 0, this);
        return LlamaNative.llama_sampler_clone(_sampler);
    }

    public void Dispose()
    {
        if (_sampler != 0)
        {
            LlamaNative.llama_sampler_free(_sampler);
            _sampler = 0;
        }
    }
}
