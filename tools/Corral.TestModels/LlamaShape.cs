using Corral.Models.Gguf;

namespace Corral.TestModels;

/// <summary>Hyperparameters of a generated llama-architecture model.</summary>
public sealed record LlamaShape
{
    public int EmbeddingLength { get; init; } = 64;
    public int BlockCount { get; init; } = 2;
    public int HeadCount { get; init; } = 4;
    public int HeadCountKv { get; init; } = 2;
    public int FeedForwardLength { get; init; } = 128;
    public int ContextLength { get; init; } = 2048;
    public float RmsEpsilon { get; init; } = 1e-5f;
    public float RopeFreqBase { get; init; } = 500000f;

    /// <summary>Type of the 2-D weight matrices (F32 or F16); norm vectors are always F32.</summary>
    public GgmlType WeightType { get; init; } = GgmlType.F32;

    /// <summary>When true there is no output.weight: llama.cpp reuses token_embd (as Llama 3.2 1B does).</summary>
    public bool TiedOutput { get; init; }

    public int HeadDimension => EmbeddingLength / HeadCount;
}
