namespace Corral.Llama;

/// <summary>
/// A LoRA adapter could not be applied to the model: not a GGUF LoRA, another architecture, tensors the model lacks
/// or of other shapes. The message carries llama.cpp's reason.
/// </summary>
public sealed class LlamaAdapterLoadException(string message, string path) : LlamaException(message)
{
    /// <summary>The adapter file that failed to load.</summary>
    public string Path { get; } = path;
}
