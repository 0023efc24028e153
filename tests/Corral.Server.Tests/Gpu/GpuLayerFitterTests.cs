using Corral.Server.Scheduling.Gpu;

namespace Corral.Server.Tests.Gpu;

/// <summary>
/// The layer placement rules on made-up devices (a machine with several GPUs is not at hand; the lavapipe tests run
/// the one-GPU cases for real). Four 100-byte blocks, a 50-byte output layer, 1 byte of KV per token per block
/// and 10 tokens of context: a block costs 110 bytes, the whole model 490; no compute buffer unless a test adds one.
/// </summary>
public sealed class GpuLayerFitterTests
{
    private static readonly ModelGpuShape Shape = new()
    {
        BlockBytes = [100, 100, 100, 100],
        OutputBytes = 50,
        KvBytesPerTokenPerBlock = 1,
    };

    private static GpuPlan Fit(long[] available, int numGpu = -1, bool spread = false, ModelGpuShape? shape = null) =>
        GpuLayerFitter.Fit(new GpuFitRequest { Shape = shape ?? Shape, ContextTokens = 10, RequestedLayers = numGpu, Spread = spread, Available = available });

    [Fact]
    public void A_model_that_fits_goes_whole_to_the_GPU()
    {
        var plan = Fit([1000]);
        Assert.True(plan.IsFull);
        Assert.Equal(5, plan.Layers);
        Assert.Equal([490L], plan.BytesPerGpu);
        Assert.Empty(plan.TensorSplit);
    }

    [Fact]
    public void Otherwise_as_many_layers_as_fit_output_layer_first()
    {
        // 50 (output) + 110 + 110 = 270 fits in 300; a third block would not.
        var plan = Fit([300]);
        Assert.Equal(3, plan.Layers);
        Assert.False(plan.IsFull);
        Assert.Equal([270L], plan.BytesPerGpu);
        Assert.Equal(GpuPlan.None, Fit([49]));
    }

    [Fact]
    public void One_GPU_with_room_is_preferred_to_a_split()
    {
        var plan = Fit([300, 1000]);
        Assert.Equal([0, 5], plan.LayersPerGpu);
        Assert.Equal([0, 5], plan.TensorSplit); // keeps llama.cpp from splitting by free memory
    }

    [Fact]
    public void OLLAMA_SCHED_SPREAD_splits_over_every_GPU()
    {
        var plan = Fit([1000, 1000], spread: true);
        Assert.True(plan.IsFull);
        Assert.Equal([2, 3], plan.LayersPerGpu);
        Assert.Equal(490L, plan.VramBytes);
    }

    [Fact]
    public void A_model_too_big_for_any_one_GPU_is_split_by_layer()
    {
        var plan = Fit([300, 300]);
        Assert.True(plan.IsFull);
        Assert.Equal(5, plan.LayersPerGpu.Sum());
        Assert.All(plan.BytesPerGpu, b => Assert.InRange(b, 1, 300));
    }

    [Fact]
    public void An_explicit_num_gpu_is_obeyed_even_beyond_the_room()
    {
        Assert.Equal(2, Fit([1000], numGpu: 2).Layers);
        Assert.Equal(4, Fit([100], numGpu: 4).Layers);
        Assert.Equal(5, Fit([1000], numGpu: 99).Layers);
        Assert.Equal(GpuPlan.None, Fit([1000], numGpu: 0));
        Assert.Equal(GpuPlan.None, Fit([]));
    }

    [Fact]
    public void Each_GPU_used_holds_a_compute_buffer()
    {
        var shape = Shape with { EmbeddingLength = 1, VocabularySize = 1, HeadCount = 1 };
        var graph = GpuLayerFitter.ComputeBufferBytes(shape, 10, 512);
        Assert.Equal((4 * 10 * (4 + 1)) + (4 * 10 * 10), graph);
        Assert.Equal(5, Fit([490 + graph], shape: shape).Layers);
        Assert.Equal(4, Fit([489 + graph], shape: shape).Layers);
        var split = Fit([1000, 1000], spread: true, shape: shape);
        Assert.Equal(2 * graph, split.ComputeBufferBytes);
        Assert.Equal(490 + (2 * graph), split.VramBytes);
    }
}
