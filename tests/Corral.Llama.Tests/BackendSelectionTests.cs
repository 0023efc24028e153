using Corral.Llama.Native;

namespace Corral.Llama.Tests;

/// <summary>
/// Which llama.cpp build a process loads. The machine is described, not probed: an NVIDIA driver or a GPU render
/// node cannot be conjured on a test machine, and the rules are what is under test (eng/native.sh applies the same).
/// </summary>
public sealed class BackendSelectionTests
{
    private const string Cache = "/cache";

    private sealed class Machine : LlamaBackendSelection.IMachine
    {
        public bool HasNvidiaDriver { get; init; }

        public bool HasVulkanGpu { get; init; }

        public HashSet<string> Complete { get; } = [];

        public HashSet<string> Files { get; } = [];

        public bool FolderIsComplete(string folder) => Complete.Contains(folder);

        public bool FileExists(string path) => Files.Contains(path);
    }

    private static readonly string Libs = Path.Combine(Cache, "llama", NativeLibraryLocator.PackageVersion, "libs");
    private static readonly string Vulkan = Libs + "-vulkan";
    private static readonly string Cuda = Libs + "-cuda";

    private static LlamaBackendSelection Choose(Machine machine, params (string Name, string Value)[] variables)
    {
        var env = new Dictionary<string, string>(variables.Select(v => KeyValuePair.Create(v.Name, v.Value))) { ["CORRAL_CACHE_DIR"] = Cache };
        return LlamaBackendSelection.Choose(name => env.GetValueOrDefault(name), machine);
    }

    [Fact]
    public void Without_a_GPU_the_CPU_build_is_used_and_nothing_is_noted()
    {
        var machine = new Machine();
        machine.Complete.Add(Vulkan);
        Assert.Equal(new LlamaBackendSelection(LlamaBackendKind.Cpu, Libs, null), Choose(machine));
    }

    [Fact]
    public void An_NVIDIA_driver_selects_the_CUDA_build_once_it_is_fetched()
    {
        var machine = new Machine { HasNvidiaDriver = true, HasVulkanGpu = true };
        var notFetched = Choose(machine);
        Assert.Equal(LlamaBackendKind.Cpu, notFetched.Kind);
        Assert.Contains("./corral", notFetched.Note, StringComparison.Ordinal);

        machine.Complete.Add(Cuda);
        Assert.Equal(new LlamaBackendSelection(LlamaBackendKind.Cuda, Cuda, null), Choose(machine));
    }

    [Fact]
    public void A_Vulkan_GPU_selects_the_Vulkan_build_unless_OLLAMA_VULKAN_is_false()
    {
        var machine = new Machine { HasVulkanGpu = true };
        machine.Complete.Add(Vulkan);
        Assert.Equal(LlamaBackendKind.Vulkan, Choose(machine).Kind);
        Assert.Equal(Vulkan, Choose(machine).Directory);
        Assert.Equal(LlamaBackendKind.Cpu, Choose(machine, ("OLLAMA_VULKAN", "0")).Kind);
        Assert.Equal(LlamaBackendKind.Cpu, Choose(machine, ("OLLAMA_VULKAN", "false")).Kind);
    }

    [Fact]
    public void OLLAMA_VULKAN_selects_the_Vulkan_build_without_a_GPU_found_so_CPU_devices_like_lavapipe_can_be_used()
    {
        var machine = new Machine();
        machine.Complete.Add(Vulkan);
        Assert.Equal(LlamaBackendKind.Vulkan, Choose(machine, ("OLLAMA_VULKAN", "1")).Kind);
        Assert.Equal(LlamaBackendKind.Vulkan, Choose(machine, ("OLLAMA_VULKAN", "yes")).Kind); // as Ollama: not a false value is true
    }

    [Fact]
    public void CORRAL_LLAMA_LIB_DIR_wins_and_its_kind_is_read_off_its_backends()
    {
        var machine = new Machine { HasNvidiaDriver = true };
        machine.Complete.Add(Cuda);
        Assert.Equal(new LlamaBackendSelection(LlamaBackendKind.Cpu, "/mine", null), Choose(machine, ("CORRAL_LLAMA_LIB_DIR", "/mine")));
        machine.Files.Add("/mine/libggml-vulkan.so");
        Assert.Equal(LlamaBackendKind.Vulkan, Choose(machine, ("CORRAL_LLAMA_LIB_DIR", "/mine")).Kind);
    }

    [Fact]
    public void The_GPU_packages_library_names_are_found()
    {
        var dir = Directory.CreateTempSubdirectory("corral-libs-");
        try
        {
            foreach (var name in new[] { "libllama-common.so", "libggml-base.so", "libggml-vulkan.so", "libggml.vulkan.v0.5.0.so", "libllama.vulkan.v0.5.0.so" })
            {
                File.WriteAllText(Path.Combine(dir.FullName, name), "");
            }

            Assert.Equal("libggml.vulkan.v0.5.0.so", Path.GetFileName(NativeLibraryLocator.FindLibrary(dir.FullName, "ggml")));
            Assert.Equal("libllama.vulkan.v0.5.0.so", Path.GetFileName(NativeLibraryLocator.FindLibrary(dir.FullName, "llama")));
            Assert.Equal("libggml-base.so", Path.GetFileName(NativeLibraryLocator.FindLibrary(dir.FullName, "ggml-base")));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
