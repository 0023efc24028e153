using System.Globalization;
using Corral.Llama.Native;

namespace Corral.Server.Scheduling.Gpu;

/// <summary>Ollama's GPU scheduling variables.</summary>
public sealed record GpuSettings
{
    /// <summary>OLLAMA_GPU_OVERHEAD: bytes of device memory left unused on each GPU.</summary>
    public long OverheadBytes { get; init; }

    /// <summary>OLLAMA_SCHED_SPREAD: split every model over all GPUs.</summary>
    public bool Spread { get; init; }

    public static GpuSettings FromVariables(Func<string, string?> get)
    {
        var overhead = get("OLLAMA_GPU_OVERHEAD")?.Trim();
        return new GpuSettings
        {
            // Ollama ignores a value that is not a whole number of bytes (with a warning); so does this.
            OverheadBytes = long.TryParse(overhead, NumberStyles.None, CultureInfo.InvariantCulture, out var o) ? o : 0,
            Spread = LlamaBackendSelection.EnvironmentBoolean(get("OLLAMA_SCHED_SPREAD")) == true,
        };
    }
}
