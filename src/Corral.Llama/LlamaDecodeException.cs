namespace Corral.Llama;

/// <summary>
/// llama_decode/llama_encode returned non-zero. <see cref="Code"/> is the native result:
/// 1 no KV slot for the batch, 2 aborted, -1 invalid batch, below -1 fatal.
/// </summary>
public sealed class LlamaDecodeException(int code, string message) : LlamaException(message)
{
    public int Code { get; } = code;

    /// <summary>True for code 1: the KV cache is full; free sequences or shrink the batch and retry.</summary>
    public bool IsNoKvSlot => Code == 1;

    /// <summary>True for code 2: the abort callback stopped the decode.</summary>
    public bool IsAborted => Code == 2;

    /// <summary>True for code below -1: processed ubatches stay in memory; the context is suspect.</summary>
    public bool IsFatal => Code < -1;

    internal static string Describe(int code) => code switch
    {
        1 => "no KV cache slot for the batch (context full; shrink the batch or free sequences)",
        2 => "aborted",
        -1 => "invalid input batch",
        _ when code < -1 => $"fatal error {code}",
        _ => $"warning {code}",
    };
}
