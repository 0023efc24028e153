using System.Globalization;
using Corral.Models.Gguf;

namespace Corral.Server.Scheduling.Gpu;

/// <summary>
/// What offloading a model's layers costs in device memory, read off its GGUF header: the weights of each repeating
/// block (<c>blk.N.*</c>), of the output layer (<c>output.*</c>, or the tied token embedding when there is no
/// <c>output.weight</c>), and the shape the KV cache and compute buffers scale with.
/// </summary>
public sealed record ModelGpuShape
{
    /// <summary>Weight bytes of each repeating block, by block index.</summary>
    public required IReadOnlyList<long> BlockBytes { get; init; }

    /// <summary>Weight bytes of the output layer (norm and projection), which llama.cpp counts as one more layer.</summary>
    public long OutputBytes { get; init; }

    /// <summary>K+V cache bytes one token of context costs in one block.</summary>
    public long KvBytesPerTokenPerBlock { get; init; }

    public int EmbeddingLength { get; init; }

    public int HeadCount { get; init; }

    public int VocabularySize { get; init; }

    /// <summary>Offloadable layers: the blocks and the output layer (llama.cpp's n_layer + 1).</summary>
    public int OffloadableLayers => BlockBytes.Count + 1;

    public static ModelGpuShape From(GgufFile gguf, string architecture, long kvBytesPerToken)
    {
        var blockCount = gguf.TryGetUInt32(architecture + ".block_count", out var l) ? (int)l : 0;
        var blocks = new long[blockCount];
        long output = 0, tiedEmbedding = 0;
        var hasOutputWeight = false;
        foreach (var tensor in gguf.Tensors)
        {
            var name = tensor.Name;
            if (name.StartsWith("blk.", StringComparison.Ordinal))
            {
                var end = name.IndexOf('.', 4);
                if (end > 4 && int.TryParse(name.AsSpan(4, end - 4), NumberStyles.None, CultureInfo.InvariantCulture, out var block) && block < blockCount)
                {
                    blocks[block] += tensor.ByteSize;
                }
            }
            else if (name.StartsWith("output", StringComparison.Ordinal))
            {
                output += tensor.ByteSize;
                hasOutputWeight |= name == "output.weight";
            }
            else if (name == "token_embd.weight")
            {
                tiedEmbedding = tensor.ByteSize;
            }
        }

        var heads = gguf.TryGetUInt32(architecture + ".attention.head_count", out var h) && h > 0 ? (int)h : 1;
        var vocabulary = gguf.TryGetArray(GgufKeys.Tokens, out var tokens) ? (int)tokens.Count : 0;
        return new ModelGpuShape
        {
            BlockBytes = blocks,
            // Without output.weight the output projection reuses token_embd, which llama.cpp then also places on
            // the output layer's device.
            OutputBytes = output + (hasOutputWeight ? 0 : tiedEmbedding),
            KvBytesPerTokenPerBlock = blockCount > 0 ? kvBytesPerToken / blockCount : 0,
            EmbeddingLength = gguf.TryGetUInt32(architecture + ".embedding_length", out var e) ? (int)e : 0,
            HeadCount = heads,
            VocabularySize = vocabulary,
        };
    }
}
