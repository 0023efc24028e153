using Corral.Models.Gguf;

namespace Corral.Llama;

/// <summary>
/// Settings for a <see cref="LlamaContext"/> (a subset of <c>llama_context_params</c>).
/// Null means llama.cpp's default.
/// </summary>
public sealed record LlamaContextOptions
{
    /// <summary>Total KV cache size in tokens over all sequences; 0 = the model's training context.</summary>
    public int? ContextSize { get; init; }

    /// <summary>Most tokens one <see cref="LlamaContext.Decode"/> call may take (n_batch).</summary>
    public int? BatchSize { get; init; }

    /// <summary>Physical micro-batch size (n_ubatch), at most <see cref="BatchSize"/>.</summary>
    public int? UBatchSize { get; init; }

    /// <summary>Number of distinct sequences (parallel slots) the context holds (n_seq_max).</summary>
    public int? SeqMax { get; init; }

    /// <summary>Threads for single-token generation.</summary>
    public int? Threads { get; init; }

    /// <summary>Threads for prompt/batch processing.</summary>
    public int? BatchThreads { get; init; }

    /// <summary>Extract embeddings (together with logits).</summary>
    public bool? Embeddings { get; init; }

    public LlamaPoolingType? PoolingType { get; init; }

    public LlamaFlashAttention? FlashAttention { get; init; }

    /// <summary>KV cache type for K (F16 by default; Q8_0/Q4_0 need flash attention for V).</summary>
    public GgmlType? TypeK { get; init; }

    public GgmlType? TypeV { get; init; }

    /// <summary>Keep the KV cache on the GPU when offloading.</summary>
    public bool? OffloadKqv { get; init; }

    /// <summary>Skip performance timing.</summary>
    public bool? NoPerf { get; init; }

    /// <summary>
    /// One KV buffer shared by all sequences (true) or ContextSize/SeqMax cells per sequence (false).
    /// Shared is best when sequences share long prefixes or have uneven lengths.
    /// </summary>
    public bool? KvUnified { get; init; }

    /// <summary>Full-size cache for sliding-window-attention layers (needed to reuse old prefixes on SWA models).</summary>
    public bool? SwaFull { get; init; }
}
