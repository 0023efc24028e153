using Corral.Runner.Hosting;

namespace Corral.Server.Scheduling;

/// <summary>What a request needs loaded: which model (by its store key) and with which load options.</summary>
public sealed record ModelLoadRequest
{
    /// <summary>The model's canonical name; one runner per name.</summary>
    public required string Name { get; init; }

    /// <summary>Launch options without a socket path (the scheduler picks it).</summary>
    public required RunnerLaunchOptions Launch { get; init; }

    /// <summary>How long the model stays loaded after this request; null = the server default.</summary>
    public TimeSpan? KeepAlive { get; init; }

    /// <summary>Size of the model file(s) in bytes, for the memory check and /api/ps.</summary>
    public long ModelBytes { get; init; }

    /// <summary>Bytes of KV cache one slot of context needs (estimated from the model's shape).</summary>
    public long KvBytesPerToken { get; init; }

    /// <summary>What offloading its layers costs, for placing them on GPUs; null: not placed (the runner gets num_gpu as asked).</summary>
    public Gpu.ModelGpuShape? GpuShape { get; init; }

    /// <summary>Whether a loaded runner with <paramref name="other"/> options can serve this request without a reload.</summary>
    public bool IsServedBy(RunnerLaunchOptions other) =>
        other.ModelPath == Launch.ModelPath
        && other.ProjectorPath == Launch.ProjectorPath
        && other.AdapterPaths.SequenceEqual(Launch.AdapterPaths)
        && other.DraftModelPath == Launch.DraftModelPath
        && other.ContextPerSlot == Launch.ContextPerSlot
        && other.BatchSize == Launch.BatchSize
        && other.GpuLayers == Launch.GpuLayers
        && other.MainGpu == Launch.MainGpu
        && other.UseMmap == Launch.UseMmap
        && other.Embedding == Launch.Embedding
        && (Launch.Threads == 0 || other.Threads == Launch.Threads);
}
