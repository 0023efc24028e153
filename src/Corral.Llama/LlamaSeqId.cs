namespace Corral.Llama;

/// <summary>A sequence id in a context's memory (<c>llama_seq_id</c>); one per parallel slot.</summary>
public readonly record struct LlamaSeqId(int Value)
{
    public static implicit operator LlamaSeqId(int value) => new(value);

    public override string ToString() => Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
