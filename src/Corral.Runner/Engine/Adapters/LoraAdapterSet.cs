using Corral.Llama;

namespace Corral.Runner.Engine.Adapters;

/// <summary>
/// The model's LoRA adapters (loaded with it, in the order the server lists them) and the scales a request uses unless
/// it names its own: 1 each, the adapter as trained (llama.cpp multiplies by alpha / rank itself), as llama-server's
/// <c>--lora</c> and Ollama apply them.
/// </summary>
internal sealed class LoraAdapterSet
{
    private AdapterScales? _applied;

    public LoraAdapterSet(IReadOnlyList<LlamaLoraAdapter> adapters)
    {
        Adapters = adapters;
        Default = adapters.Count == 0 ? AdapterScales.None : new AdapterScales(Enumerable.Repeat(1f, adapters.Count).ToArray());
    }

    public static LoraAdapterSet Empty { get; } = new([]);

    public IReadOnlyList<LlamaLoraAdapter> Adapters { get; }

    public AdapterScales Default { get; }

    /// <summary>A request's scales: its own (one per adapter, finite) or the default when it gives none.</summary>
    /// <exception cref="InvalidCompletionException">A scale list of another length, or a scale that is not a finite number.</exception>
    public AdapterScales For(float[]? requested)
    {
        if (requested is null)
        {
            return Default;
        }

        if (requested.Length != Adapters.Count)
        {
            throw new InvalidCompletionException($"lora: {requested.Length} scales given for {Adapters.Count} adapters");
        }

        foreach (var scale in requested)
        {
            if (!float.IsFinite(scale))
            {
                throw new InvalidCompletionException("lora: a scale must be a finite number");
            }
        }

        return Default.Equals(new AdapterScales(requested)) ? Default : new AdapterScales(requested);
    }

    /// <summary>
    /// Makes <paramref name="scales"/> the set the context's next decodes use: nothing to do without adapters or when it
    /// is the set applied last (every decode step asks; the engine's one context is the only one these adapters serve).
    /// </summary>
    public void Apply(LlamaContext context, AdapterScales scales)
    {
        if (Adapters.Count > 0 && !scales.Equals(_applied))
        {
            context.SetLoraAdapters(Adapters, scales.Values);
            _applied = scales;
        }
    }
}
