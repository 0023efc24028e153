namespace Corral.Server.Scheduling.Gpu;

/// <summary>What <see cref="GpuLayerFitter"/> places: a model, its context, what was asked and the room on each GPU.</summary>
public sealed record GpuFitRequest
{
    public required ModelGpuShape Shape { get; init; }

    /// <summary>KV cells of the whole context (num_ctx × parallel).</summary>
    public required int ContextTokens { get; init; }

    public int BatchSize { get; init; } = 512;

    /// <summary>num_gpu: layers to offload; negative = as many as fit.</summary>
    public int RequestedLayers { get; init; } = -1;

    /// <summary>OLLAMA_SCHED_SPREAD: split over every GPU even when one would hold the whole model.</summary>
    public bool Spread { get; init; }

    /// <summary>Device memory free for this model on each GPU (after OLLAMA_GPU_OVERHEAD and the models already there), in llama.cpp's device order.</summary>
    public required IReadOnlyList<long> Available { get; init; }
}
