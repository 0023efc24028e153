using Corral.Llama;
using Corral.TestModels;

namespace Corral.Bench.Runner;

/// <summary>The ~1B Llama-3.2-shaped Q4_K_M model: generated and quantized on first use, cached in /tmp.</summary>
internal static class BenchModel
{
    public static string Ensure(string? path)
    {
        path ??= Path.Combine(Path.GetTempPath(), "corral-bench", "llama-1b-q4_k_m.gguf");
        if (File.Exists(path))
        {
            return path;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var f16 = path + ".f16.tmp";
        Console.Error.WriteLine($"generating the 1B bench model at {path} (once) ...");
        TestModelWriter.WriteBenchLlama1B(f16);
        LlamaBackend.EnsureInitialized();
        LlamaQuantizer.Quantize(f16, path + ".tmp", LlamaFileType.Q4_K_M, Environment.ProcessorCount);
        File.Move(path + ".tmp", path);
        File.Delete(f16);
        return path;
    }
}
