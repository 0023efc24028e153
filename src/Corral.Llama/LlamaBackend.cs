using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Corral.Llama.Native;
using Microsoft.Extensions.Logging;

namespace Corral.Llama;

/// <summary>
/// Process-wide llama.cpp setup: library resolution, ggml backend loading, llama_backend_init and
/// routing of llama.cpp's log output into an <see cref="ILogger"/>. Every wrapper calls
/// <see cref="EnsureInitialized"/> itself; call it explicitly to pass a logger.
/// </summary>
public static class LlamaBackend
{
    private static readonly Lock Gate = new();
    private static volatile bool _initialized;

    /// <summary>
    /// Loads the libraries and backends once (thread-safe, idempotent). A non-null
    /// <paramref name="logger"/> receives llama.cpp's log lines from then on (replacing an earlier one);
    /// without a logger they are dropped.
    /// </summary>
    /// <exception cref="LlamaLibraryNotFoundException">The libraries or CPU backends are missing.</exception>
    public static void EnsureInitialized(ILogger? logger = null)
    {
        if (logger is not null)
        {
            NativeLogRouter.Logger = logger;
        }

        if (_initialized)
        {
            return;
        }

        lock (Gate)
        {
            if (_initialized)
            {
                return;
            }

            NativeLibraryLocator.InstallResolver();
            // Load explicitly first so a missing folder gives our message, not a DllNotFoundException.
            NativeLibraryLocator.Load(LlamaNative.GgmlBaseLibrary);
            NativeLibraryLocator.Load(LlamaNative.GgmlLibrary);
            NativeLibraryLocator.Load(LlamaNative.LlamaLibrary);

            NativeLogRouter.Install();

            var directory = NativeLibraryLocator.LibraryDirectory;
            // The prebuilt libraries do not link a CPU backend in; ggml picks the best
            // libggml-cpu-<variant> for this CPU from the folder.
            LlamaNative.ggml_backend_load_all_from_path(directory);
            if (LlamaNative.ggml_backend_dev_count() == 0)
            {
                throw new LlamaLibraryNotFoundException(
                    $"No ggml backend (libggml-cpu-*.so) could be loaded from '{directory}'. Run ./corral once to " +
                    $"re-fetch the llama.cpp build, or set {NativeLibraryLocator.LibDirVariable} to a complete build.",
                    directory);
            }

            LlamaNative.llama_backend_init();
            _initialized = true;
        }
    }

    /// <summary>llama.cpp's description of the CPU features and backends in use.</summary>
    public static unsafe string SystemInfo
    {
        get
        {
            EnsureInitialized();
            return Marshal.PtrToStringUTF8((nint)LlamaNative.llama_print_system_info()) ?? "";
        }
    }

    /// <summary>The llama.cpp version string compiled into libllama.</summary>
    public static unsafe string Version
    {
        get
        {
            EnsureInitialized();
            return Marshal.PtrToStringUTF8((nint)LlamaNative.llama_version()) ?? "";
        }
    }

    public static bool SupportsMmap
    {
        get
        {
            EnsureInitialized();
            return LlamaNative.llama_supports_mmap();
        }
    }

    public static bool SupportsMlock
    {
        get
        {
            EnsureInitialized();
            return LlamaNative.llama_supports_mlock();
        }
    }

    public static bool SupportsGpuOffload
    {
        get
        {
            EnsureInitialized();
            return LlamaNative.llama_supports_gpu_offload();
        }
    }

    /// <summary>Number of devices the loaded backends expose (CPU included).</summary>
    public static int DeviceCount
    {
        get
        {
            EnsureInitialized();
            return (int)LlamaNative.ggml_backend_dev_count();
        }
    }

    /// <summary>The devices of every loaded backend (CPU first, then GPUs), with free and total memory measured now.</summary>
    public static unsafe IReadOnlyList<LlamaDevice> Devices
    {
        get
        {
            EnsureInitialized();
            var count = (int)LlamaNative.ggml_backend_dev_count();
            var devices = new List<LlamaDevice>(count);
            for (var i = 0; i < count; i++)
            {
                var device = LlamaNative.ggml_backend_dev_get((nuint)i);
                nuint free = 0, total = 0;
                LlamaNative.ggml_backend_dev_memory(device, &free, &total);
                devices.Add(new LlamaDevice(
                    i,
                    Marshal.PtrToStringUTF8((nint)LlamaNative.ggml_backend_dev_name(device)) ?? "",
                    Marshal.PtrToStringUTF8((nint)LlamaNative.ggml_backend_dev_description(device)) ?? "",
                    LlamaDevice.TypeName(LlamaNative.ggml_backend_dev_type(device)),
                    (long)free,
                    (long)total));
            }

            return devices;
        }
    }

    /// <summary>llama_time_us: llama.cpp's monotonic clock in microseconds.</summary>
    public static long TimeMicroseconds
    {
        get
        {
            EnsureInitialized();
            return LlamaNative.llama_time_us();
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void ThrowIfNotInitialized()
    {
        if (!_initialized)
        {
            EnsureInitialized();
        }
    }
}
