namespace Corral.Llama;

/// <summary>A model file could not be loaded (missing, not GGUF, truncated, unsupported architecture...).</summary>
public sealed class LlamaModelLoadException(string message, string path) : LlamaException(message)
{
    /// <summary>The file that failed to load.</summary>
    public string Path { get; } = path;
}
