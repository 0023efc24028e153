namespace Corral.Server.Scheduling.Gpu;

/// <summary>
/// Decides how many layers go to which GPU, as Ollama's scheduler does: the whole model on the one GPU with the most
/// room when it fits there (unless OLLAMA_SCHED_SPREAD), else split by layer over the GPUs (dealt out in turn to
/// those with room), else as many layers as fit, the rest on the CPU. A layer costs its weights plus its share of the KV cache; each GPU that takes layers
/// also holds a compute buffer. Layers are placed in llama.cpp's order: n_gpu_layers = k offloads the output layer
/// and the last k-1 blocks, and with a tensor split the first GPU takes the lowest of them, so the last GPU takes
/// the output layer. An explicit num_gpu is obeyed whether or not it fits (Ollama's rule too).
/// </summary>
public static class GpuLayerFitter
{
    public static GpuPlan Fit(GpuFitRequest request)
    {
        var shape = request.Shape;
        var gpus = request.Available.Count;
        var offloadable = shape.OffloadableLayers;
        var target = request.RequestedLayers < 0 ? offloadable : Math.Min(request.RequestedLayers, offloadable);
        if (gpus == 0 || shape.BlockBytes.Count == 0 || target == 0)
        {
            return GpuPlan.None;
        }

        // Costs top-down: [0] the output layer, [1] the last block, [2] the one before, ...
        var costs = new long[offloadable];
        costs[0] = shape.OutputBytes;
        var kvPerBlock = shape.KvBytesPerTokenPerBlock * request.ContextTokens;
        for (var k = 1; k < offloadable; k++)
        {
            costs[k] = shape.BlockBytes[offloadable - 1 - k] + kvPerBlock;
        }

        var graph = ComputeBufferBytes(shape, request.ContextTokens, request.BatchSize);
        var wanted = costs.Take(target).Sum() + graph;
        var counts = new int[gpus];
        if (!request.Spread || gpus == 1)
        {
            var best = Enumerable.Range(0, gpus).MaxBy(g => request.Available[g]);
            if (wanted <= request.Available[best] || (gpus == 1 && request.RequestedLayers >= 0))
            {
                counts[best] = target;
                return Plan(counts, costs, graph, offloadable);
            }
        }

        // Split by layer, as Ollama does: the layers in turn over the GPUs that still have room for them, starting
        // with the last (it takes the output layer), so the counts come out even where the room allows.
        var room = request.Available.Select(a => a - graph).ToArray();
        var placed = 0;
        var next = gpus - 1;
        while (placed < target)
        {
            var taker = -1;
            for (var t = 0; t < gpus && taker < 0; t++)
            {
                var g = ((next - t) % gpus + gpus) % gpus;
                if (room[g] >= costs[placed])
                {
                    taker = g;
                }
            }

            if (taker < 0)
            {
                break;
            }

            room[taker] -= costs[placed];
            counts[taker]++;
            placed++;
            next = taker - 1;
        }

        if (request.RequestedLayers >= 0 && placed < target)
        {
            // Asked for more than fits: the rest goes where the most room is (it may fail to load, as it would in Ollama).
            counts[Enumerable.Range(0, gpus).MaxBy(g => request.Available[g])] += target - placed;
        }

        return counts.Sum() == 0 ? GpuPlan.None : Plan(counts, costs, graph, offloadable);
    }

    /// <summary>
    /// ggml's compute buffer on a GPU, roughly: the activations and logits of one batch (4 bytes each), and without
    /// flash attention the attention scores (batch × heads × cells). An estimate, as Ollama's graph sizes are.
    /// </summary>
    public static long ComputeBufferBytes(ModelGpuShape shape, int contextTokens, int batchSize)
    {
        long batch = Math.Max(1, Math.Min(batchSize, contextTokens));
        return 4 * batch * ((4L * shape.EmbeddingLength) + shape.VocabularySize)
            + (4 * batch * shape.HeadCount * (long)contextTokens);
    }

    private static GpuPlan Plan(int[] counts, long[] costs, long graph, int offloadable)
    {
        // Bytes by walking the layers top-down in the order llama.cpp hands them out (last GPU first).
        var bytes = new long[counts.Length];
        var next = 0;
        for (var g = counts.Length - 1; g >= 0; g--)
        {
            for (var i = 0; i < counts[g]; i++)
            {
                bytes[g] += costs[next++];
            }

            if (counts[g] > 0)
            {
                bytes[g] += graph;
            }
        }

        return new GpuPlan(counts.Sum(), offloadable, counts, bytes, graph * counts.Count(n => n > 0));
    }
}
