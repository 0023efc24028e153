namespace Corral.Llama;

/// <summary>llama_model_quantize failed.</summary>
public sealed class LlamaQuantizeException(string message) : LlamaException(message);
