using Corral.Llama.Native;

namespace Corral.Llama.Tests;

public sealed class BackendTests
{
    [Fact]
    public void Initialization_is_idempotent_and_loads_a_cpu_backend()
    {
        LlamaBackend.EnsureInitialized();
        LlamaBackend.EnsureInitialized();
        Assert.True(LlamaBackend.DeviceCount >= 1);
    }

    [Fact]
    public void Concurrent_initialization_is_safe()
    {
        Parallel.For(0, 8, _ => LlamaBackend.EnsureInitialized());
        Assert.True(LlamaBackend.DeviceCount >= 1);
    }

    [Fact]
    public void System_info_names_the_cpu_backend()
    {
        var info = LlamaBackend.SystemInfo;
        Assert.Contains("CPU", info);
    }

    [Fact]
    public void Capabilities_of_the_cpu_build()
    {
        Assert.True(LlamaBackend.SupportsMmap);
        Assert.False(LlamaBackend.SupportsGpuOffload);
        var t0 = LlamaBackend.TimeMicroseconds;
        Assert.True(LlamaBackend.TimeMicroseconds >= t0);
    }

    [Fact]
    public void Library_directory_defaults_to_the_cache_layout_of_native_sh()
    {
        if (Environment.GetEnvironmentVariable(NativeLibraryLocator.LibDirVariable) is { Length: > 0 })
        {
            return; // overridden on this machine; the default is not in use
        }

        var (exitCode, stdout, _) = TestEnvironment.Run("bash", Path.Combine(TestEnvironment.RepoRoot, "eng", "native.sh"), "libs");
        Assert.Equal(0, exitCode);
        Assert.Equal(Path.GetFullPath(stdout.Trim()), Path.GetFullPath(NativeLibraryLocator.LibraryDirectory));
    }

    [Fact]
    public void Package_version_constant_matches_llama_lock()
    {
        var lockFile = File.ReadAllLines(Path.Combine(TestEnvironment.RepoRoot, "eng", "llama.lock"));
        Assert.Contains($"LLAMA_NPM_VERSION={NativeLibraryLocator.PackageVersion}", lockFile);
    }

    [Fact]
    public void Finds_versioned_plain_and_soname_libraries_but_not_lookalikes()
    {
        var dir = Directory.CreateTempSubdirectory("corral-libs-");
        try
        {
            foreach (var name in new[] { "libllama-common.so", "libggml-base.so", "libggml-cpu-haswell.so", "libggml.v0.5.0.so", "libllama.so.1" })
            {
                File.WriteAllText(Path.Combine(dir.FullName, name), "");
            }

            Assert.Equal("libggml.v0.5.0.so", Path.GetFileName(NativeLibraryLocator.FindLibrary(dir.FullName, "ggml")));
            Assert.Equal("libggml-base.so", Path.GetFileName(NativeLibraryLocator.FindLibrary(dir.FullName, "ggml-base")));
            Assert.Equal("libllama.so.1", Path.GetFileName(NativeLibraryLocator.FindLibrary(dir.FullName, "llama")));

            File.WriteAllText(Path.Combine(dir.FullName, "libllama.so"), "");
            Assert.Equal("libllama.so", Path.GetFileName(NativeLibraryLocator.FindLibrary(dir.FullName, "llama")));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void A_missing_library_folder_gives_instructions_not_a_DllNotFoundException()
    {
        var missing = Path.Combine(Path.GetTempPath(), "corral-no-such-folder-" + Guid.NewGuid().ToString("N"));
        var ex = Assert.Throws<LlamaLibraryNotFoundException>(() => NativeLibraryLocator.FindLibraryOrThrow(missing, "llama"));
        Assert.Contains("./corral", ex.Message);
        Assert.Contains(NativeLibraryLocator.LibDirVariable, ex.Message);
        Assert.Equal(missing, ex.Directory);
    }
}
