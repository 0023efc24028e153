namespace Corral.Llama;

/// <summary>llama_init_from_model failed (for example out of memory for the KV cache).</summary>
public sealed class LlamaContextCreateException(string message) : LlamaException(message);
