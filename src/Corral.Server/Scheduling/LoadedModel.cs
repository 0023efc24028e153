using Corral.Runner.Client;

namespace Corral.Server.Scheduling;

/// <summary>A model with a live runner: its slots, users, and when it expires.</summary>
public sealed class LoadedModel
{
    internal LoadedModel(ModelLoadRequest request, IModelRunner runner, int parallel)
    {
        Request = request;
        Runner = runner;
        Parallel = parallel;
        Slots = new SemaphoreSlim(parallel, parallel);
    }

    public ModelLoadRequest Request { get; }

    public string Name => Request.Name;

    public IModelRunner Runner { get; }

    public int Parallel { get; }

    internal SemaphoreSlim Slots { get; }

    /// <summary>Requests holding or waiting for a slot (guarded by the scheduler's lock).</summary>
    internal int Users { get; set; }

    internal TimeSpan KeepAlive { get; set; }

    /// <summary>When an idle model is unloaded; <see cref="DateTimeOffset.MaxValue"/> while in use or kept forever.</summary>
    public DateTimeOffset ExpiresAt { get; internal set; } = DateTimeOffset.MaxValue;

    internal long LastUsed { get; set; }

    public bool IsDead => Runner.HasExited;

    /// <summary>Model bytes plus the KV cache of every slot: what /api/ps reports as size.</summary>
    public long SizeBytes => Request.ModelBytes + (Request.KvBytesPerToken * Request.Launch.ContextPerSlot * Parallel);

    /// <summary>Where its layers went (none on the CPU build).</summary>
    public Gpu.GpuPlan Gpu { get; init; } = Scheduling.Gpu.GpuPlan.None;

    /// <summary>What /api/ps reports as size: <see cref="SizeBytes"/> and, on GPUs, their compute buffers (Ollama counts its graph too).</summary>
    public long ReportedSize => SizeBytes + Gpu.ComputeBufferBytes;

    /// <summary>What /api/ps reports as size_vram: all of <see cref="ReportedSize"/> when every layer is on a GPU, else the offloaded part.</summary>
    public long SizeVram => Gpu.IsFull ? ReportedSize : Math.Min(Gpu.VramBytes, ReportedSize);

    /// <summary>Completed when the model has no users; replaced each time it gets one.</summary>
    internal TaskCompletionSource Idle { get; set; } = NewIdle(completed: true);

    internal static TaskCompletionSource NewIdle(bool completed)
    {
        var tcs = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (completed)
        {
            tcs.SetResult();
        }

        return tcs;
    }
}
