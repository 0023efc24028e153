using Corral.Api.Ollama;
using Corral.Models.Gguf;
using Corral.Models.Manifests;
using Corral.Models.Names;
using Corral.Models.Store;

namespace Corral.Server.Resolution;

/// <summary>Everything the server knows about one stored model, read once per manifest version.</summary>
public sealed class ResolvedModel
{
    public required ModelName Name { get; init; }

    public required StoredModel Stored { get; init; }

    public required ModelConfig Config { get; init; }

    /// <summary>Path of the GGUF weights blob.</summary>
    public required string ModelPath { get; init; }

    public string? ProjectorPath { get; init; }

    /// <summary>The draft model of speculative decoding (a DRAFT layer), or null.</summary>
    public string? DraftPath { get; init; }

    public IReadOnlyList<string> AdapterPaths { get; init; } = [];

    /// <summary>The Go template (TEMPLATE layer), or null when the model has none.</summary>
    public string? Template { get; init; }

    public string? System { get; init; }

    public IReadOnlyList<string> Licenses { get; init; } = [];

    /// <summary>Modelfile PARAMETERs (params layer).</summary>
    public ModelOptions Parameters { get; init; } = new();

    /// <summary>Modelfile MESSAGEs (messages layer).</summary>
    public IReadOnlyList<ManifestMessage> Messages { get; init; } = [];

    /// <summary>GGUF header and metadata (arrays not materialised).</summary>
    public required GgufFile Gguf { get; init; }

    public string Architecture => Gguf.Architecture ?? Config.ModelFamily;

    public bool IsEmbeddingModel { get; init; }

    /// <summary>A reranker (cross-encoder): the GGUF declares rank pooling. It is also an embedding-mode model (no generation) but has no embeddings.</summary>
    public bool IsRerankModel { get; init; }

    public IReadOnlyList<string> Capabilities { get; init; } = [];

    /// <summary>The model's trained context length (0 when unknown).</summary>
    public int TrainContextLength => (int)(Gguf.TryGetUInt32(Architecture + "." + GgufKeys.ContextLengthSuffix, out var v) ? v : 0);

    /// <summary>The model's embedding width (0 when unknown).</summary>
    public int EmbeddingLength => (int)(Gguf.TryGetUInt32(Architecture + ".embedding_length", out var v) ? v : 0);

    private Scheduling.Gpu.ModelGpuShape? _gpuShape;

    /// <summary>What offloading this model's layers costs (cached: the KV cache type is the server's, fixed while it runs).</summary>
    public Scheduling.Gpu.ModelGpuShape GpuShape(string cacheType) =>
        _gpuShape ??= Scheduling.Gpu.ModelGpuShape.From(Gguf, Architecture, KvBytesPerToken(cacheType));

    /// <summary>Bytes of f16 K+V cache one token of context costs: 2 × layers × kv heads × head size × 2 bytes.</summary>
    public long KvBytesPerToken(string cacheType)
    {
        var arch = Architecture;
        var layers = Gguf.TryGetUInt32(arch + ".block_count", out var l) ? l : 0u;
        var embd = Gguf.TryGetUInt32(arch + ".embedding_length", out var e) ? e : 0u;
        var heads = Gguf.TryGetUInt32(arch + ".attention.head_count", out var h) && h > 0 ? h : 1u;
        var kvHeads = Gguf.TryGetUInt32(arch + ".attention.head_count_kv", out var k) && k > 0 ? k : heads;
        var kvWidth = (long)embd / heads * kvHeads;
        var bytesPerElement = cacheType switch
        {
            "q8_0" => 34.0 / 32,
            "q4_0" => 18.0 / 32,
            "f32" => 4.0,
            _ => 2.0,
        };
        return (long)(2 * layers * kvWidth * bytesPerElement);
    }
}
