using System.Globalization;
using Corral.Llama.Native;

namespace Corral.Llama;

/// <summary>
/// A GGUF LoRA adapter loaded against a model (<c>llama_adapter_lora</c>). It changes nothing until a context applies
/// it (<see cref="LlamaContext.SetLoraAdapters"/>) with a scale. llama.cpp multiplies each pair's product B·A by
/// scale × alpha / rank (alpha from <c>adapter.lora.alpha</c>; an adapter without alpha, or alpha 0, uses the scale
/// alone), so scale 1 is the adapter as trained: llama-server's and Ollama's default.
/// </summary>
public sealed unsafe class LlamaLoraAdapter : IDisposable
{
    private LlamaLoraAdapter(SafeLlamaLoraAdapterHandle handle, string path)
    {
        Handle = handle;
        Path = path;
        Alpha = float.TryParse(GetMetadata("adapter.lora.alpha"), NumberStyles.Float, CultureInfo.InvariantCulture, out var alpha) ? alpha : 0f;
    }

    public SafeLlamaLoraAdapterHandle Handle { get; }

    /// <summary>The file the adapter was loaded from.</summary>
    public string Path { get; }

    /// <summary><c>adapter.lora.alpha</c>; 0 when absent.</summary>
    public float Alpha { get; }

    /// <summary>Loads <paramref name="path"/> against <paramref name="model"/>.</summary>
    /// <exception cref="LlamaAdapterLoadException">
    /// The file is missing or llama.cpp refused it (not a LoRA GGUF, another architecture, a tensor the model lacks or
    /// of another shape); the message carries llama.cpp's reason.
    /// </exception>
    public static LlamaLoraAdapter Load(LlamaModel model, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new LlamaAdapterLoadException($"Cannot load LoRA adapter '{path}': file not found", path);
        }

        using var capture = NativeLogRouter.BeginCapture();
        var adapter = LlamaNative.llama_adapter_lora_init(model.Handle, path);
        if (adapter == 0)
        {
            throw new LlamaAdapterLoadException(LlamaException.WithNativeReason($"Cannot load LoRA adapter '{path}'", capture.Text), path);
        }

        return new LlamaLoraAdapter(new SafeLlamaLoraAdapterHandle(adapter, model.Handle), path);
    }

    /// <summary>A scalar GGUF metadata value of the adapter as text, or null when it has none.</summary>
    public string? GetMetadata(string key)
    {
        Span<byte> buffer = stackalloc byte[256];
        int length;
        fixed (byte* p = buffer)
        {
            length = LlamaNative.llama_adapter_meta_val_str(Handle, key, p, (nuint)buffer.Length);
            if (length < 0)
            {
                return null;
            }

            if (length < buffer.Length)
            {
                return System.Text.Encoding.UTF8.GetString(buffer[..length]);
            }
        }

        var large = new byte[length + 1];
        fixed (byte* p = large)
        {
            LlamaNative.llama_adapter_meta_val_str(Handle, key, p, (nuint)large.Length);
        }

        return System.Text.Encoding.UTF8.GetString(large, 0, length);
    }

    public void Dispose() => Handle.Dispose();
}
