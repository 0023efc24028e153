using Corral.Runner.Discovery;
using Corral.Runner.Hosting;
using Corral.Server.Scheduling.Gpu;
using Microsoft.Extensions.Logging;

namespace Corral.Server.Scheduling;

/// <summary>
/// The scheduler's GPU part: places a model's layers on the GPUs (<see cref="GpuLayerFitter"/>) with the memory the
/// loaded and loading models leave, and, when it would not fit whole, evicts idle models that hold GPU memory first
/// (least recently used first), as Ollama does. Nothing here runs on the CPU build (no GPUs).
/// </summary>
public sealed partial class ModelScheduler
{
    private readonly GpuInventory? _gpus;
    private readonly Dictionary<string, GpuPlan> _loadingGpu = new(StringComparer.OrdinalIgnoreCase);

    private async Task<IReadOnlyList<DeviceEntry>> GpusAsync(CancellationToken cancellation) =>
        _gpus is null ? [] : await _gpus.GpusAsync().WaitAsync(cancellation).ConfigureAwait(false);

    /// <summary>
    /// Under the lock, before the system memory check: the bytes the GPUs would take off system memory (weights and KV
    /// cache of the layers that fit now, one slot), so a model mostly on GPUs is not refused for the host's RAM.
    /// </summary>
    private long GpuHeldBytesLocked(ModelLoadRequest request, IReadOnlyList<DeviceEntry> gpus)
    {
        if (gpus.Count == 0 || request.GpuShape is not { } shape || _gpus is null)
        {
            return 0;
        }

        var plan = GpuLayerFitter.Fit(new GpuFitRequest
        {
            Shape = shape,
            ContextTokens = request.Launch.ContextPerSlot,
            BatchSize = request.Launch.BatchSize,
            RequestedLayers = request.Launch.GpuLayers,
            Spread = _gpus.Settings.Spread,
            Available = GpuInventory.Available(gpus, _gpus.Settings.OverheadBytes, UsedPerGpuLocked(gpus.Count)),
        });
        return plan.VramBytes - plan.ComputeBufferBytes;
    }

    private long[] UsedPerGpuLocked(int count)
    {
        var used = new long[count];
        foreach (var plan in _loaded.Values.Where(m => !m.IsDead).Select(m => m.Gpu).Concat(_loadingGpu.Values))
        {
            for (var i = 0; i < Math.Min(used.Length, plan.BytesPerGpu.Count); i++)
            {
                used[i] += plan.BytesPerGpu[i];
            }
        }

        return used;
    }

    /// <summary>
    /// Under the lock: the layer placement for a load, evicting idle GPU models while it would not fit whole; null
    /// without GPUs (the runner then gets num_gpu as asked, which no device takes).
    /// </summary>
    private GpuPlan? FitGpuLocked(ModelLoadRequest request, RunnerLaunchOptions launch, IReadOnlyList<DeviceEntry> gpus, List<Task> stopped)
    {
        if (gpus.Count == 0 || request.GpuShape is not { } shape || _gpus is null)
        {
            return null;
        }

        while (true)
        {
            var used = UsedPerGpuLocked(gpus.Count);
            var fit = GpuLayerFitter.Fit(new GpuFitRequest
            {
                Shape = shape,
                ContextTokens = launch.ContextPerSlot * Math.Max(1, launch.Parallel),
                BatchSize = launch.BatchSize,
                RequestedLayers = launch.GpuLayers,
                Spread = _gpus.Settings.Spread,
                Available = GpuInventory.Available(gpus, _gpus.Settings.OverheadBytes, used),
            });
            if (fit.IsFull || launch.GpuLayers >= 0)
            {
                LogGpuPlan(request.Name, fit, gpus);
                return fit;
            }

            var victim = _loaded.Values.Where(m => m.Users == 0 && !m.IsDead && m.Gpu.Layers > 0).OrderBy(m => m.LastUsed).FirstOrDefault();
            if (victim is null)
            {
                LogGpuPlan(request.Name, fit, gpus);
                return fit;
            }

            stopped.Add(StopLocked(victim, "evict: its GPU memory is needed"));
        }
    }

    private static RunnerLaunchOptions WithGpuPlan(RunnerLaunchOptions launch, GpuPlan? gpu) =>
        gpu is null ? launch : launch with { GpuLayers = gpu.Layers, TensorSplit = gpu.TensorSplit };

    // Describe() builds a string, so it runs only when the line will be written.
    private void LogGpuPlan(string model, GpuPlan plan, IReadOnlyList<DeviceEntry> gpus)
    {
        if (_logger.IsEnabled(LogLevel.Information))
        {
            var placement = plan.Describe([.. gpus.Select(g => g.Name)]);
            LogGpuPlan(model, placement);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "placing model {Model}: {Placement}")]
    private partial void LogGpuPlan(string model, string placement);
}
