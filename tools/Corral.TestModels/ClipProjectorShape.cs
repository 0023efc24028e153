namespace Corral.TestModels;

/// <summary>
/// Hyperparameters of a generated CLIP-style vision projector (llava "mlp" type): a ViT over
/// <see cref="ImageSize"/>² pixels in <see cref="PatchSize"/>² patches, then a two-layer MLP to
/// <see cref="ProjectionLength"/> (the text model's n_embd).
/// </summary>
public sealed record ClipProjectorShape
{
    /// <summary>Every image is resized to this square before encoding.</summary>
    public int ImageSize { get; init; } = 32;

    public int PatchSize { get; init; } = 8;

    /// <summary>ViT width.</summary>
    public int EmbeddingLength { get; init; } = 32;

    public int HeadCount { get; init; } = 4;

    public int FeedForwardLength { get; init; } = 64;

    /// <summary>ViT blocks in the file; llava uses all but the last (the features come from the second to last).</summary>
    public int BlockCount { get; init; } = 2;

    /// <summary>Output width per image token; must equal the text model's embedding length.</summary>
    public int ProjectionLength { get; init; } = 64;

    /// <summary>Embeddings (KV cells) one image becomes: one per patch.</summary>
    public int TokensPerImage => ImageSize / PatchSize * (ImageSize / PatchSize);
}
