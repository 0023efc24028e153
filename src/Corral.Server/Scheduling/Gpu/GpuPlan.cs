namespace Corral.Server.Scheduling.Gpu;

/// <summary>
/// Where a model's layers go: how many llama.cpp offloads (its n_gpu_layers: the output layer first, then blocks
/// from the last down), how many each GPU takes (its tensor_split), and the device memory that costs on each.
/// </summary>
/// <param name="Layers">Layers offloaded (0 = all on the CPU).</param>
/// <param name="OffloadableLayers">The model's blocks plus its output layer.</param>
/// <param name="LayersPerGpu">Layers each GPU takes, in llama.cpp's device order.</param>
/// <param name="BytesPerGpu">Estimated device memory on each GPU (weights, KV cache, compute buffer).</param>
/// <param name="ComputeBufferBytes">The compute buffers among <paramref name="BytesPerGpu"/> (one on each GPU used).</param>
public sealed record GpuPlan(int Layers, int OffloadableLayers, IReadOnlyList<int> LayersPerGpu, IReadOnlyList<long> BytesPerGpu, long ComputeBufferBytes)
{
    public static GpuPlan None { get; } = new(0, 0, [], [], 0);

    /// <summary>Estimated device memory in all.</summary>
    public long VramBytes => BytesPerGpu.Sum();

    /// <summary>Every layer is on a GPU.</summary>
    public bool IsFull => Layers > 0 && Layers >= OffloadableLayers;

    /// <summary>The share of each GPU for the runner's --tensor-split; empty when one GPU or none (nothing to split).</summary>
    public IReadOnlyList<int> TensorSplit => LayersPerGpu.Count > 1 ? LayersPerGpu : [];

    /// <summary>"17/17 layers on Vulkan0" for the log.</summary>
    public string Describe(IReadOnlyList<string> gpuNames) =>
        Layers == 0
            ? "all layers on the CPU"
            : $"{Layers}/{OffloadableLayers} layers on " + string.Join(", ", LayersPerGpu
                .Select((n, i) => (n, i))
                .Where(x => x.n > 0)
                .Select(x => $"{(x.i < gpuNames.Count ? gpuNames[x.i] : "GPU" + x.i)} ({x.n}, {BytesPerGpu[x.i] / (1024.0 * 1024):0.#} MiB)"));
}
