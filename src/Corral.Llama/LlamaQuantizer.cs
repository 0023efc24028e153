using Corral.Llama.Native;

namespace Corral.Llama;

/// <summary>Quantizes a GGUF model file (llama_model_quantize), as `ollama create --quantize` does.</summary>
public static class LlamaQuantizer
{
    /// <param name="inputPath">The GGUF to quantize (F32/F16/BF16 weights).</param>
    /// <param name="outputPath">Where the quantized GGUF is written.</param>
    /// <param name="type">The quantization target.</param>
    /// <param name="threads">Worker threads; 0 = all hardware threads.</param>
    /// <exception cref="LlamaQuantizeException">The input is missing/unreadable or quantization failed.</exception>
    public static unsafe void Quantize(string inputPath, string outputPath, LlamaFileType type, int threads = 0)
    {
        ArgumentException.ThrowIfNullOrEmpty(inputPath);
        ArgumentException.ThrowIfNullOrEmpty(outputPath);
        if (!File.Exists(inputPath))
        {
            throw new LlamaQuantizeException($"Cannot quantize '{inputPath}': file not found");
        }

        LlamaBackend.EnsureInitialized();
        var p = LlamaNative.llama_model_quantize_default_params();
        p.ftype = type;
        p.nthread = threads;
        using var capture = NativeLogRouter.BeginCapture();
        if (LlamaNative.llama_model_quantize(inputPath, outputPath, &p) != 0)
        {
            throw new LlamaQuantizeException(
                LlamaException.WithNativeReason($"Quantizing '{inputPath}' to {type} failed", capture.Text));
        }
    }
}
