namespace Corral.Runner.Engine;

/// <summary>How the inference engine divides its one llama context.</summary>
public sealed record EngineOptions
{
    /// <summary>Context length of each slot (Ollama's num_ctx); the llama context holds Slots × this.</summary>
    public int ContextPerSlot { get; init; } = 4096;

    /// <summary>Parallel sequences (OLLAMA_NUM_PARALLEL).</summary>
    public int Slots { get; init; } = 1;

    /// <summary>Most tokens decoded in one llama_decode call (num_batch).</summary>
    public int BatchSize { get; init; } = 512;

    /// <summary>
    /// Prompt tokens a batch may carry once it completes a prompt (see <c>BatchLoop.AddPromptChunks</c>): small enough
    /// that prompts arriving together get their first tokens one after another, large enough that the per-decode
    /// cost stays small against the tokens evaluated.
    /// </summary>
    public int PrefillChunk { get; init; } = 64;

    /// <summary>Bytes of host memory for prompts that left the slots (<c>Slots.PromptCache</c>); 0 keeps none.</summary>
    public long PromptCacheBytes { get; init; }

    /// <summary>The model is an embedding model: the engine serves embeddings, not completions.</summary>
    public bool Embedding { get; init; }
}
