namespace Corral.Llama.Native;

/// <summary>
/// The llama.cpp build a process loads, chosen once at start from the machine and the environment; the same rules
/// as <c>corral_llama_backend</c> in eng/native.sh, which fetches the builds (so the server and each runner, which
/// inherit one environment, always agree):
/// <list type="number">
/// <item><c>CORRAL_LLAMA_LIB_DIR</c>: that folder, whatever it holds (the kind is read off its libggml-cuda/-vulkan).</item>
/// <item>CUDA when an NVIDIA driver is loaded (<c>/proc/driver/nvidia/version</c>).</item>
/// <item>Vulkan when <c>OLLAMA_VULKAN</c> is true, or, unless it is false, when a GPU render node
/// (<c>/dev/dri/renderD*</c>) and libvulkan.so.1 are present.</item>
/// <item>Otherwise the CPU build.</item>
/// </list>
/// A GPU build that was wanted but never fetched (its folder lacks <c>.complete</c>) falls back to the CPU build,
/// and <see cref="Note"/> says why, for the server's first log lines.
/// </summary>
/// <param name="Kind">The build chosen.</param>
/// <param name="Directory">The folder its libraries are loaded from.</param>
/// <param name="Note">Why a GPU build was not used when one was wanted, else null.</param>
public sealed record LlamaBackendSelection(LlamaBackendKind Kind, string Directory, string? Note)
{
    public const string VulkanVariable = "OLLAMA_VULKAN";

    private static readonly Lazy<LlamaBackendSelection> CurrentSelection = new(
        () => Choose(Environment.GetEnvironmentVariable, new MachineProbe()));

    /// <summary>This process's choice (made once).</summary>
    public static LlamaBackendSelection Current => CurrentSelection.Value;

    /// <summary>
    /// The choice for a process whose variables are <paramref name="environment"/> on this machine (a server hosted in a
    /// test host reads its own set, which its runners inherit).
    /// </summary>
    public static LlamaBackendSelection For(Func<string, string?> environment) => Choose(environment, new MachineProbe());

    /// <summary>What the machine offers, behind an interface so the rules can be checked on any machine.</summary>
    public interface IMachine
    {
        bool HasNvidiaDriver { get; }

        bool HasVulkanGpu { get; }

        bool FolderIsComplete(string folder);

        bool FileExists(string path);
    }

    public static LlamaBackendSelection Choose(Func<string, string?> environment, IMachine machine)
    {
        var overrideDir = environment(NativeLibraryLocator.LibDirVariable);
        if (!string.IsNullOrEmpty(overrideDir))
        {
            var kind = machine.FileExists(Path.Combine(overrideDir, "libggml-cuda.so")) ? LlamaBackendKind.Cuda
                : machine.FileExists(Path.Combine(overrideDir, "libggml-vulkan.so")) ? LlamaBackendKind.Vulkan
                : LlamaBackendKind.Cpu;
            return new(kind, overrideDir, null);
        }

        var root = NativeLibraryLocator.CacheFolder(environment);
        var cpu = Path.Combine(root, "libs");
        LlamaBackendKind? wanted = null;
        if (machine.HasNvidiaDriver)
        {
            wanted = LlamaBackendKind.Cuda;
        }
        else if (EnvironmentBoolean(environment(VulkanVariable)) is var vulkan && (vulkan == true || (vulkan is null && machine.HasVulkanGpu)))
        {
            wanted = LlamaBackendKind.Vulkan;
        }

        if (wanted is not { } gpu)
        {
            return new(LlamaBackendKind.Cpu, cpu, null);
        }

        var folder = Path.Combine(root, gpu == LlamaBackendKind.Cuda ? "libs-cuda" : "libs-vulkan");
        return machine.FolderIsComplete(folder)
            ? new(gpu, folder, null)
            : new(LlamaBackendKind.Cpu, cpu, $"a {gpu} device may be present but the {gpu} build of llama.cpp is not fetched ({folder}); run ./corral once to fetch it");
    }

    /// <summary>Ollama's reading of a boolean variable: unset or empty = null; 0/f/false = false; anything else = true.</summary>
    public static bool? EnvironmentBoolean(string? value) => value switch
    {
        null or "" => null,
        "0" or "f" or "F" or "false" or "FALSE" or "False" => false,
        _ => true,
    };

    private sealed class MachineProbe : IMachine
    {
        public bool HasNvidiaDriver => File.Exists("/proc/driver/nvidia/version");

        public bool HasVulkanGpu =>
            System.IO.Directory.Exists("/dev/dri")
            && System.IO.Directory.EnumerateFileSystemEntries("/dev/dri", "renderD*").Any()
            && System.Runtime.InteropServices.NativeLibrary.TryLoad("libvulkan.so.1", out _);

        public bool FolderIsComplete(string folder) => File.Exists(Path.Combine(folder, ".complete"));

        public bool FileExists(string path) => File.Exists(path);
    }
}
