using System.Diagnostics;
using System.Text.Json.Nodes;
using Corral.Testing;

namespace Corral.Server.Tests.Gpu;

/// <summary>
/// Whether this machine can run the GPU tests on lavapipe, Mesa's Vulkan device that runs on the CPU (Debian's
/// mesa-vulkan-drivers; test.sh installs it): the Vulkan build of llama.cpp is fetched (eng/native.sh backend-libs
/// vulkan) and, with <c>GGML_VK_VISIBLE_DEVICES=0</c>, reports a GPU. Found once, by running <c>corral devices</c>.
/// </summary>
public static class Lavapipe
{
    /// <summary>What the servers of the GPU tests run with: the Vulkan build, and lavapipe made visible to llama.cpp.</summary>
    public static IReadOnlyDictionary<string, string> Environment { get; } = new Dictionary<string, string>
    {
        ["OLLAMA_VULKAN"] = "1",
        ["GGML_VK_VISIBLE_DEVICES"] = "0",
    };

    private static readonly Lazy<(long Total, string? Why)> Probe = new(Run);

    /// <summary>Why the GPU tests cannot run here, or null when they can.</summary>
    public static string? SkipReason => Probe.Value.Why;

    /// <summary>The device memory lavapipe reports (free = total: it is a fixed heap size, which makes fitting deterministic).</summary>
    public static long TotalBytes => Probe.Value.Total;

    private static (long, string?) Run()
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
        var stdout = process.StandardOutput.ReadToEnd();
        process.StandardError.ReadToEnd();
        process.WaitForExit();
        var report = JsonNode.Parse(stdout.Split('\n').Last(l => l.StartsWith('{')))!;
        if (report["backend"]!.GetValue<string>() != "vulkan")
        {
            return (0, "the Vulkan build of llama.cpp is not fetched (eng/native.sh backend-libs vulkan; test.sh does it): " + report["note"]);
        }

        var gpu = report["devices"]!.AsArray().FirstOrDefault(d => d!["type"]!.GetValue<string>() is "gpu" or "igpu");
        return gpu is null
            ? (0, "no Vulkan device: install mesa-vulkan-drivers and libvulkan1 (lavapipe); test.sh does it")
            : (gpu["total"]!.GetValue<long>(), null);
    }
}
