using System.Diagnostics;
using System.Text.Json.Nodes;
using Corral.Testing;

namespace Corral.Server.Tests.Gpu;

/// <summary>
/// Whether this machine can run the GPU tests on lavapipe, Mesa's Vulkan device that runs on the CPU (Debian's
/// mesa-vulkan-drivers; test.sh installs it): the Vulkan build of llama.cpp is fetched (eng/native.sh backend-libs
/// vulkan) and, with <c>GGML_VK_VISIBLE_DEVICES=0</c>, reports a GPU. Found once, by running <c>corral devices</c>.
/// With <c>CORRAL_TEST_GPU=native</c> (bench/gpu/run.sh on a real GPU) the tests use the machine's own choice of
/// build and device instead (CUDA on an NVIDIA machine).
/// </summary>
public static class Lavapipe
{
    /// <summary>Run the GPU tests on the machine's own GPU build rather than on lavapipe.</summary>
    public static bool Native { get; } = System.Environment.GetEnvironmentVariable("CORRAL_TEST_GPU") == "native";

    /// <summary>What the servers of the GPU tests run with: the Vulkan build, and lavapipe made visible to llama.cpp.</summary>
    public static IReadOnlyDictionary<string, string> Environment { get; } = Native
        ? new Dictionary<string, string>()
        : new Dictionary<string, string>
        {
            ["OLLAMA_VULKAN"] = "1",
            ["GGML_VK_VISIBLE_DEVICES"] = "0",
        };

    private static readonly Lazy<(string Backend, string Name, long Free, string? Why)> Probe = new(Run);

    /// <summary>Why the GPU tests cannot run here, or null when they can.</summary>
    public static string? SkipReason => Probe.Value.Why;

    /// <summary>"vulkan" (lavapipe) or the native build's name.</summary>
    public static string Backend => Probe.Value.Backend;

    /// <summary>ggml's name of the device the tests offload to ("Vulkan0", "CUDA0").</summary>
    public static string DeviceName => Probe.Value.Name;

    /// <summary>The device's free memory (lavapipe: a fixed heap size, free = total, which makes fitting deterministic).</summary>
    public static long FreeBytes => Probe.Value.Free;

    private static (string, string, long, string?) Run()
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(CorralPaths.CorralDll);
        info.ArgumentList.Add("devices");
        info.Environment.Remove("CORRAL_LLAMA_LIB_DIR");
        foreach (var (k, v) in Environment)
        {
            info.Environment[k] = v;
        }

        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        var line = stdout.Split('\n').LastOrDefault(l => l.StartsWith('{'));
        if (line is null)
        {
            // Reported as the skip reason (an exception here would fail test discovery instead).
            return ("", "", 0, $"corral devices exited with code {process.ExitCode} and no report: {stderr.Result.Trim()}");
        }

        var report = JsonNode.Parse(line)!;
        var backend = report["backend"]!.GetValue<string>();
        if (backend == "cpu")
        {
            return (backend, "", 0, "no GPU build of llama.cpp is fetched (eng/native.sh backend-libs vulkan; test.sh does it): " + report["note"]);
        }

        var gpu = report["devices"]!.AsArray().FirstOrDefault(d => d!["type"]!.GetValue<string>() is "gpu" or "igpu");
        return gpu is null
            ? (backend, "", 0, $"the {backend} build finds no device: for lavapipe install mesa-vulkan-drivers and libvulkan1 (test.sh does it)")
            : (backend, gpu["name"]!.GetValue<string>(), gpu["free"]!.GetValue<long>(), null);
    }
}
