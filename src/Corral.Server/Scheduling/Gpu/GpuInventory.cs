using Corral.Llama.Native;
using Corral.Runner.Client;
using Corral.Runner.Discovery;
using Microsoft.Extensions.Logging;

namespace Corral.Server.Scheduling.Gpu;

/// <summary>
/// The GPUs the runners will use and their memory, found once at start. With the CPU build nothing is probed (no
/// GPU backend is loaded, so there is none to find); with a GPU build a <c>corral devices</c> child loads it as a
/// runner would and reports ggml's devices (<see cref="DeviceProbe"/>). The findings are logged in the server's
/// first lines, as Ollama logs its "inference compute" lines. Free memory is the figure at start; the scheduler
/// subtracts what the models it loads take (<see cref="GpuPlan"/>), as Ollama's estimates do.
/// </summary>
public sealed partial class GpuInventory
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(60);
    private readonly Task<IReadOnlyList<DeviceEntry>> _gpus;

    /// <param name="settings">Ollama's GPU scheduling variables.</param>
    /// <param name="logger">Where the findings are logged.</param>
    /// <param name="environment">
    /// The server's variables: the llama.cpp build is chosen from them (this process's own choice when they are the
    /// process environment), and the device probe sees them, as the runners will.
    /// </param>
    public GpuInventory(GpuSettings settings, ILogger<GpuInventory> logger, EnvironmentSource environment)
        : this(
            settings,
            logger,
            environment.IsProcess ? LlamaBackendSelection.Current : LlamaBackendSelection.For(environment.Get),
            () => DeviceProbe.RunAsync(ProbeTimeout, environment, CancellationToken.None))
    {
    }

    internal GpuInventory(GpuSettings settings, ILogger logger, LlamaBackendSelection selection, Func<Task<DeviceReport>> probe)
    {
        Settings = settings;
        Backend = selection.Kind;
        _logger = logger;
        _gpus = DiscoverAsync(selection, probe);
    }

    private readonly ILogger _logger;

    public GpuSettings Settings { get; }

    public LlamaBackendKind Backend { get; }

    /// <summary>The GPUs llama.cpp offloads to, in its device order (discrete GPUs, else integrated ones); empty on the CPU build.</summary>
    public Task<IReadOnlyList<DeviceEntry>> GpusAsync() => _gpus;

    private async Task<IReadOnlyList<DeviceEntry>> DiscoverAsync(LlamaBackendSelection selection, Func<Task<DeviceReport>> probe)
    {
        if (selection.Note is { } note)
        {
            LogNote(note);
        }

        if (selection.Kind == LlamaBackendKind.Cpu)
        {
            // Reading free memory is a system call: only when the line will be written.
            if (_logger.IsEnabled(LogLevel.Information))
            {
                var availableGiB = SystemMemory.AvailableBytes() / GiB;
                LogCpuOnly(selection.Directory, availableGiB);
            }

            return [];
        }

        await Task.Yield();
        var report = await probe().ConfigureAwait(false);
        if (report.Error is { } error)
        {
            LogProbeFailed(selection.Kind.ToString(), error);
            return [];
        }

        foreach (var d in report.Devices)
        {
            LogDevice(report.Backend, d.Index, d.Name, d.Description, d.Type, d.TotalBytes / GiB, d.FreeBytes / GiB);
        }

        var gpus = report.Devices.Where(d => d.Type == "gpu").ToList();
        if (gpus.Count == 0)
        {
            // llama.cpp uses integrated GPUs only when there is no discrete one.
            gpus = [.. report.Devices.Where(d => d.Type == "igpu")];
        }

        if (gpus.Count == 0)
        {
            LogNoGpu(report.Backend);
        }

        return gpus;
    }

    /// <summary>Free bytes each GPU offers a new model: measured free memory less OLLAMA_GPU_OVERHEAD and <paramref name="used"/>.</summary>
    public static long[] Available(IReadOnlyList<DeviceEntry> gpus, long overhead, IReadOnlyList<long> used) =>
        [.. gpus.Select((g, i) => Math.Max(0, g.FreeBytes - overhead - (i < used.Count ? used[i] : 0)))];

    private const double GiB = 1024.0 * 1024 * 1024;

    [LoggerMessage(Level = LogLevel.Information, Message = "inference compute: library=cpu (no GPU build in use) libs={Directory} available=\"{AvailableGiB:0.0} GiB\"")]
    private partial void LogCpuOnly(string directory, double availableGiB);

    [LoggerMessage(Level = LogLevel.Information, Message = "inference compute: library={Library} id={Index} name={Name} description=\"{Description}\" type={Type} total=\"{TotalGiB:0.0} GiB\" available=\"{FreeGiB:0.0} GiB\"")]
    private partial void LogDevice(string library, int index, string name, string description, string type, double totalGiB, double freeGiB);

    [LoggerMessage(Level = LogLevel.Warning, Message = "GPU discovery: {Note}")]
    private partial void LogNote(string note);

    [LoggerMessage(Level = LogLevel.Warning, Message = "GPU discovery with the {Backend} build failed, running on the CPU: {Error}")]
    private partial void LogProbeFailed(string backend, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "no GPU found by the {Library} build; layers run on the CPU (lavapipe and other CPU Vulkan devices count only when GGML_VK_VISIBLE_DEVICES names them)")]
    private partial void LogNoGpu(string library);
}
